"""CI runs the realm benchmark in quick mode and prints its figures (issue 18).

No thresholds: the machine is shared. The figures (each operation on a 60- and a 300-station
world with the same caller's view, and their ratio) appear in the CI log so that work growing
with the world rather than the answer shows there; the test checks that every measure was
taken and that both worlds answered the caller the same number of stations.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ("getStationStatus", "getStations", "getTransactionData", "getLoad")


@pytest.mark.slow
def test_quick_realm_benchmark_prints_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_realm.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    with capsys.disabled():
        print("\n--- bench/bench_realm.py --quick (figures, no thresholds) ---")
        print(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    for op in OPERATIONS:
        ratio = re.search(rf"^{op}: 300 / 60 stations = ([0-9.]+)x", done.stdout, re.MULTILINE)
        assert ratio is not None and float(ratio.group(1)) > 0, op
    for op in ("getStationStatus", "getStations", "getLoad"):  # the caller's view is the same
        counts = re.search(rf"^{op}: (\d+) / (\d+) station IDs", done.stdout, re.MULTILINE)
        assert counts is not None and counts.group(1) == counts.group(2) != "0", op
    assert re.search(r"^large world \(300 stations\): built [0-9.]+ s, first read [0-9.]+ s$",
                     done.stdout, re.MULTILINE)  # fmt: skip
