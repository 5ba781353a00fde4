"""createLoadShedEvent / removeLoadShedEvent through zeep (guide 5.4-5.5)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import CHARGING, HARBOR, expect, port_load


def event(client: zeep.Client, **fields: Any) -> Any:
    shed = {"eventStartTime": CHARGING, "eventDuration": 60, **fields}
    return client.service.createLoadShedEvent(shedEvent=shed)


def test_an_event_caps_the_port_while_it_runs(client: zeep.Client, clock: ManualClock) -> None:
    reply = event(client, stationID="1:10002", allowOptOut=False, allowedLoadPerPort=2.0)
    assert reply.responseCode == "100" and reply.eventId > 0
    clock.set(CHARGING - timedelta(minutes=30))
    assert port_load(client).portLoad == Decimal("7.200")
    clock.set(CHARGING)
    port = port_load(client)
    assert (port.portLoad, port.shedState, port.allowedLoad) == (
        Decimal("2.000"), 1, Decimal("2.000"),
    )
    clock.set(CHARGING + timedelta(minutes=61))
    port = port_load(client)
    assert (port.portLoad, port.shedState) == (Decimal("7.200"), 0)


def test_a_percentage_event_is_of_the_power_at_its_start(
    client: zeep.Client, clock: ManualClock
) -> None:
    event(client, stationID="1:10002", percentShedPerStation=25.0)
    clock.set(CHARGING + timedelta(minutes=5))
    assert port_load(client).portLoad == Decimal("5.400")


def test_event_ids_are_unique_and_removal_undoes_the_event(
    client: zeep.Client, clock: ManualClock, mock: MockChargePoint
) -> None:
    first = event(client, stationID="1:10002", allowedLoadPerPort=1.0).eventId
    second = event(client, sgID="1002", allowedLoadPerPort=1.0).eventId
    assert first != second
    for eid in (first, second):
        reply = client.service.removeLoadShedEvent(eventId=eid)
        assert (reply.responseCode, reply.response) == ("100", "Success")
    clock.set(CHARGING)
    assert port_load(client).portLoad == Decimal("7.200")
    expect(client.service.removeLoadShedEvent(eventId=first), ResponseCode.NO_DATA_FOUND)
    expect(client.service.removeLoadShedEvent(eventId=987654), ResponseCode.NO_DATA_FOUND)
    started = event(
        client, stationID="1:10002", eventStartTime=CHARGING + timedelta(minutes=1),
        allowedLoadPerPort=1.0,
    )
    clock.advance(timedelta(minutes=2))
    expect(
        client.service.removeLoadShedEvent(eventId=started.eventId),
        ResponseCode.INVALID_PARAMETERS,
        params="eventId: the event has already started",
    )
    later = event(
        client, stationID="1:10002", eventStartTime=CHARGING + timedelta(hours=2),
        allowedLoadPerPort=1.0,
    )
    harbor = mock.client(mock.tenants()[HARBOR])
    expect(
        harbor.service.removeLoadShedEvent(eventId=later.eventId),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )


CASES = [
    ({"stationID": "1:10002", "allowedLoadPerPort": 1.0, "eventStartTime": START},
     ResponseCode.INVALID_FUTURE_DATE, {}),
    ({"stationID": "1:10002", "allowedLoadPerPort": 1.0, "eventDuration": 0},
     ResponseCode.INVALID_DURATION, {}),
    ({"allowedLoadPerPort": 1.0}, ResponseCode.MANDATORY_FIELDS_MISSING, {}),
    ({"stationID": "1:10002", "sgID": "1002", "allowedLoadPerPort": 1.0},
     ResponseCode.GROUP_AND_STATION_SHED, {}),
    ({"stationID": "1:10002"}, ResponseCode.ALLOWED_LOAD_OR_PERCENT, {}),
    ({"stationID": "1:10002", "percentShedPerStation": 120.0}, ResponseCode.PERCENT_OVER_100, {}),
    ({"stationID": "1:20002", "allowedLoadPerPort": 1.0},
     ResponseCode.STATION_ABSOLUTE_SHED_UNSUPPORTED, {}),
    ({"sgID": "2001", "allowedLoadPerPort": 1.0},
     ResponseCode.GROUP_ABSOLUTE_SHED_UNSUPPORTED, {}),
    ({"stationID": "1:10002", "allowedLoadPerPort": 9.0},
     ResponseCode.ALLOWED_LOAD_TOO_HIGH, {"max_load": "7.2"}),
    ({"stationID": "1:10003", "allowedLoadPerPort": 1.0}, ResponseCode.PANEL_SHARING_SHED, {}),
    ({"sgID": "x", "allowedLoadPerPort": 1.0}, ResponseCode.INVALID_STATION_GROUP_ID, {}),
]


@pytest.mark.parametrize(("fields", "code", "text"), CASES, ids=[c[1].name for c in CASES])
def test_event_codes(
    client: zeep.Client, fields: dict[str, Any], code: ResponseCode, text: dict[str, object]
) -> None:
    expect(event(client, **fields), code, **text)


def test_drivers_opt_out_where_allowed_and_sessions_show_it(
    client: zeep.Client, clock: ManualClock
) -> None:
    week = 7 * 24 * 60
    start = START + timedelta(minutes=10)
    event(client, sgID="1002", allowedLoadPerPort=1.0, eventStartTime=start, eventDuration=week)
    clock.set(start + timedelta(minutes=week))
    reply = client.service.getChargingSessionData(searchQuery={"fromTimeStamp": start})
    rows = [r for r in reply.ChargingSessionData if r.stationID in {"1:10001", "1:10002"}]
    opted = [r for r in rows if r.driverOptedOut]
    kept = [r for r in rows if not r.driverOptedOut and r.Energy > 0]
    assert opted and kept
    for row in opted:
        assert row.startTime < row.driverOptOutTimestamp < row.startTime + timedelta(minutes=31)
    charging_after_opt_out = []
    for row in kept + opted:
        data = client.service.get15minChargingSessionData(sessionID=row.sessionID)
        for reading in data.fifteenminData:
            capped = not row.driverOptedOut or reading.stationTime + timedelta(minutes=15) <= (
                row.driverOptOutTimestamp
            )
            if capped:
                assert reading.peakPower <= 1.0 + 1e-9
        after = [
            r for r in data.fifteenminData
            if row.driverOptedOut and r.stationTime >= row.driverOptOutTimestamp
        ]
        if any(r.rollingPowerAvg > 0 for r in after):  # still charging when the driver opted out
            assert max(r.peakPower for r in after) > 1.0
            charging_after_opt_out.append(row.sessionID)
    assert charging_after_opt_out
