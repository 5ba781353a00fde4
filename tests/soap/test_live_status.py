"""Station status follows the simulation: a port is INUSE exactly while a session is plugged in."""

from __future__ import annotations

from datetime import timedelta

import zeep

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START


def active_ports(client: zeep.Client) -> set[tuple[str, str]]:
    reply = client.service.getChargingSessionData(searchQuery={"activeSessionsOnly": True})
    if reply.responseCode == ResponseCode.NO_SESSION_DATA.code:
        return set()
    assert reply.responseCode == "100" and reply.MoreFlag == 0
    return {(r.stationID, r.portNumber) for r in reply.ChargingSessionData}


def inuse_ports(client: zeep.Client) -> set[tuple[str, str]]:
    reply = client.service.getStationStatus(searchQuery={})
    return {
        (s.stationID, p.portNumber)
        for s in reply.stationData
        for p in s.Port
        if p.Status == "INUSE"
    }


def test_port_is_inuse_exactly_while_a_session_is_active() -> None:
    clock = ManualClock(START)
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"), clock) as mock:
        client = mock.client()
        seen_busy = 0
        for _ in range(40):
            clock.advance(timedelta(minutes=53))
            active = active_ports(client)
            assert inuse_ports(client) == active - {("1:10003", "1")}  # 1:10003 is unreachable
            seen_busy += bool(active)
        assert seen_busy >= 5


def test_status_timestamp_is_the_last_change() -> None:
    clock = ManualClock(START)
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"), clock) as mock:
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
