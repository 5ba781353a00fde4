"""docs/control-plane-journal-faults.md: its sample suite runs, as a user would run it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "control-plane-journal-faults.md"


@pytest.mark.server
def test_the_sample_suite_passes(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## A sample suite.*?```python\n(.*?)```", text, re.S)
    assert block is not None
    suite = tmp_path / "test_sample_suite.py"
    suite.write_text(block.group(1), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "-q", "-p", "no:cacheprovider",
         "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"\b5 passed\b", run.stdout), run.stdout
