"""Station status follows the simulation: a port is INUSE exactly while a session is plugged in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import zeep
from hypothesis import given, settings
from hypothesis import strategies as st

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.images import fresh_world


def active_ports(client: zeep.Client) -> set[tuple[str, str]]:
    reply = client.service.getChargingSessionData(searchQuery={"activeSessionsOnly": True})
    if reply.responseCode == ResponseCode.NO_SESSION_DATA.code:
        return set()
    assert reply.responseCode == "100" and reply.MoreFlag == 0
    return {(r.stationID, r.portNumber) for r in reply.ChargingSessionData}


def inuse_ports(client: zeep.Client) -> tuple[set[tuple[str, str]], set[str]]:
    """Ports INUSE, and the stations that are unreachable now."""
    reply = client.service.getStationStatus(searchQuery={})
    rows = reply.stationData
    inuse = {(s.stationID, p.portNumber) for s in rows for p in s.Port if p.Status == "INUSE"}
    return inuse, {s.stationID for s in rows if s.networkStatus == "Unreachable"}


def test_port_is_inuse_exactly_while_a_session_is_active(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "minimal", START), clock) as mock:
        client = mock.client()
        seen_busy = 0
        for _ in range(40):
            clock.advance(timedelta(minutes=53))
            active = active_ports(client)
            inuse, unreachable = inuse_ports(client)
            assert "1:10003" in unreachable  # offline for good
            assert inuse == {
                (station, port) for station, port in active if station not in unreachable
            }
            seen_busy += bool(active)
        assert seen_busy >= 5


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    steps=st.lists(st.integers(min_value=1, max_value=24 * 60), min_size=1, max_size=5),
)
def test_inuse_exactly_while_active_on_any_seed_and_clock_path(seed: int, steps: list[int]) -> None:
    """hypothesis: whatever the seed and however the clock moves, getStationStatus shows a
    reachable port INUSE exactly when getChargingSessionData has a session active on it."""
    clock = ManualClock(START)
    world = Settings(database_url="sqlite://", fixture="minimal", root_seed=seed)
    with MockChargePoint(world, clock) as mock:
        client = mock.client()
        for minutes in steps:
            clock.advance(timedelta(minutes=minutes))
            active = active_ports(client)
            inuse, unreachable = inuse_ports(client)
            assert inuse == {(st_, port) for st_, port in active if st_ not in unreachable}


def test_status_timestamp_is_the_last_change(tmp_path_factory: pytest.TempPathFactory) -> None:
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "minimal", START), clock) as mock:
        client = mock.client()
        for _ in range(60):
            clock.advance(timedelta(minutes=29))
            reply = client.service.getChargingSessionData(searchQuery={"activeSessionsOnly": True})
            if reply.responseCode == "100":
                row = reply.ChargingSessionData[0]
                status = client.service.getStationStatus(searchQuery={"stationID": row.stationID})
                port = next(p for p in status.stationData[0].Port if p.portNumber == row.portNumber)
                if row.stationID != "1:10003":
                    assert (port.Status, port.TimeStamp) == ("INUSE", row.startTime)
                    return
        raise AssertionError("no session became active in 29 hours")


def test_connectivity_alarms_drive_network_status(tmp_path_factory: pytest.TempPathFactory) -> None:
    from sqlalchemy import select

    from mockcp.db.activity import Alarm
    from mockcp.db.models import Station

    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "minimal", START), clock) as mock:
        client = mock.client()
        clock.advance(timedelta(days=60))
        client.service.getStationStatus(searchQuery={})  # plans the 60 days, alarms included
        with mock.wsgi.sessions() as db:
            pairs = db.execute(
                select(Alarm, Station.station_id)
                .join(Station, Alarm.station_pk == Station.id)
                .where(Alarm.alarm_type.in_(["Unreachable", "Reachable"]), Alarm.alarm_time > START)
                .order_by(Alarm.alarm_time)
            ).all()
        assert pairs, "no connectivity drop in 60 station-days x 4 stations"
        drop, station_id = pairs[0]
        back = next(
            a
            for a, sid in pairs
            if sid == station_id and a.alarm_type == "Reachable" and a.alarm_time > drop.alarm_time
        )
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "minimal", START), clock) as mock:
        client = mock.client()
        clock.set(drop.alarm_time + (back.alarm_time - drop.alarm_time) / 2)
        [row] = client.service.getStationStatus(searchQuery={"stationID": station_id}).stationData
        assert row.networkStatus == "Unreachable"
        assert {p.Status for p in row.Port} <= {"UNREACHABLE", "UNKNOWN"}
        clock.set(back.alarm_time + timedelta(seconds=1))
        [row] = client.service.getStationStatus(searchQuery={"stationID": station_id}).stationData
        assert row.networkStatus == "Reachable"
