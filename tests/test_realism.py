"""The simulator against the Boulder reference statistics (domain.md 7), with a fixed seed."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mockcp.realism import EXPORT_COLUMNS, load_targets, report, simulate, write_csv
from mockcp.realism_checks import REQUIRED, ROUND_TRIP, Measured, Savings, checks, savings_check
from tests.conftest import SHARED, require_shared

TARGETS = SHARED / "reference" / "sessions" / "realism_targets.json"


@pytest.fixture(scope="module")
def simulated() -> tuple[list[object], list[object], Measured]:
    return simulate(5000, 20161107)  # type: ignore[return-value]


@pytest.mark.slow
def test_realism_required_checks_pass_and_18_of_23(simulated: tuple[list, list, tuple]) -> None:  # type: ignore[type-arg]
    targets = load_targets(None)  # the packaged copy
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
    assert next(c for c in found if c.number == 16).value.endswith("fleet rows, 0 off")
    assert len(measured.savings) >= 50
    text, ok = report(found)
    assert ok and "checks pass; required 1, 6, 7, 8, 13, 16, 19, 20: all pass" in text
    kinds = {line[4:14].strip() for line in text.splitlines()[1:24]}
    assert kinds == {"round trip", "emergent"}
    assert "emergent (not an input): 7, 9, 11, 14, 15, 18, 19, 20, 21, 22" in text


def test_packaged_targets_are_the_reference_figures() -> None:
    import json

    reference = json.loads(require_shared(TARGETS).read_text(encoding="utf-8"))["boulder"]
    assert load_targets(None) == reference


START = datetime(2019, 9, 2, 17, 0, tzinfo=UTC)


def test_savings_check_fails_on_a_wrong_factor_or_no_rows() -> None:
    targets = load_targets(None)
    good = [Savings(START, 10.0, 1.255, 4.2), Savings(START, 0.0, 0.0, 0.0)]
    assert savings_check(targets, good).passed
    assert not savings_check(targets, [Savings(START, 10.0, 1.3, 4.2)]).passed
    assert not savings_check(targets, [Savings(START, 10.0, 1.255, 7.099)]).passed
    after = datetime(2021, 3, 1, tzinfo=UTC)
    assert savings_check(targets, [Savings(after, 10.0, 1.255, 7.099)]).passed
    assert not savings_check(targets, []).passed
    assert not savings_check(targets, [Savings(START, 0.0, 0.0, 0.0)]).passed


def test_round_trips_are_named_with_their_input() -> None:
    assert set(ROUND_TRIP) == {1, 2, 3, 4, 5, 6, 8, 10, 12, 13, 16, 17, 23}
    assert all("(" in reason for reason in ROUND_TRIP.values())


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
    assert float(first["GHG Savings (kg)"]) == round(0.42 * float(first["Energy (kWh)"]), 3)
