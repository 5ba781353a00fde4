"""getStationActiveFaults shows what the simulation has made true at the clock's now: a
connectivity drop, a power loss and a GFCI trip are faults from their alarm until the alarm
that ends them (through zeep, times read back from getAlarms)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START

# A root seed whose minimal world, in its seven days of history, holds a power loss, a GFCI
# trip and a connectivity drop on Harbor City's stations (sim/model/alarms.py rates are low).
SEED = 105
SECOND = timedelta(seconds=1)


def world(clock: ManualClock) -> MockChargePoint:
    settings = Settings(database_url="sqlite://", fixture="minimal", root_seed=SEED)
    return MockChargePoint(settings, clock)


def harbor(mock: MockChargePoint) -> zeep.Client:
    return mock.client(mock.tenants()[1])


@pytest.fixture(scope="module")
def alarms() -> list[Any]:
    """Every alarm of Harbor City's stations up to START, as getAlarms lists them."""
    with world(ManualClock(START)) as mock:
        client, found, start = harbor(mock), [], 1
        while True:
            reply = client.service.getAlarms(searchQuery={"startRecord": start})
            assert reply.responseCode == "100"
            found += reply.Alarms
            if reply.moreFlag != 1:
                return found
            start += len(reply.Alarms)


def window(alarms: list[Any], raised: str, ended: str, port: bool) -> tuple[Any, datetime]:
    """The first ``raised`` alarm and the time of the ``ended`` alarm that follows it."""
    first = next(a for a in alarms if a.alarmType == raised)
    return first, min(
        a.alarmTime
        for a in alarms
        if (a.stationID, a.alarmType) == (first.stationID, ended)
        and (a.portNumber == first.portNumber or not port)
        and a.alarmTime > first.alarmTime
    )


def faults(client: zeep.Client, station_id: str) -> list[Any]:
    reply = client.service.getStationActiveFaults(
        searchQuery={"stationIDs": {"stationID": [station_id]}}
    )
    assert reply.responseCode == "100"
    found = reply.stations[0].station[0].stationFaults
    return [] if found is None else list(found.stationFault)


@pytest.mark.parametrize(
    ("raised", "ended", "name", "code", "port"),
    [
        ("Powered Off", "Bootup Due to POWER ON", "Powered Off", "PW-001", False),
        ("GFCI Soft Trip", "Fault Cleared", "GFCI Soft Trip", "GF-002", True),
        ("Unreachable", "Reachable", "Station Unreachable", "NW-001", False),
    ],
)
def test_a_simulated_fault_is_active_between_its_alarms(
    alarms: list[Any], raised: str, ended: str, name: str, code: str, port: bool
) -> None:
    first, back = window(alarms, raised, ended, port)
    clock = ManualClock(first.alarmTime - SECOND)
    with world(clock) as mock:
        client = harbor(mock)
        assert name not in [f.faultName for f in faults(client, first.stationID)]
        clock.set(first.alarmTime + SECOND)
        [fault] = [f for f in faults(client, first.stationID) if f.faultName == name]
        assert (fault.faultCode, fault.faultTime) == (code, first.alarmTime)
        where = f"Port {first.portNumber}" if port else "Station"
        assert fault.faultDescription == f"{where}: {name}"
        fru = f"{first.stationID}-P{first.portNumber}" if port else first.stationID
        assert [f.fruID for f in fault.frus.fru] == [fru]
        clock.set(back + SECOND)
        assert name not in [f.faultName for f in faults(client, first.stationID)]


def test_an_offline_station_is_unreachable(client: zeep.Client) -> None:
    [fault] = faults(client, "1:10003")  # the fixture's offline depot station
    assert (fault.faultName, fault.faultCode, fault.faultSeverity) == (
        "Station Unreachable", "NW-001", "Major",
    )
    assert fault.frus.fru[0].fruID == "1:10003"

