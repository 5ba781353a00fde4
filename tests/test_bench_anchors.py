"""CI runs the anchors benchmark in quick mode and prints its figures (issue 18).

No thresholds: the machine is shared. The figures appear in the CI log so that a regression
shows there; the test checks only that every measure was taken and is a positive number, and
the benchmark itself stops if the lean and stock paths ever answer different bytes.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import run_quick_bench

MEASURES = (
    "mockcp serve: start to ready (s)",
    "canned: getCPNInstances req/s, 1 client(s)",
    "mockcp: getCPNInstances req/s, 1 client(s)",
    "mockcp: getCPNInstances req/s, 16 client(s)",
    "mockcp: getCPNInstances server CPU ms/req, 1 client(s)",
    "mockcp: 500-row getStations page, in process (ms)",
    "mockcp: 500-row page, spyne's stock constructor (ms)",
    "floor: lxml render of the same rows from tuples (ms)",
    "mockcp: reset + first getStations, minimal world (s)",
)


@pytest.mark.slow
@pytest.mark.server
def test_quick_anchor_benchmark_prints_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    stdout = run_quick_bench("bench_anchors.py", capsys)
    for name in MEASURES:
        found = re.search(rf"^{re.escape(name)}\s+([0-9.e+]+)\s", stdout, re.MULTILINE)
        assert found is not None, name
        assert float(found.group(1)) > 0, name
    assert "ratio  500-row page mockcp / lxml floor" in stdout
