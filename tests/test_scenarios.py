"""Scenario files in scenarios/ run against a fresh mock, through zeep, as a client would."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockcp.clock import ManualClock, utc
from mockcp.config import Settings
from mockcp.testing import MockChargePoint

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _at(text: str) -> datetime:
    return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _samples(scenario: dict[str, Any], with_event: bool) -> list[tuple[datetime, Any]]:
    """getLoad on the event's group every few minutes from the scenario's clock."""
    start = _at(scenario["clock"])
    clock = ManualClock(start)
    settings = Settings(database_url="sqlite://", **scenario["world"])
    with MockChargePoint(settings, clock) as mock:
        tenant = next(t for t in mock.tenants() if t.org_id == scenario["tenant"])
        service = mock.client(tenant).service
        event = dict(scenario["event"])
        if with_event:
            event["eventStartTime"] = _at(event["eventStartTime"])
            reply = service.createLoadShedEvent(shedEvent=event)
            assert reply.responseCode == "100", reply.responseText
        found = []
        step = timedelta(minutes=scenario["sample"]["every_minutes"])
        while clock.now() <= _at(scenario["sample"]["until"]):
            load = service.getLoad(searchQuery={"sgID": int(event["sgID"])})
            assert load.responseCode == "100", load.responseText
            found.append((clock.now(), load))
            clock.advance(step)
        return found


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*demand-response*.yaml")), ids=str)
def test_demand_response_scenario(path: Path) -> None:
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    expect = scenario["expect"]
    begins = _at(scenario["event"]["eventStartTime"])
    ends = begins + timedelta(minutes=scenario["event"]["eventDuration"])
    shed, free = _samples(scenario, True), _samples(scenario, False)

    def group_kw(rows: list[tuple[datetime, Any]], lo: datetime, hi: datetime) -> list[float]:
        return [float(load.sgLoad) for at, load in rows if lo <= at < hi]

    before = group_kw(shed, begins - timedelta(hours=1), begins)
    assert max(before) >= expect["before_peak_kw_at_least"]
    assert before == group_kw(free, begins - timedelta(hours=1), begins)  # nothing moved early
    for at, load in shed:
        if begins <= at < ends:
            for station in load.stationData:
                for port in station.Port:
                    assert float(port.portLoad) <= expect["during_port_kw_at_most"], (at, port)
                    assert port.shedState == 1
    during, uncapped = group_kw(shed, begins, ends), group_kw(free, begins, ends)
    assert _mean(during) <= expect["during_share_of_uncapped_at_most"] * _mean(uncapped)
    later = datetime.max.replace(tzinfo=begins.tzinfo)
    after, free_after = group_kw(shed, ends, later), group_kw(free, ends, later)
    assert max(after) >= expect["after_share_of_uncapped_peak_at_least"] * max(free_after)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*depot*.yaml")), ids=str)
def test_depot_scenario(path: Path) -> None:
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    clock = ManualClock(_at(scenario["clock"]))
    settings = Settings(database_url="sqlite://", **scenario["world"])
    with MockChargePoint(settings, clock) as mock:
        tenant = next(t for t in mock.tenants() if t.org_id == scenario["tenant"])
        service = mock.client(tenant).service
        night_start = _at(scenario["checks"][0]["at"])
        for check in scenario["checks"]:
            clock.set(_at(check["at"]))
            reply = service.getFleetVehicles(searchQuery={"fleetName": "Fleet 1"})
            assert reply.responseCode == "100", reply.responseText
            statuses = {v.fleetVehicleID: v.vehicleChargingStatus for v in reply.fleetVehicle}
            assert len(statuses) == 4
            if "all" in check:
                assert set(statuses.values()) == {check["all"]}, (check["at"], statuses)
            if "any" in check:
                assert set(statuses.values()) <= set(check["any"]), (check["at"], statuses)
            for status, least in check.get("at_least", {}).items():
                assert list(statuses.values()).count(status) >= least, (check["at"], statuses)
        clock.set(_at(scenario["usage_after"]))
        usage = service.getFleetUsageData(searchQuery={"fromTimeStamp": night_start})
        assert usage.responseCode == "100", usage.responseText
        rows = list(usage.fleetUsageData)
        assert len({r.fleetVehicleID for r in rows}) == 4
        for row in rows:
            session = service.getChargingSessionData(
                searchQuery={"sessionID": row.transactionID - 7_000_000_000}
            ).ChargingSessionData[0]
            assert session.Energy == row.Energy and row.Energy > 0
