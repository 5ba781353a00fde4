"""The README: short, its generated table current, its snippets true, every link alive."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockcp.coverage import coverage_table
from mockcp.testing import MockChargePoint

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# Pages other branches write (issue 12's brief names their owners); linked from here already.
WRITTEN_ELSEWHERE: set[str] = set()  # every linked page is merged: each link must resolve
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_readme_is_short() -> None:
    assert len(README.read_bytes()) <= 8 * 1024


def test_readme_coverage_table_is_current() -> None:
    assert coverage_table() in README.read_text(encoding="utf-8")


def test_readme_quick_start_has_exactly_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == [
        "python3 run.py serve",
        "python3 run.py test",
    ]


@pytest.mark.parametrize(
    "page", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
)
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    targets = [t for t in LINK.findall(page.read_text(encoding="utf-8")) if "://" not in t]
    assert page != README or len(targets) >= 15  # the README is mostly a map of docs/
    for target in targets:
        path = (page.parent / target).resolve()
        relative = str(path.relative_to(ROOT))
        assert path.is_file() or relative in WRITTEN_ELSEWHERE, (page.name, target)


@pytest.mark.server
def test_readme_zeep_snippet_runs_against_a_real_server(
    mock: MockChargePoint, capsys: pytest.CaptureFixture[str]
) -> None:
    text = README.read_text(encoding="utf-8")
    snippet = re.search(r"## Pointing a zeep client.*?```python\n(.*?)```", text, re.S)
    assert snippet is not None
    with mock.serve() as base:
        code = snippet.group(1).replace('"http://127.0.0.1:8080"', repr(base))
        exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [
        "1 USA ChargePoint North America",
        "2 EU ChargePoint Europe",
        "3 AU ChargePoint Australia",
        "4 CA ChargePoint Canada",
    ]
