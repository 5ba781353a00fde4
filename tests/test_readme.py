"""The README's generated tables and its zeep snippet are true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockcp.coverage import coverage_table
from mockcp.testing import MockChargePoint

README = Path(__file__).resolve().parents[1] / "README.md"


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
