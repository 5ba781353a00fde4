"""Every ``MOCKCP_*`` variable the code reads is one mockcp knows, so setting a documented
knob (``MOCKCP_TEST_WORKERS=0`` for a serial run, ``MOCKCP_URL`` for the plugin) never
prints "is not a mockcp setting" into a command's output."""

from __future__ import annotations

import re
from pathlib import Path

from mockcp.config import unknown_variables

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""environ(?:\.get)?[\[(]\s*["'](MOCKCP_[A-Z_]+)["']""")


def variables_read() -> set[str]:
    files = [ROOT / "run.py", *ROOT.glob("mockcp/**/*.py"), *ROOT.glob("tests/**/*.py")]
    files += ROOT.glob("bench/*.py")
    return {name for path in files for name in READ.findall(path.read_text(encoding="utf-8"))}


def test_every_variable_the_code_reads_is_known() -> None:
    read = variables_read()
    assert {"MOCKCP_TEST_WORKERS", "MOCKCP_URL", "MOCKCP_TEST_POSTGRES_URL"} <= read
    assert unknown_variables(environ=dict.fromkeys(read, "1")) == []


def test_a_misspelt_variable_is_still_reported() -> None:
    assert unknown_variables(environ={"MOCKCP_COLOCK": "x60", "MOCKCP_URL": "x"}) == [
        "MOCKCP_COLOCK"
    ]
