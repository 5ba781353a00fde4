"""getFleetUsageData's savings columns against domain.md 2's figures, on both sides of the
GHG factor's change (sessions starting before and from 2021-02-01)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.testing import MockChargePoint

SWITCH = datetime(2021, 2, 1, tzinfo=UTC)
# domain.md 2, typed here on purpose (not imported from mockcp): the test must fail when the
# code's factors drift from the published ones.
GALLONS_PER_KWH = 0.1255
GHG_BEFORE, GHG_FROM = 0.42, 0.7099


@pytest.fixture
def around_the_switch() -> Iterator[zeep.Client]:
    """The minimal world with its clock four days after the switch (seven days of history)."""
    settings = Settings(database_url="sqlite://", fixture="minimal")
    with MockChargePoint(settings, ManualClock(SWITCH + timedelta(days=4))) as mock:
        yield mock.client(mock.tenants()[0])


def test_ghg_savings_switch_factor_on_2021_02_01(around_the_switch: zeep.Client) -> None:
    reply = around_the_switch.service.getFleetUsageData(searchQuery={})
    assert reply.responseCode == "100"
    rows = [r for r in reply.fleetUsageData if r.Energy > 0]
    before = [r for r in rows if r.startTime < SWITCH]
    after = [r for r in rows if r.startTime >= SWITCH]
    assert len(before) >= 2 and len(after) >= 2
    for row in before:
        assert row.ghgSavings == pytest.approx(round(GHG_BEFORE * row.Energy, 3), abs=1e-9)
    for row in after:
        assert row.ghgSavings == pytest.approx(round(GHG_FROM * row.Energy, 3), abs=1e-9)
    for row in rows:
        assert row.gasolineSavings == pytest.approx(round(GALLONS_PER_KWH * row.Energy, 3))
        assert row.ghgSavings > 1  # a depot night is tens of kWh: the factor is not ~0
