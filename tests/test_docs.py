"""Every runnable block of README.md and docs/*.md runs, as printed (docs/index.md, top).

A fenced block whose info string is ``console runnable`` holds commands (lines starting
``$ ``), each followed by lines its output must contain, in order. Before a page's commands
run, its ``file=NAME`` blocks are written into an empty temporary folder, the commands' working
directory; ``mockcp``, ``python`` and ``pytest`` are this environment's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.M | re.S)


@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)


def blocks(text: str) -> list[tuple[str, str]]:
    """(info string, body) of each fenced block."""
    return [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(text)]


def files_of(text: str) -> dict[str, str]:
    found = {}
    for info, body in blocks(text):
        named = re.search(r"\bfile=(\S+)", info)
        if named:
            found[named.group(1)] = body
    return found


def commands_of(text: str) -> list[Command]:
    found: list[Command] = []
    for info, body in blocks(text):
        if info.split() != ["console", "runnable"]:
            continue
        for line in body.splitlines():
            if line.startswith("$ "):
                found.append(Command(line[2:]))
            elif line.strip() and found:
                found[-1].expected.append(line.rstrip())
    return found


def test_the_block_reader_finds_files_commands_and_their_output() -> None:
    page = (
        "```python file=a.py\nprint(1)\n```\n\n```console\n$ not run\n```\n"
        "```console runnable\n$ python a.py\n1\n$ true\n```\n"
    )
    assert files_of(page) == {"a.py": "print(1)\n"}
    assert commands_of(page) == [Command("python a.py", ["1"]), Command("true")]


RUNNABLE = [p for p in PAGES if commands_of(p.read_text(encoding="utf-8"))]


def test_some_pages_have_runnable_blocks() -> None:
    assert {p.name for p in RUNNABLE} >= {"testing.md", "index.md"}


@pytest.mark.slow
@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: str(p.relative_to(ROOT)))
def test_runnable_blocks_run_as_printed(page: Path, tmp_path: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for name, body in files_of(text).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKCP_", "PYTEST_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for command in commands_of(text):
        done = subprocess.run(
            ["bash", "-c", command.line], cwd=tmp_path, env=env,
            capture_output=True, text=True, timeout=300,
        )
        shown = f"$ {command.line}\n{done.stdout}{done.stderr}"
        assert done.returncode == 0, shown
        lines = iter(done.stdout.splitlines())
        for expected in command.expected:  # in order, each a whole line of the output
            assert any(line.rstrip() == expected for line in lines), (expected, shown)
