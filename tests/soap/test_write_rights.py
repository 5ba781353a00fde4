"""Writes on another organisation's stations need a right that allows them: a grantee with
a view-only profile gets the same refusal from clearAlarms as from shedLoad, and every write
of the API refuses it with its code and text and changes nothing (issue 17; the table is in
docs/limits.md, "Rights")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import zeep
from sqlalchemy import select

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.db.models import Base
from mockcp.soap.application import is_write
from mockcp.soap.versions import OPERATIONS_5_1
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import NEW
from tests.soap.test_load import expect

SUNRISE = {"orgID": "1:ORG00001", "organizationName": "Sunrise Energy Co-op"}
HARBOR = {"orgID": "1:ORG00002", "organizationName": "Harbor City Parking"}


def clear(client: zeep.Client, org: dict[str, str], station: str) -> Any:
    query = {**org, "stationID": station}
    return client.service.clearAlarms(searchQuery=query)


def alarms_of(client: zeep.Client, station: str) -> int:
    reply = client.service.getAlarms(searchQuery={"stationID": station})
    return len(reply.Alarms or []) if reply.responseCode == "100" else 0


def test_view_only_grantee_cannot_clear_alarms_as_it_cannot_shed(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    clock.advance(timedelta(days=60))
    sunrise, harbor = (mock.client(t) for t in mock.tenants())
    assert alarms_of(sunrise, "1:10002") > 0
    shed = harbor.service.shedLoad(shedQuery={
        "shedStation": {"stationID": "1:10002", "percentShedPerStation": 30},
        "timeInterval": 0})
    expect(shed, ResponseCode.STATIONS_OUTSIDE_REALM)
    expect(clear(harbor, SUNRISE, "1:10002"), ResponseCode.STATIONS_OUTSIDE_REALM)
    assert alarms_of(sunrise, "1:10002") > 0  # nothing was cleared


def test_grantee_with_load_rights_clears_the_grantors_alarms(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    clock.advance(timedelta(days=60))
    sunrise, harbor = (mock.client(t) for t in mock.tenants())
    before = alarms_of(harbor, "1:20001")
    assert before > 0
    assert clear(sunrise, HARBOR, "1:20001").responseCode == "100"
    assert alarms_of(harbor, "1:20001") == 0


# Every write operation of the API (soap.application.is_write: all but the get* reads), as
# Harbor City Parking calls it on Sunrise's things: Harbor holds only the view-only profile
# station_manager (view_station, view_sessions) on Sunrise's 1:10002 (docs/limits.md, "Rights").
EVENT_AT = START + timedelta(hours=3)
NEW_EVENT = {"stationID": "1:10002", "eventStartTime": EVENT_AT, "eventDuration": 60,
             "allowedLoadPerPort": 1.0}
REFUSED: dict[str, tuple[dict[str, Any], ResponseCode, dict[str, str]]] = {
    "shedLoad": ({"shedQuery": {"shedStation": {"stationID": "1:10002",
                                                "percentShedPerStation": 30},
                                "timeInterval": 0}}, ResponseCode.STATIONS_OUTSIDE_REALM, {}),
    "clearShedState": ({"shedQuery": {"shedStation": {"stationID": "1:10002"}}},
                       ResponseCode.STATIONS_OUTSIDE_REALM, {}),
    "createLoadShedEvent": ({"shedEvent": NEW_EVENT}, ResponseCode.STATIONS_OUTSIDE_REALM, {}),
    "removeLoadShedEvent": ({"eventId": "SUNRISE_EVENT"}, ResponseCode.STATIONS_OUTSIDE_REALM,
                            {}),
    "clearAlarms": ({"searchQuery": {**SUNRISE, "stationID": "1:10002"}},
                    ResponseCode.STATIONS_OUTSIDE_REALM, {}),
    "setWaitlistDone": ({"stationID": "1:10002", "portID": "1", "userID": "664719",
                         "customMessageText": "Your turn."},
                        ResponseCode.STATIONS_OUTSIDE_REALM, {}),
    "updateUserStatus": ({"userID": "664720", "associationType": "CONNECTION",
                          "Status": "APPROVED"}, ResponseCode.USER_REQUEST_NOT_FOUND, {}),
    "addFleetVehicle": ({"vehicle": NEW}, ResponseCode.INVALID_PARAMETERS,
                        {"params": "(Fleet not found)"}),
    "updateFleetVehicle": ({"vehicle": {"fleetVehicleID": "1:7890", "color": "Red"}},
                           ResponseCode.NO_DATA_FOUND, {}),
    "deleteFleetVehicle": ({"fleetVehicleID": "1:7890"}, ResponseCode.NO_DATA_FOUND, {}),
    "registerFeeds": ({"Events": {"feedEventName": ["station_charging_session_start"]},
                       "searchQuery": {}}, ResponseCode.OPERATION_NOT_FOUND, {}),
    "updateFeed": ({"subscriptionID": "42", "Refresh": True},
                   ResponseCode.OPERATION_NOT_FOUND, {}),
}


def store_digest(mock: MockChargePoint) -> dict[str, list[str]]:
    """Every row of every table but the journal (which records the refused call)."""
    with mock.wsgi.sessions() as db:
        return {
            table.name: sorted(repr(tuple(row)) for row in db.execute(select(table)))
            for table in Base.metadata.sorted_tables
            if table.name != "journal_entry"
        }


def test_every_write_is_in_the_audit() -> None:
    writes = {op for op in OPERATIONS_5_1 if is_write(op)}
    assert writes == set(REFUSED)


@pytest.fixture(scope="module")
def audited() -> Iterator[tuple[MockChargePoint, Any, dict[str, Any]]]:
    """One world for the audit (every refused call must leave it as it was): two weeks on,
    Sunrise has alarms on 1:10002, a shed in force there and a future event."""
    clock = ManualClock(START)
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"), clock) as mock:
        clock.advance(timedelta(days=14))
        sunrise = mock.client(mock.tenants()[0])
        assert alarms_of(sunrise, "1:10002") > 0  # something for clearAlarms to clear
        assert sunrise.service.shedLoad(**REFUSED["shedLoad"][0]).responseCode == "100"
        event_at = {**NEW_EVENT, "eventStartTime": clock.now() + timedelta(hours=3)}
        made = sunrise.service.createLoadShedEvent(shedEvent=event_at)
        assert made.responseCode == "100"  # something to remove
        yield mock, made.eventId, event_at


@pytest.mark.parametrize("operation", sorted(REFUSED))
def test_view_only_grantee_is_refused_every_write_and_nothing_changes(
    audited: tuple[MockChargePoint, Any, dict[str, Any]], operation: str
) -> None:
    mock, event_id, event_at = audited
    harbor = mock.client(mock.tenants()[1])
    request, code, fields = REFUSED[operation]
    if request.get("eventId") == "SUNRISE_EVENT":
        request = {"eventId": event_id}
    if "shedEvent" in request:
        request = {"shedEvent": event_at}
    assert harbor.service.getStations(searchQuery={}).responseCode == "100"  # planned to now
    before = store_digest(mock)
    expect(getattr(harbor.service, operation)(**request), code, **fields)
    assert store_digest(mock) == before
