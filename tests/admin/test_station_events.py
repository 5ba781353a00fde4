"""Station events on demand: each checked through at least three operations."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from sqlalchemy import select
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.db.activity import ChargingSession
from mockcp.db.models import Port, Station
from mockcp.sim.store.engine import materialize
from mockcp.testing import MockChargePoint
from tests.conftest import START

DELAY = timedelta(seconds=7)  # a session's transaction follows its report (domain.transactions)


def event(mock: MockChargePoint, station: str, body: object) -> tuple[int, Any]:
    reply = Client(mock.wsgi).post(f"/_mock/stations/{station}/events", json=body)
    return reply.status_code, json.loads(reply.get_data())


def next_session(mock: MockChargePoint, station_id: str, after: Any) -> ChargingSession:
    with mock.wsgi.sessions() as db:
        materialize(db, mock.settings.root_seed, after + timedelta(days=2))
        db.commit()
        found = db.scalars(
            select(ChargingSession)
            .join(Port, Port.id == ChargingSession.port_pk)
            .join(Station, Station.id == Port.station_pk)
            .where(Station.station_id == station_id, ChargingSession.start_time > after)
            .order_by(ChargingSession.start_time)
        ).first()
    assert found is not None and found.end_time is not None
    return found


def alarm_types(client: zeep.Client, station: str) -> list[str]:
    reply = client.service.getAlarms(searchQuery={"stationID": station})
    return [a.alarmType for a in reply.Alarms]


def test_offline_then_online_holds_a_session_that_ends_meanwhile(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    session = next_session(mock, "1:10002", clock.now())
    clock.set(session.start_time + timedelta(minutes=1))
    status, done = event(mock, "1:10002", {"type": "offline"})
    assert (status, done["alarms"], done["sessions"]) == (201, ["Unreachable"], 1)
    # status: the station and its ports read unreachable
    (row,) = client.service.getStationStatus(searchQuery={"stationID": "1:10002"}).stationData
    assert row.networkStatus == "Unreachable"
    assert {p.Status for p in row.Port} == {"UNREACHABLE"}
    # alarms: the Unreachable alarm at the clock's now
    assert alarm_types(client, "1:10002")[-1] == "Unreachable"
    # sessions: ended while unreachable, it still reads as active; no transaction yet
    clock.set(session.end_time + timedelta(minutes=5))
    (seen,) = client.service.getChargingSessionData(
        searchQuery={"sessionID": session.id}
    ).ChargingSessionData
    assert seen.endTime is None
    transaction = session.id + 7_000_000_000
    assert client.service.getTransactionData(
        searchQuery={"transactionID": transaction}
    ).responseCode == "201"
    back = clock.now()
    status, done = event(mock, "1:10002", {"type": "online"})
    assert (status, done["alarms"], done["sessions"]) == (201, ["Reachable"], 1)
    (seen,) = client.service.getChargingSessionData(
        searchQuery={"sessionID": session.id}
    ).ChargingSessionData
    assert seen.endTime == session.end_time
    clock.set(back + DELAY)
    billed = client.service.getTransactionData(searchQuery={"transactionID": transaction})
    assert billed.transactions.transactionData[0].transactionTime == back + DELAY
    assert alarm_types(client, "1:10002")[-2:] == ["Unreachable", "Reachable"]
    (row,) = client.service.getStationStatus(searchQuery={"stationID": "1:10002"}).stationData
    assert row.networkStatus == "Reachable"


def test_port_fault_puts_the_port_out_of_service_until_cleared(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    session = next_session(mock, "1:10001", clock.now())
    clock.set(session.end_time + timedelta(minutes=1))  # the port is free again
    port = "1" if session.port_pk == min_port(mock, "1:10001") else "2"
    status, done = event(mock, "1:10001", {"type": "portFault", "port": int(port),
                                           "fault": "GFCI Trip"})
    assert (status, done["alarms"]) == (201, ["GFCI Trip"])
    assert done["sessions"] >= 1  # the sessions planned on it are dropped (out of service)
    # status: UNKNOWN with the fault as its reason
    (row,) = client.service.getStationStatus(searchQuery={"stationID": "1:10001"}).stationData
    faulted = next(p for p in row.Port if p.portNumber == port)
    assert (faulted.Status, faulted.faultReason) == ("UNKNOWN", "GFCI Trip")
    # active faults and alarms
    reply = client.service.getStationActiveFaults(
        searchQuery={"stationIDs": {"stationID": ["1:10001"]}}
    )
    [fault] = reply.stations[0].station[0].stationFaults.stationFault
    assert (fault.faultCode, fault.faultName, fault.faultTime) == (
        "GF-001", "GFCI Trip", clock.now(),
    )
    assert alarm_types(client, "1:10001")[-1] == "GFCI Trip"
    # sessions: none starts on the faulted port while it is out of service
    faulted_at = clock.now()
    clock.advance(timedelta(days=1))
    sessions = client.service.getChargingSessionData(
        searchQuery={"stationID": "1:10001", "fromTimeStamp": faulted_at}
    )
    assert port not in {r.portNumber for r in (sessions.ChargingSessionData or [])}
    status, done = event(mock, "1:10001", {"type": "faultCleared", "port": int(port)})
    assert (status, done["alarms"]) == (201, ["Fault Cleared"])
    (row,) = client.service.getStationStatus(searchQuery={"stationID": "1:10001"}).stationData
    cleared = next(p for p in row.Port if p.portNumber == port)
    # a healthy port prints faultReason NONE, as the guide's 7.2.5 sample does
    assert (cleared.Status, cleared.faultReason) == ("AVAILABLE", "NONE")
    assert alarm_types(client, "1:10001")[-1] == "Fault Cleared"


def min_port(mock: MockChargePoint, station_id: str) -> int:
    with mock.wsgi.sessions() as db:
        return int(
            db.scalar(
                select(Port.id)
                .join(Station, Station.id == Port.station_pk)
                .where(Station.station_id == station_id)
                .order_by(Port.port_number)
            )
            or 0
        )


def test_reboot_and_events_are_journaled(mock: MockChargePoint, client: zeep.Client) -> None:
    status, done = event(mock, "1:10001", {"type": "reboot"})
    assert (status, done["alarms"]) == (201, ["Powered Off", "Bootup Due to POWER ON"])
    assert alarm_types(client, "1:10001")[-2:] == ["Powered Off", "Bootup Due to POWER ON"]
    (entry,) = mock.journal.calls("stationEvent")
    assert (entry["orgID"], entry["params"]) == ("1:ORG00001", {"stationID": "1:10001",
                                                               "type": "reboot"})


@pytest.mark.parametrize(
    ("station", "body", "status", "error"),
    [
        ("1:99999", {"type": "offline"}, 404, "no station 1:99999"),
        ("1:10001", {"type": "explode"}, 400,
         "type must be one of offline, online, portFault, faultCleared, reboot, plugIn, unplug"),
        ("1:10001", {"type": "offline", "port": 1}, 400, "unknown keys for offline: port"),
        ("1:10001", {"type": "portFault", "port": 9, "fault": "x"}, 400, "1:10001 has no port 9"),
        ("1:10001", {"type": "portFault", "port": 1}, 400,
         'fault must be the fault\'s name, e.g. "GFCI Trip"'),
        ("1:10001", {"type": "online"}, 409, "1:10001 is not offline"),
        ("1:10001", {"type": "faultCleared", "port": 1}, 409, "port 1 has no fault to clear"),
        ("1:10001", [1], 400, 'send a JSON object such as {"type": "offline"}'),
        ("1:10001", {"type": "plugIn", "port": 1, "driver": "nobody"}, 400,
         "no driver with userID nobody"),
        ("1:10001", {"type": "plugIn", "port": 1, "hours": 100}, 400,
         "hours must be a number above 0 and at most 72"),
    ],
)
def test_bad_events_are_refused_and_change_nothing(
    mock: MockChargePoint, station: str, body: object, status: int, error: str
) -> None:
    assert event(mock, station, body) == (status, {"error": error})
    assert mock.journal.calls("stationEvent") == []


def test_unplug_ends_the_session_with_the_energy_it_has(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(START + timedelta(hours=2))  # 19:00: session 100300009 draws 7.2 kW on 1:10002
    load = client.service.getLoad(searchQuery={"stationID": "1:10002"})
    assert load.stationData[0].Port[0].portLoad == Decimal("7.200")
    (before,) = client.service.getChargingSessionData(
        searchQuery={"sessionID": 100300009}
    ).ChargingSessionData
    assert before.endTime is None and before.Energy > 0
    status, done = event(mock, "1:10002", {"type": "unplug", "port": 1})
    assert (status, done["sessions"]) == (201, 1)
    unplugged = clock.now()
    # getLoad: the port draws nothing; getStationStatus: it is free
    load = client.service.getLoad(searchQuery={"stationID": "1:10002"})
    assert load.stationData[0].Port[0].portLoad == Decimal("0.000")
    (row,) = client.service.getStationStatus(searchQuery={"stationID": "1:10002"}).stationData
    assert (row.Port[0].Status, row.Port[0].TimeStamp) == ("AVAILABLE", unplugged)
    # sessions and 15-minute data: ended now, with the energy it had, nothing after
    clock.advance(timedelta(hours=2))
    (after,) = client.service.getChargingSessionData(
        searchQuery={"sessionID": 100300009}
    ).ChargingSessionData
    assert (after.endTime, after.Energy) == (unplugged, before.Energy)
    data = client.service.get15minChargingSessionData(sessionID=100300009).fifteenminData
    assert data[-1].stationTime < unplugged
    # cumulative by default: the last reading is the session's energy, and it grows to it
    assert data[-1].energyConsumed == pytest.approx(float(before.Energy), abs=1e-3)
    assert [r.energyConsumed for r in data] == sorted(r.energyConsumed for r in data)
    assert event(mock, "1:10002", {"type": "unplug", "port": 1}) == (
        409, {"error": "port 1 has no car plugged in"},
    )


def test_plug_in_starts_a_session_at_the_port_power(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(START + timedelta(hours=2))
    event(mock, "1:10002", {"type": "unplug", "port": 1})  # free the port first
    status, done = event(mock, "1:10002", {"type": "plugIn", "port": 1, "energyKWh": 10})
    assert (status, done["sessions"]) == (201, 1)
    plugged = clock.now()
    # getStationStatus: in use; getLoad: the port's full power
    (row,) = client.service.getStationStatus(searchQuery={"stationID": "1:10002"}).stationData
    assert (row.Port[0].Status, row.Port[0].TimeStamp) == ("INUSE", plugged)
    port = client.service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0].Port[0]
    assert port.portLoad == Decimal("7.200")
    # sessions: active, 3.6 kWh after half an hour at 7.2 kW; 15-minute data at 7.2 kW
    clock.advance(timedelta(minutes=30))
    active = client.service.getChargingSessionData(
        searchQuery={"stationID": "1:10002", "activeSessionsOnly": True}
    ).ChargingSessionData
    (new,) = [s for s in active if s.startTime == plugged]
    assert (new.portNumber, new.endTime, float(new.Energy)) == ("1", None, pytest.approx(3.6))
    data = client.service.get15minChargingSessionData(sessionID=new.sessionID).fifteenminData
    assert [r.rollingPowerAvg for r in data] == [pytest.approx(7.2)] * 2
    assert event(mock, "1:10002", {"type": "plugIn", "port": 1}) == (
        409, {"error": f"port 1 is busy (session {new.sessionID})"},
    )
    assert event(mock, "1:10002", {"type": "plugIn", "port": 1, "energyKWh": 0}) == (
        400, {"error": "energyKWh must be a number above 0 and at most 200"},
    )


def test_a_plugged_in_car_is_capped_by_the_port_shed(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(START + timedelta(hours=2))
    event(mock, "1:10002", {"type": "unplug", "port": 1})
    query = {"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 3}, "timeInterval": 0}
    assert client.service.shedLoad(shedQuery=query).responseCode == "100"
    assert event(mock, "1:10002", {"type": "plugIn", "port": 1, "energyKWh": 10})[0] == 201
    port = client.service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0].Port[0]
    assert (port.portLoad, port.shedState) == (Decimal("3.000"), 1)


def test_a_short_stay_leaves_before_the_car_is_full(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(START + timedelta(hours=2))
    event(mock, "1:10002", {"type": "unplug", "port": 1})
    body = {"type": "plugIn", "port": 1, "energyKWh": 10, "hours": 0.5, "driver": "664720"}
    assert event(mock, "1:10002", body)[0] == 201
    plugged = clock.now()
    clock.advance(timedelta(hours=1))
    sessions = client.service.getChargingSessionData(
        searchQuery={"stationID": "1:10002", "fromTimeStamp": plugged}
    ).ChargingSessionData
    (left,) = [s for s in sessions if s.startTime == plugged]
    assert (left.endTime, float(left.Energy)) == (plugged + timedelta(minutes=30), 3.6)
    assert left.userID == "664720"
