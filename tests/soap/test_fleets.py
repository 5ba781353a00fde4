"""Fleet Management through zeep (guide 10): vehicles, their live status and their usage."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import HARBOR, NEW, expect


def vehicles(client: zeep.Client, **query: Any) -> list[Any]:
    reply = client.service.getFleetVehicles(searchQuery=query)
    assert reply.responseCode == "100", reply.responseText
    return list(reply.fleetVehicle)


def test_fleet_vehicle_rows(any_client: zeep.Client) -> None:
    first, second = vehicles(any_client)
    assert (first.fleetVehicleID, first.vehicleID, first.VIN, first.license) == (
        "1:7890", "VAN-01", "1FTBW3XM5KKA00001", "CO-ABC101",
    )
    assert (first.make, first.model, first.year, first.fleetName) == (
        "Ford", "E-Transit", 2023, "Sunrise Delivery Fleet",
    )
    assert first.credentialIDs.credentialID == ["CPFL0000205756"]
    assert (first.orgID, first.organizationName) == ("1:ORG00001", "Sunrise Energy Co-op")
    assert [v.recordNumber for v in (first, second)] == [1, 2]
    assert {first.vehicleChargingStatus, second.vehicleChargingStatus} <= {
        "Charging", "Charged", "Not Plugged In", "Fault",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"VIN": "5YJ3E1EA7KF000002"}, ["1:7891"]),
        ({"license": "co-abc101"}, ["1:7890"]),
        ({"make": "Tesla", "year": 2022}, ["1:7891"]),
        ({"credentialID": "CPFL0000205757"}, ["1:7891"]),
        ({"fleetVehicleID": "1:7891"}, ["1:7891"]),
        ({"fleetName": "Sunrise Delivery Fleet", "vehicleID": "VAN-01"}, ["1:7890"]),
        ({"orgID": "1:ORG00001"}, ["1:7890", "1:7891"]),
        ({"modifiedSince": START - timedelta(days=200)}, ["1:7890", "1:7891"]),
    ],
)
def test_fleet_vehicle_filters(
    any_client: zeep.Client, query: dict[str, Any], expected: list[str]
) -> None:
    assert [v.fleetVehicleID for v in vehicles(any_client, **query)] == expected


def test_fleet_vehicle_paging_and_none(any_client: zeep.Client, other_client: zeep.Client) -> None:
    page = any_client.service.getFleetVehicles(searchQuery={"numRecords": 1, "startRecord": 2})
    assert [(v.fleetVehicleID, v.recordNumber) for v in page.fleetVehicle] == [("1:7891", 2)]
    assert page.moreFlag == 0
    assert any_client.service.getFleetVehicles(searchQuery={"numRecords": 1}).moreFlag == 1
    expect(any_client.service.getFleetVehicles(searchQuery={"make": "Rivian"}),
           ResponseCode.NO_DATA_FOUND)
    expect(other_client.service.getFleetVehicles(searchQuery={}), ResponseCode.NO_DATA_FOUND)


def test_depot_vehicle_charges_overnight_with_its_card(
    client: zeep.Client, clock: ManualClock
) -> None:
    """7890 charges at the depot (1:10003), which is offline in this world: Fault."""
    clock.set(START + timedelta(hours=9))  # 19:00 in Boulder
    status = {v.fleetVehicleID: v.vehicleChargingStatus for v in vehicles(client)}
    assert status == {"1:7890": "Fault", "1:7891": "Not Plugged In"}
    load = client.service.getLoad(searchQuery={"stationID": "1:10003"}).stationData[0].Port[0]
    assert load.credentialID == "CPFL0000205756" and load.sessionID > 0
    assert vehicles(client, vehicleChargingStatus="Fault")[0].fleetVehicleID == "1:7890"
    clock.set(START + timedelta(hours=22))  # 08:00 next morning: gone on its route
    status = {v.fleetVehicleID: v.vehicleChargingStatus for v in vehicles(client)}
    assert status == {"1:7890": "Not Plugged In", "1:7891": "Not Plugged In"}


def test_add_update_delete(mock: MockChargePoint, client: zeep.Client, clock: ManualClock) -> None:
    reply = client.service.addFleetVehicle(vehicle=NEW)
    assert reply.responseCode == "100"
    (new_id,) = reply.fleetVehicleID
    (row,) = vehicles(client, fleetVehicleID=new_id)
    assert (row.license, row.vehicleID, row.color, row.year, row.fleetUserID) == (
        "CO-NEW001", "VAN-02", "White", 2024, "D-17",
    )
    assert row.credentialIDs.credentialID == ["CPFL0000300001", "04A1B2C3D4E5F6"]
    assert row.lastModifiedTimestamp == START
    clock.advance(timedelta(hours=1))
    updated = client.service.updateFleetVehicle(vehicle={"fleetVehicleID": new_id, "color": "Red"})
    assert updated.responseCode == "100"
    echo = updated.vehicle
    assert (echo.fleetVehicleID, echo.color, echo.licensePlate, echo.make, echo.year) == (
        new_id, "Red", "CO-NEW001", "Ford", "2024",
    )
    (row,) = vehicles(client, fleetVehicleID=new_id)
    assert (row.color, row.license, row.lastModifiedTimestamp) == ("Red", "CO-NEW001", clock.now())
    client.service.updateFleetVehicle(
        vehicle={"fleetVehicleID": new_id, "chargePointCards": {"chargePointCardSn": [
            "CPFL0000300002"]}, "make": "Tesla", "model": "Model 3", "year": "2022"}
    )
    (row,) = vehicles(client, fleetVehicleID=new_id)
    assert row.credentialIDs.credentialID == ["CPFL0000300002"] and row.make == "Tesla"
    harbor = mock.client(mock.tenants()[HARBOR])
    expect(harbor.service.deleteFleetVehicle(fleetVehicleID=new_id), ResponseCode.NO_DATA_FOUND)
    deleted = client.service.deleteFleetVehicle(fleetVehicleID=new_id)
    assert (deleted.responseCode, deleted.responseText) == ("100", ResponseCode.OK.text)
    expect(client.service.getFleetVehicles(searchQuery={"fleetVehicleID": new_id}),
           ResponseCode.NO_DATA_FOUND)
    expect(client.service.deleteFleetVehicle(fleetVehicleID=new_id), ResponseCode.NO_DATA_FOUND)
    # its released card may go on another vehicle
    again = {**NEW, "chargePointCards": {"chargePointCardSn": ["CPFL0000300002"]}}
    assert client.service.addFleetVehicle(vehicle=again).responseCode == "100"


SPECIFIC = [
    ({"make": "Ford", "model": "Model T"}, "Invalid Vehicle Type"),
    ({"year": "2015"}, "Invalid Vehicle Type"),  # the E-Transit was first built in 2022
    ({"year": "soon"}, "Invalid Vehicle Type"),
    ({"chargePointCards": {"chargePointCardSn": ["not-a-card"]}}, "Invalid RFID card provided"),
    ({"chargePointCards": {"chargePointCardSn": ["CNCP0000481668"]}},  # a driver's card
     "Invalid RFID card provided"),
    ({"chargePointCards": {"chargePointCardSn": ["CPFL0000205756"]}},  # 7890's card
     "Invalid RFID card provided"),
    ({"fleetName": "Somebody Else's Fleet"}, "Fleet not found"),
]


@pytest.mark.parametrize(("change", "text"), SPECIFIC, ids=[str(c[0]) for c in SPECIFIC])
def test_add_fleet_vehicle_specific_errors_change_nothing(
    client: zeep.Client, change: dict[str, Any], text: str
) -> None:
    before = vehicles(client)
    expect(client.service.addFleetVehicle(vehicle={**NEW, **change}),
           ResponseCode.INVALID_PARAMETERS, params=f"({text})")
    assert vehicles(client) == before


def test_update_fleet_vehicle_errors(client: zeep.Client) -> None:
    update = client.service.updateFleetVehicle
    expect(update(vehicle={"fleetVehicleID": "1:7890", "year": "1999"}),
           ResponseCode.INVALID_PARAMETERS, params="(Invalid Vehicle Type)")
    expect(update(vehicle={"fleetVehicleID": "1:7890", "fleetName": "Nope"}),
           ResponseCode.INVALID_PARAMETERS, params="(Fleet not found)")
    expect(update(vehicle={"fleetVehicleID": "1:99999", "color": "Red"}),
           ResponseCode.NO_DATA_FOUND)
    expect(
        client.service.addFleetVehicle(vehicle={**NEW, "chargePointCards": {}}),
        ResponseCode.MANDATORY_FIELDS_MISSING,
    )
    assert vehicles(client, fleetVehicleID="1:7890")[0].year == 2023


def test_fleet_usage_matches_the_sessions(client: zeep.Client, clock: ManualClock) -> None:
    clock.set(START + timedelta(days=4))
    reply = client.service.getFleetUsageData(searchQuery={})
    assert reply.responseCode == "100"
    rows = list(reply.fleetUsageData)
    assert {r.fleetVehicleID for r in rows} == {"1:7890"} and len(rows) >= 3
    for row in rows:
        assert (row.stationID, row.credentialID, row.License) == (
            "1:10003", "CPFL0000205756", "CO-ABC101",
        )
        session_id = row.transactionID - 7_000_000_000
        same = client.service.getChargingSessionData(searchQuery={"sessionID": session_id})
        session = same.ChargingSessionData[0]
        assert (session.Energy, session.startTime, session.endTime) == (
            row.Energy, row.startTime, row.endTime,
        )
        assert row.gasolineSavings == pytest.approx(round(0.1255 * row.Energy, 3))
        local = row.startTime - timedelta(hours=7)  # Boulder in March (the fixture's offset)
        assert abs(local.hour * 60 + local.minute - 18 * 60) <= 90  # back around 18:00
        assert row.endSOC > row.startSOC
    narrowed = client.service.getFleetUsageData(
        searchQuery={"fleetVehicleID": "1:7890", "fromTimeStamp": rows[-1].startTime}
    )
    assert [r.transactionID for r in narrowed.fleetUsageData] == [rows[-1].transactionID]
    expect(client.service.getFleetUsageData(searchQuery={"fleetVehicleID": "1:7891"}),
           ResponseCode.NO_DATA_FOUND)
    page = client.service.getFleetUsageData(searchQuery={"numRecords": 1, "startRecord": 2})
    assert page.fleetUsageData[0].recordNumber == 2 and page.moreFlag == 1


def test_reference_wsdl_client_reads_fleets(reference_client: zeep.Client) -> None:
    rows = reference_client.service.getFleetVehicles(searchQuery={"license": "CO-ABC102"})
    assert [v.fleetVehicleID for v in rows.fleetVehicle] == ["1:7891"]
    expect(
        reference_client.service.getFleetUsageData(searchQuery={"License": "CO-NOPE"}),
        ResponseCode.NO_DATA_FOUND,
    )


def _vehicle_xml(plate: str, card: str) -> str:
    return (
        f"<vehicle><chargePointCards><chargePointCardSn>{card}</chargePointCardSn>"
        f"</chargePointCards><licensePlate>{plate}</licensePlate>"
        "<fleetName>Sunrise Delivery Fleet</fleetName><vehicleID>VAN-9</vehicleID>"
        "<make>Ford</make><model>E-Transit</model><year>2024</year></vehicle>"
    )


def _add_by_hand(mock: MockChargePoint, *vehicles: str) -> Any:
    """An addFleetVehicle built by hand as the guide's sample 10.1.3 is: several vehicles."""
    from werkzeug.test import Client

    from tests.soap.envelopes import SOAP_PATH, guide_style, parse

    tenant = mock.tenants()[0]
    body = f"<urn:addFleetVehicle>{''.join(vehicles)}</urn:addFleetVehicle>"
    reply = Client(mock.wsgi).post(
        SOAP_PATH, data=guide_style(tenant.license_key, tenant.password, body)
    )
    assert reply.status_code == 200, reply.get_data()
    return parse(reply.get_data()).find(".//{*}addFleetVehicleResponse")


def test_add_several_vehicles_in_one_call_as_the_guide_allows(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    answer = _add_by_hand(
        mock,
        _vehicle_xml("CO-TWO001", "CPFL0000300011"),
        _vehicle_xml("CO-TWO002", "CPFL0000300012"),
    )
    assert answer.findtext("responseCode") == "100"
    ids = [node.text for node in answer.findall("fleetVehicleID")]
    assert len(ids) == 2 and len(set(ids)) == 2
    plates = [vehicles(client, fleetVehicleID=i)[0].license for i in ids]
    assert plates == ["CO-TWO001", "CO-TWO002"]


def test_several_vehicles_all_or_none(mock: MockChargePoint, client: zeep.Client) -> None:
    """The second vehicle reuses the first one's card: the call is refused and adds neither."""
    before = vehicles(client)
    answer = _add_by_hand(
        mock,
        _vehicle_xml("CO-TWO003", "CPFL0000300013"),
        _vehicle_xml("CO-TWO004", "CPFL0000300013"),
    )
    code = ResponseCode.INVALID_PARAMETERS
    assert (answer.findtext("responseCode"), answer.findtext("responseText")) == (
        code.code, code.render(params="(Invalid RFID card provided)"),
    )
    assert vehicles(client) == before
    ok = _add_by_hand(mock, _vehicle_xml("CO-TWO003", "CPFL0000300013"))  # the card is still free
    assert ok.findtext("responseCode") == "100"
