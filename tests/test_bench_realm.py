"""CI runs the realm benchmark in quick mode and prints its figures (issue 18).

No thresholds: the machine is shared. The figures (each operation on a 60- and a 300-station
world with the same caller's view, and their ratio) appear in the CI log so that work growing
with the world rather than the answer shows there; the test checks that every measure was
taken and that both worlds answered the caller the same number of stations.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import run_quick_bench

OPERATIONS = ("getStationStatus", "getStations", "getTransactionData", "getLoad",
              "getCustomGroupStations", "getStationRights", "getStationGroups",
              "getOrgsAndStationGroups", "getChargingSessionData", "getAlarms")  # fmt: skip


@pytest.mark.slow
def test_quick_realm_benchmark_prints_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    stdout = run_quick_bench("bench_realm.py", capsys)
    for op in OPERATIONS:
        ratio = re.search(rf"^{op}: 300 / 60 stations = ([0-9.]+)x", stdout, re.MULTILINE)
        assert ratio is not None and float(ratio.group(1)) > 0, op
    same_view = ("getStationStatus", "getStations", "getLoad", "getCustomGroupStations")
    for op in same_view:  # the caller's view is the same
        counts = re.search(rf"^{op}: (\d+) / (\d+) station IDs", stdout, re.MULTILINE)
        assert counts is not None and counts.group(1) == counts.group(2) != "0", op
    assert re.search(r"^large world \(300 stations\): built [0-9.]+ s, first read [0-9.]+ s$",
                     stdout, re.MULTILINE)  # fmt: skip
