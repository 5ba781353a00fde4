"""The simulator against the Boulder reference statistics (domain.md 7), with a fixed seed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mockcp.realism import EXPORT_COLUMNS, report, simulate, write_csv
from mockcp.realism_checks import REQUIRED, Measured, checks
from tests.conftest import SHARED, require_shared

TARGETS = SHARED / "reference" / "sessions" / "realism_targets.json"


@pytest.fixture(scope="module")
def simulated() -> tuple[list[object], list[object], Measured]:
    return simulate(5000, 20161107)  # type: ignore[return-value]


@pytest.mark.slow
def test_realism_required_checks_pass_and_18_of_23(simulated: tuple[list, list, tuple]) -> None:  # type: ignore[type-arg]
    import json

    targets = json.loads(require_shared(TARGETS).read_text())["boulder"]
    rows, _, measured = simulated
    assert len(rows) >= 4800
    found = checks(rows, targets, measured)
    assert [c.number for c in found] == list(range(1, 24))
    failed = [c for c in found if c.number in REQUIRED and not c.passed]
    assert failed == []
    assert sum(1 for c in found if c.passed) >= 18
    for number in (21, 23):  # shed compliance; regulars take most sessions
        check = next(c for c in found if c.number == number)
        assert check.passed, (number, check.value)
    text, ok = report(found)
    assert ok and "checks pass; required 1, 6, 7, 8, 13, 16, 19, 20: all pass" in text


@pytest.mark.slow
def test_realism_csv_has_the_native_export_columns(
    simulated: tuple[list, list, tuple], tmp_path: Path
) -> None:  # type: ignore[type-arg]
    rows, sessions, _ = simulated
    path = tmp_path / "sessions.csv"
    write_csv(path, rows, sessions)
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        body = list(reader)
    assert header == EXPORT_COLUMNS
    assert len(body) == len(rows)
    first = dict(zip(header, body[0], strict=True))
    assert first["Start Date"].count("/") == 2 and len(first["Start Date"]) == 16
    assert float(first["Gasoline Savings (gallons)"]) == round(
        0.1255 * float(first["Energy (kWh)"]), 3
    )
