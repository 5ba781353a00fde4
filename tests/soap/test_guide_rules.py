"""The guide's rules where mockcp used to differ (issue 11), each test citing its section."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import zeep
from lxml import etree
from sqlalchemy import select
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.db.activity import Alarm
from mockcp.db.models import Station
from mockcp.db.people import FleetVehicle
from mockcp.domain.paging import PageRequest
from mockcp.domain.stations.heartbeat import HEARTBEAT
from mockcp.sim.model.vehicles import spec
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.soap.envelopes import SOAP_PATH, guide_style


def by_hand(mock: MockChargePoint, op: str, inner: str) -> etree._Element:
    """A request written as the guide's samples are; the response payload."""
    tenant = mock.tenants()[0]
    reply = Client(mock.wsgi).post(
        SOAP_PATH,
        data=guide_style(tenant.license_key, tenant.password, f"<urn:{op}>{inner}</urn:{op}>"),
    )
    assert reply.status_code == 200, reply.get_data()
    payload = etree.fromstring(reply.get_data()).find(f".//{{*}}{op}Response")
    assert payload is not None
    return payload


def vehicle_xml(number: int) -> str:
    return (
        f"<vehicle><chargePointCards><chargePointCardSn>CPFL{400000 + number:010d}"
        f"</chargePointCardSn></chargePointCards><licensePlate>CO-N{number:05d}</licensePlate>"
        "<fleetName>Sunrise Delivery Fleet</fleetName><make>Ford</make>"
        "<model>E-Transit</model><year>2024</year></vehicle>"
    )


def rows(reply: Any) -> list[Any]:
    assert reply.responseCode == "100", reply.responseText
    return list(reply.fleetVehicle)


def test_guide_10_4_1_num_records_above_100_up_to_500(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    """Guide 10.4.1/10.4.2: 100 vehicles when numRecords is absent; more when asked for."""
    added = by_hand(mock, "addFleetVehicle", "".join(vehicle_xml(n) for n in range(148)))
    assert added.findtext("responseCode") == "100"
    assert len(rows(client.service.getFleetVehicles(searchQuery={}))) == 100
    assert client.service.getFleetVehicles(searchQuery={}).moreFlag == 1
    assert len(rows(client.service.getFleetVehicles(searchQuery={"numRecords": 120}))) == 120
    everything = client.service.getFleetVehicles(searchQuery={"numRecords": 150})
    assert (len(rows(everything)), everything.moreFlag) == (150, 0)
    assert len(rows(client.service.getFleetVehicles(searchQuery={"numRecords": 5000}))) == 150


def test_guide_10_4_and_10_5_page_maximum_is_500() -> None:
    """The guide names no maximum for 10.4/10.5: mockcp clamps at 500 (docs/fidelity-clients.md)."""
    for operation in ("getFleetVehicles", "getFleetUsageData"):
        assert PageRequest.for_operation(operation, None, None).size == 100
        assert PageRequest.for_operation(operation, None, 101).size == 101
        assert PageRequest.for_operation(operation, 3, 5000) == PageRequest(3, 500)


UPDATE_TWO = """
<vehicle><fleetVehicleID>{first}</fleetVehicleID><licensePlate>CO-UPD001</licensePlate></vehicle>
<vehicle><fleetVehicleID>{second}</fleetVehicleID><color>Blue</color>{extra}</vehicle>
"""


def test_guide_10_3_update_several_vehicles_in_one_call(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    """Guide 10.3: "Multiple vehicles can be updated in a single call" (sample 10.3.3: two)."""
    first, second = (
        v.fleetVehicleID for v in rows(client.service.getFleetVehicles(searchQuery={}))
    )
    answer = by_hand(
        mock, "updateFleetVehicle", UPDATE_TWO.format(first=first, second=second, extra="")
    )
    assert (answer.findtext("responseCode"), answer.findtext("responseText")) == (
        "100",
        ResponseCode.OK.text,
    )
    echoed = answer.findall("vehicle")
    assert [v.findtext("fleetVehicleID") for v in echoed] == [first, second]
    assert [v.findtext("licensePlate") for v in echoed][0] == "CO-UPD001"
    assert echoed[1].findtext("color") == "Blue"
    now = {v.fleetVehicleID: v for v in rows(client.service.getFleetVehicles(searchQuery={}))}
    assert (now[first].license, now[second].color) == ("CO-UPD001", "Blue")


def test_guide_10_3_several_vehicles_all_or_none(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    """The second vehicle's type is unknown (10.3.4 Invalid Vehicle Type): neither changes."""
    before = rows(client.service.getFleetVehicles(searchQuery={}))
    first, second = (v.fleetVehicleID for v in before)
    bad = "<make>Nope</make><model>Nope</model><year>1901</year>"
    answer = by_hand(
        mock, "updateFleetVehicle", UPDATE_TWO.format(first=first, second=second, extra=bad)
    )
    code = ResponseCode.INVALID_PARAMETERS
    assert (answer.findtext("responseCode"), answer.findtext("responseText")) == (
        code.code,
        code.render(params="(Invalid Vehicle Type)"),
    )
    assert answer.findall("vehicle") == []
    assert rows(client.service.getFleetVehicles(searchQuery={})) == before


def port_stamps(client: zeep.Client, station: str) -> list[Any]:
    reply = client.service.getStationStatus(searchQuery={"stationID": station})
    assert reply.responseCode == "100", reply.responseText
    return [port.TimeStamp for port in reply.stationData[0].Port]


def test_guide_7_2_3_time_stamp_is_the_last_heartbeat_of_a_reachable_station(
    client: zeep.Client, clock: ManualClock
) -> None:
    """Guide 7.2.3 "TimeStamp: ... the last communication between the station and ChargePoint"."""
    for hours in (0, 1, 5):
        clock.set(START + timedelta(hours=hours, minutes=7))
        now = clock.now()
        stamps = port_stamps(client, "1:20001")
        assert all(now - HEARTBEAT < stamp <= now for stamp in stamps), (now, stamps)


def test_guide_7_2_3_time_stamp_is_frozen_while_the_station_is_unreachable(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    """1:10003 is offline (fixture): it has not talked to the cloud, whatever the clock says."""
    first = port_stamps(client, "1:10003")
    clock.set(START + timedelta(days=2))
    assert port_stamps(client, "1:10003") == first
    assert all(stamp <= START for stamp in first)


def test_guide_7_2_3_a_station_going_silent_keeps_the_time_it_went_silent(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    silent_at = START + timedelta(minutes=40)
    with mock.wsgi.sessions() as db, db.begin():
        station = db.scalars(select(Station).where(Station.station_id == "1:20001")).one()
        db.add(Alarm(station_pk=station.id, alarm_type="Unreachable", alarm_time=silent_at))
    for later in (timedelta(hours=1), timedelta(hours=6)):
        clock.set(START + later)
        reply = client.service.getStationStatus(searchQuery={"stationID": "1:20001"})
        assert reply.stationData[0].networkStatus == "Unreachable"
        assert [p.TimeStamp for p in reply.stationData[0].Port] == [silent_at, silent_at]


GUIDE_PAYMENT_TYPES = {"Voyager", "WEX", "ChargePoint Fuel Card", "Credit Card", "PayPal", "Free"}


def test_guide_10_5_3_fleet_usage_carries_every_field(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    """Guide 10.5.3: fraudDetectionStatus, Odometer, payment*, fleetCustomerID; WSDL: ID."""
    usage = client.service.getFleetUsageData(searchQuery={})
    assert usage.responseCode == "100"
    rows = list(usage.fleetUsageData)
    assert len(rows) >= 3
    vehicles = {v.fleetVehicleID: v for v in rows_of(client)}
    for row in rows:
        battery = battery_of(vehicles[row.fleetVehicleID])
        validated = row.Energy <= battery
        assert row.fraudDetectionStatus == ("Session Validated" if validated else "Fraud Detected")
        assert row.paymentType in GUIDE_PAYMENT_TYPES
        assert (row.paymentType == "Free") == (row.Fee == 0)  # sample 10.5.5
        assert (row.paymentID is not None) == (row.paymentType == "ChargePoint Fuel Card")
        if row.paymentType in {"PayPal", "Free"}:
            assert row.paymentSourceAccount is None
        else:
            assert len(row.paymentSourceAccount) == 4 and row.paymentSourceAccount.isdigit()
        assert row.fleetCustomerID.startswith("CUST") and len(row.fleetCustomerID) == 9
        assert row.plugType == "J1772"  # sample 10.5.5 prints the connector as getStations does
        # ID: the session's id, as getChargingSessionData prints it for the same session
        sessions = client.service.getChargingSessionData(searchQuery={"sessionID": int(row.ID)})
        assert sessions.ChargingSessionData[0].startTime == row.startTime
    by_vehicle: dict[str, list[Any]] = {}
    for row in rows:
        by_vehicle.setdefault(row.fleetVehicleID, []).append(row)
    for vehicle_rows in by_vehicle.values():  # a vehicle's payment source is its own
        paid = {(r.paymentType, r.paymentID, r.paymentSourceAccount) for r in vehicle_rows}
        assert len(paid - {("Free", None, None)}) <= 1
    # "If telematics integration is done with the fleet": 7890 is on FleetCarma, Connected
    readings = [(row.startTime, row.Odometer) for row in by_vehicle["1:7890"]]
    assert all(reading is not None and reading > 0 for _, reading in readings)
    assert [r for _, r in sorted(readings)] == sorted(r for _, r in readings)
    with mock.wsgi.sessions() as db, db.begin():
        vehicle = db.scalars(select(FleetVehicle).where(FleetVehicle.fleet_vehicle_id == "7890"))
        vehicle.one().telematics_status = "Not Connected"
    again = client.service.getFleetUsageData(searchQuery={}).fleetUsageData
    assert [row.Odometer for row in again] == [None] * len(rows)
    assert {row.fraudDetectionStatus for row in again} == {"Unknown (not enabled)"}


def rows_of(client: zeep.Client) -> list[Any]:
    return rows(client.service.getFleetVehicles(searchQuery={}))


def battery_of(vehicle: Any) -> float:
    return spec(vehicle.make, vehicle.model, int(vehicle.year)).battery_kwh


CPN_FORM = re.compile(r"^\d+:\d+$")


def test_guide_7_6_5_and_8_1_5_company_id_is_cpn_prefixed_everywhere(client: zeep.Client) -> None:
    """Guide samples 7.6.5 (``<companyID>1:1</companyID>``) and 8.1.5 (``1:0``)."""
    printed = [row.companyID for row in client.service.getStations(searchQuery={}).stationData] + [
        row.companyID for row in client.service.getAlarms(searchQuery={}).Alarms
    ]
    rights = client.service.getStationRights(searchQuery={}).rightsData
    printed += [station.companyID for right in rights for station in right.stationData]
    transactions = client.service.getTransactionData(searchQuery={}).transactions.transactionData
    printed += [row.companyID for row in transactions]
    assert len(printed) > 10
    assert all(CPN_FORM.match(value) for value in printed), printed
    assert set(printed) == {"1:10001", "1:10002"}


def test_guide_10_4_5_fleet_vehicle_id_is_numeric_after_the_cpn_prefix(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    """Guide samples 10.2.3 (``1:12345``), 10.4.5 (``1:7890``): CPNID:number."""
    added = by_hand(mock, "addFleetVehicle", vehicle_xml(1)).findtext("fleetVehicleID") or ""
    listed = [v.fleetVehicleID for v in rows_of(client)]
    used = [
        r.fleetVehicleID for r in client.service.getFleetUsageData(searchQuery={}).fleetUsageData
    ]
    assert added in listed and "1:7890" in listed
    assert all(CPN_FORM.match(value) for value in [added, *listed, *used])


WARRANTY_NAMES = {
    "None", "Parts Only", "Parts and Labor", "Mission Critical", "Remote Support Standard",
    "Remote Support Critical", "Remote Support and EPW Standard", "Remote Support and EPW Critical",
}


def check_station_vocabulary(rows: list[Any]) -> None:
    """Guide 7.1.3-7.1.5 vocabulary of getStations rows (shared by the minimal and demo worlds)."""
    for row in rows:
        assert row.mainPhone == "1-888-758-4389"  # 7.1.3 ChargePoint's driver support number
        assert row.warrantyService in WARRANTY_NAMES  # 7.1.5
        if row.warrantyService in {"Parts and Labor", "Mission Critical"}:
            assert row.siteValidated is True and row.siteValidationDate is not None
        if row.siteValidationDate is not None:
            assert row.siteValidated is True
        modem = row.stationModel.endswith("-GW") or row.stationModel.startswith(("CPGW", "CPE"))
        low = -120 if modem else -90  # 7.1.4: LTE RSRP for gateways, Wi-Fi RSSI otherwise
        assert low <= row.stationReception <= 0, (row.stationModel, row.stationReception)
        assert (row.wanIpAddress is not None) == modem
        assert row.radioGroupID is None or row.radioGroupID.isdigit()
        for price in row.Pricing:  # 7.1.3 "Pricing type (Session, Hourly or kWh)"
            assert price.Type in {"Session", "Hourly", "kWh"}


def test_guide_7_1_getStations_values_in_the_guide_vocabulary(client: zeep.Client) -> None:
    rows = list(client.service.getStations(searchQuery={}).stationData)
    check_station_vocabulary(rows)
    by_id = {row.stationID: row for row in rows}
    assert by_id["1:10001"].warrantyService == "Parts and Labor"
    assert by_id["1:10001"].wanIpAddress == "10.20.31.7"
    assert by_id["1:10003"].wanIpAddress is None  # a Flex unit: Wi-Fi, no modem
    assert {by_id["1:10001"].radioGroupID, by_id["1:10002"].radioGroupID} == {"7"}
    assert [p.Type for p in by_id["1:10002"].Pricing] == ["kWh", "Hourly"]


def test_guide_6_1_2_to_time_stamp_bounds_the_end_of_the_session(
    client: zeep.Client, clock: ManualClock
) -> None:
    """FIDELITY: 6.1.2 "toTimeStamp: Session time < ... indicating the end of the charging
    session" (and fromTimeStamp "... indicating the start"): from bounds the start, to the end."""
    everything = client.service.getChargingSessionData(searchQuery={}).ChargingSessionData
    ended = [r for r in everything if r.endTime is not None]
    target = ended[len(ended) // 2]
    to = target.endTime + timedelta(seconds=1)
    rows = client.service.getChargingSessionData(
        searchQuery={"fromTimeStamp": target.startTime, "toTimeStamp": to}
    ).ChargingSessionData
    assert target.sessionID in [r.sessionID for r in rows]
    assert all(target.startTime <= r.startTime and r.endTime < to for r in rows)
    just_before_end = client.service.getChargingSessionData(
        searchQuery={"fromTimeStamp": target.startTime, "toTimeStamp": target.endTime}
    )
    assert target.sessionID not in [r.sessionID for r in just_before_end.ChargingSessionData or []]


def test_guide_7_2_5_healthy_ports_print_fault_reason_none(client: zeep.Client) -> None:
    """Sample 7.2.5: ``<faultReason>NONE</faultReason>``; a faulted port names its fault."""
    reply = client.service.getStationStatus(searchQuery={})
    reasons = {
        (s.stationID, p.portNumber): p.faultReason for s in reply.stationData for p in s.Port
    }
    assert reasons.pop(("1:20002", "2")) == "Hardware Fault Station Out Of Service"
    assert set(reasons.values()) == {"NONE"}


def test_guide_samples_number_forms(mock: MockChargePoint, client: zeep.Client) -> None:
    """5.3.5 ``<lastBatteryPercent>0``, 7.3.5 ``<Lat>30</Lat>``, 10.5.5 ``<startSOC>0``/``<Fee>0``:
    whole numbers print without a fraction (not ``0.0``)."""
    load = by_hand(mock, "getLoad", "<searchQuery><stationID>1:10001</stationID></searchQuery>")
    assert [p.findtext("lastBatteryPercent") for p in load.iter("Port")] == ["0", "0"]
    groups = by_hand(mock, "getStationGroups", "<orgID>1:ORG00002</orgID>")
    assert [lat.text for lat in groups.iter("Lat")] == ["47.60533", "47.60541"]
    usage = by_hand(mock, "getFleetUsageData", "<searchQuery/>")
    for row in usage.iter("fleetUsageData"):
        for name in ("startSOC", "endSOC", "Fee", "Odometer"):
            text = row.findtext(name)
            if text is not None:
                assert not text.endswith(".0"), (name, text)
                float(text)
