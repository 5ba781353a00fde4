"""getUsers, updateUserStatus, setWaitlistDone through zeep (guide 9)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from sqlalchemy import event as sqlalchemy_event
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import CHARGING, HARBOR, SESSION, SUNRISE, expect, port_load
from tests.worlds.images import fresh_world


def users(client: zeep.Client, **query: Any) -> list[Any]:
    reply = client.service.getUsers(searchQuery=query)
    assert reply.responseCode == "100", reply.responseText
    return list(reply.users.user)


def journal(mock: MockChargePoint) -> list[dict[str, Any]]:
    reply = Client(mock.wsgi).get("/_mock/journal")
    return list(json.loads(reply.get_data()))


def test_connected_and_managed_drivers(any_client: zeep.Client) -> None:
    found = users(any_client)
    assert [u.userID for u in found] == ["664719", "664720"]
    avery, jordan = found
    assert (avery.firstName, avery.lastName, avery.driverEmail) == (
        "Avery", "Lindqvist", "avery.lindqvist@example.com",
    )
    assert (avery.Connection.Status, avery.managementRealm.Status) == ("APPROVED", "APPROVED")
    assert [(c.Key, c.Value) for c in avery.Connection.customInfos.customInfo] == [
        ("Department", "Facilities")
    ]
    assert avery.credentialIDs.credentialID == ["CNCP0000481668"]
    assert avery.managementRealm.signupTimeStamp < START
    assert (jordan.Connection.Status, jordan.managementRealm.Status) == ("PENDING", "NOT MANAGED")
    assert jordan.Connection.requestTimeStamp < START
    assert [u.recordNumber for u in found] == [1, 2]
    assert avery.homeStationDetails is None


def test_home_station_details(other_client: zeep.Client) -> None:
    (sam,) = users(other_client)
    home = sam.homeStationDetails
    assert (home.stationSerialNumber, home.stationModelNumber, home.stationMacAddress) == (
        "115110013501", "CT4020-HD-GW", "000D:6F00:0155:A201",
    )
    assert home.stationStatus in {"AVAILABLE", "INUSE"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"Connection": {"Status": "PENDING"}}, ["664720"]),
        ({"Connection": {"customInfo": {"Key": "badge", "Value": "4471"}}}, ["664720"]),
        ({"Connection": {"customInfo": {"Key": "Department"}}}, ["664719"]),
        ({"managementRealm": {"Status": "APPROVED"}}, ["664719"]),
        ({"credentialID": "CNCP0000481669"}, ["664720"]),
        ({"firstName": "avery"}, ["664719"]),
        ({"lastName": "Okafor", "userID": "664720"}, ["664720"]),
        ({"lastModifiedTimeStamp": START - timedelta(days=8)}, ["664719", "664720"]),
    ],
)
def test_user_filters(any_client: zeep.Client, query: dict[str, Any], expected: list[str]) -> None:
    assert [u.userID for u in users(any_client, **query)] == expected


def test_user_paging_and_180(any_client: zeep.Client) -> None:
    first = any_client.service.getUsers(searchQuery={"numUsers": 1})
    assert [u.userID for u in first.users.user] == ["664719"] and first.users.moreFlag == 1
    second = any_client.service.getUsers(searchQuery={"numUsers": 1, "startRecord": 2})
    assert [(u.userID, u.recordNumber) for u in second.users.user] == [("664720", 2)]
    assert second.users.moreFlag == 0
    for query in (
        {"userID": "664721"},  # Harbor's driver: not Sunrise's
        {"lastModifiedTimeStamp": START},
        {"Connection": {"Status": "REJECTED"}},
    ):
        expect(any_client.service.getUsers(searchQuery=query), ResponseCode.NO_USER_FOUND)


def test_update_user_status(mock: MockChargePoint, client: zeep.Client, clock: ManualClock) -> None:
    clock.advance(timedelta(hours=3))
    reply = client.service.updateUserStatus(
        userID="664720", associationType="CONNECTION", Status="APPROVED",
        customText="Welcome to the garage.",
    )
    assert (reply.responseCode, reply.responseText) == ("100", ResponseCode.OK.text)
    (jordan,) = users(client, userID="664720")
    assert jordan.Connection.Status == "APPROVED"
    assert jordan.lastModifiedTimestamp == clock.now()
    assert users(client, lastModifiedTimeStamp=clock.now())[0].userID == "664720"
    last = [r for r in journal(mock) if r["operation"] == "updateUserStatus"][-1]
    assert last["responseCode"] == "100"
    assert last["details"] == {"customText": "Welcome to the garage."}
    expect(
        client.service.updateUserStatus(
            userID="664720", associationType="CONNECTION", Status="APPROVED"
        ),
        ResponseCode.CONNECTION_ALREADY_SET, status="approved",
    )
    client.service.updateUserStatus(
        userID="664719", associationType="MANAGEMENT_REALM", Status="REJECTED"
    )
    assert users(client, userID="664719")[0].managementRealm.Status == "NOT MANAGED"
    client.service.updateUserStatus(userID="664720", associationType="CONNECTION", Status="REMOVED")
    expect(client.service.getUsers(searchQuery={"userID": "664720", "Connection": {
        "Status": "APPROVED"}}), ResponseCode.NO_USER_FOUND)
    assert users(client, userID="664720")[0].Connection.Status == "NOT CONNECTED"


def test_update_user_status_codes(mock: MockChargePoint, client: zeep.Client) -> None:
    expect(
        client.service.updateUserStatus(userID="999", associationType="CONNECTION",
                                        Status="APPROVED"),
        ResponseCode.INVALID_USER_ID,
    )
    expect(
        client.service.updateUserStatus(userID="664721", associationType="CONNECTION",
                                        Status="REJECTED"),
        ResponseCode.USER_REQUEST_NOT_FOUND,
    )
    harbor = mock.client(mock.tenants()[HARBOR])
    expect(
        harbor.service.updateUserStatus(userID="664719", associationType="MANAGEMENT_REALM",
                                        Status="REMOVED"),
        ResponseCode.USER_REQUEST_NOT_FOUND,
    )
    assert users(client, userID="664719")[0].managementRealm.Status == "APPROVED"


def test_set_waitlist_done_mode_one(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(CHARGING)
    assert port_load(client).sessionID == SESSION
    reply = client.service.setWaitlistDone(
        stationID="1:10002", portID="1", userID="664719", customMessageText=""
    )
    assert reply.responseCode == "100"
    details = [r for r in journal(mock) if r["operation"] == "setWaitlistDone"][-1]["details"]
    assert details == {
        "mode": "I",
        "message": details["message"],
    } and details["message"].startswith(
        "Your vehicle is fully charged. Please move your vehicle within 15 minutes. There are "
    )
    clock.advance(timedelta(minutes=5))
    port = port_load(client)
    assert (port.sessionID, port.portLoad) == (SESSION, Decimal("0.000"))  # charging stopped
    clock.advance(timedelta(minutes=11))
    assert port_load(client).sessionID == 0  # the car has moved
    row = client.service.getChargingSessionData(searchQuery={"sessionID": SESSION})
    session = row.ChargingSessionData[0]
    assert session.endTime == CHARGING + timedelta(minutes=15)
    data = client.service.get15minChargingSessionData(sessionID=SESSION)
    assert data.fifteenminData[-1].energyConsumed == session.Energy
    assert data.fifteenminData[-1].stationTime < CHARGING


def test_set_waitlist_done_custom_text_and_codes(mock: MockChargePoint, client: zeep.Client,
                                                 clock: ManualClock) -> None:
    clock.set(CHARGING)
    call = client.service.setWaitlistDone
    expect(
        call(stationID="1:10001", portID="1", userID="664719", customMessageText="x"),
        ResponseCode.INVALID_PARAMETERS,
        params="stationID: the station has no Waitlist",
    )
    expect(
        call(stationID="1:10002", portID="9", userID="664719", customMessageText="x"),
        ResponseCode.INVALID_PARAMETERS,
        params="portID",
    )
    expect(
        call(stationID="1:10002", portID="1", userID="999", customMessageText="x"),
        ResponseCode.INVALID_USER_ID,
    )
    expect(
        call(stationID="1:10002", portID="1", userID="664720", customMessageText="x"),
        ResponseCode.NO_SESSION_DATA,
    )
    harbor = mock.client(mock.tenants()[HARBOR]).service.setWaitlistDone
    expect(
        harbor(stationID="1:10002", portID="1", userID="664719", customMessageText="x"),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )  # view-only grant
    reply = call(stationID="1:10002", portID="1", userID="664719",
                 customMessageText="Thanks for sharing.")
    assert reply.responseCode == "100"
    done = [r for r in journal(mock) if r["operation"] == "setWaitlistDone"][-1]
    assert done["details"]["message"].startswith("Thanks for sharing. Please move")
    assert SUNRISE == 0


def test_set_waitlist_done_mode_two_ends_the_session_now(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    from sqlalchemy import update

    from mockcp.db.models import Station

    with mock.app.sessions() as db, db.begin():
        db.execute(
            update(Station).where(Station.station_id == "1:10002").values(waitlist_mode="II")
        )
    clock.set(CHARGING)
    reply = client.service.setWaitlistDone(
        stationID="1:10002", portID="1", userID="664719", customMessageText="Done for today."
    )
    assert reply.responseCode == "100"
    done = [r for r in journal(mock) if r["operation"] == "setWaitlistDone"][-1]
    assert done["details"] == {
        "mode": "II",
        "message": "Done for today. We will tell the next person that it is ok to unplug your "
        "vehicle and start a new session.",
    }
    clock.advance(timedelta(seconds=1))
    assert port_load(client).sessionID == 0
    session = client.service.getChargingSessionData(searchQuery={"sessionID": SESSION})
    assert session.ChargingSessionData[0].endTime == CHARGING


def test_home_stations_status_reads_their_ports_in_one_query(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The ports behind each driver's home-station status are read in one query for all the
    homes, not one per home (demo world: organisations with drivers at several homes)."""
    settings = fresh_world(tmp_path_factory, "demo", START)
    checked = 0
    with MockChargePoint(settings, ManualClock(START)) as mock:
        port_reads: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if " FROM port " in f"{' '.join(statement.split())} ":
                port_reads.append(statement)

        for tenant in mock.tenants():
            client = mock.client(tenant)
            users(client)  # the world planned, its statuses brought to now
            sqlalchemy_event.listen(mock.wsgi.engine, "before_cursor_execute", seen)
            try:
                port_reads.clear()
                found = users(client)
            finally:
                sqlalchemy_event.remove(mock.wsgi.engine, "before_cursor_execute", seen)
            homes = {u.homeStationDetails.stationSerialNumber for u in found
                     if u.homeStationDetails is not None}
            if len(homes) >= 2:
                assert len(port_reads) == 1, (tenant.org_id, len(homes), len(port_reads))
                checked += 1
    assert checked > 0
