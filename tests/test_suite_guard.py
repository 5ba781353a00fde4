"""Without the reference folder the suite stops with one message (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_reference_folder_stops_the_run_with_one_message(tmp_path: Path) -> None:
    env = {**os.environ, "MOCKCP_SHARED": str(tmp_path / "nowhere")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_codes.py", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 4, output
    assert output.count("is missing. Put the project's shared folder beside") == 1, output
    assert str(tmp_path / "nowhere" / "reference" / "cp_api_5.1.wsdl") in output
    assert " passed" not in output and " skipped" not in output
