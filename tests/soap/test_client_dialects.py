"""Requests as real clients shape them (real-interface 1, 4) are all accepted."""

from __future__ import annotations

from werkzeug.test import Client

from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.soap.envelopes import SOAP_PATH, TNS, go_style, guide_style, parse


def post(
    mock: MockChargePoint, data: bytes, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    reply = Client(mock.wsgi).post(
        SOAP_PATH, data=data, headers=headers or {"Content-Type": "text/xml"}
    )
    return reply.status_code, reply.get_data()


def test_guide_sample_shape_is_accepted(mock: MockChargePoint, tenant: Tenant) -> None:
    body = "<urn:getLoad><searchQuery><stationID>1:10001</stationID></searchQuery></urn:getLoad>"
    status, data = post(mock, guide_style(tenant.license_key, tenant.password, body))
    assert status == 200
    root = parse(data)
    assert root.findtext(".//responseCode") == "100"
    assert [e.text for e in root.iter("stationID")] == ["1:10001"]
    assert [e.text for e in root.iter("portNumber")] == ["1", "2"]


def test_go_encoding_xml_shape_without_soapaction_is_accepted(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    data = go_style(tenant.license_key, tenant.password, "getCPNInstances", "")
    status, reply = post(mock, data, {"Content-Type": "text/xml; charset=utf-8"})
    assert status == 200
    assert len(parse(reply).findall(".//CPN")) == 4


def test_go_default_namespace_children_reach_handler(mock: MockChargePoint, tenant: Tenant) -> None:
    inner = "<searchQuery><sgID>1002</sgID></searchQuery>"
    status, data = post(mock, go_style(tenant.license_key, tenant.password, "getLoad", inner))
    assert status == 200
    root = parse(data)
    assert (root.findtext(".//sgID"), root.findtext(".//numStations")) == ("1002", "2")
    assert root.findtext(".//groupName") == "Sunrise - Downtown Garage"


def test_zeep_shape_with_qualified_children_and_xsi_type_is_accepted(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    # HA sends a statusSearchdata object where statusSearchdataForGetStations is declared
    body = (
        f'<ns0:getStationStatus xmlns:ns0="{TNS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<ns0:searchQuery xsi:type="ns0:statusSearchdata"><ns0:stationID>1:10001</ns0:stationID>'
        "<ns0:portDetails>true</ns0:portDetails></ns0:searchQuery></ns0:getStationStatus>"
    )
    action = '"urn:provider/interface/chargepointservices/getStationStatus"'
    status, data = post(
        mock,
        guide_style(tenant.license_key, tenant.password, body),
        {"Content-Type": "text/xml", "SOAPAction": action},
    )
    assert status == 200
    root = parse(data)
    assert [e.text for e in root.iter("stationID")] == ["1:10001"]
    assert [e.text for e in root.iter("Connector")] == ["J1772", "J1772"]


def test_any_soapaction_is_ignored(mock: MockChargePoint, tenant: Tenant) -> None:
    data = guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>")
    status, _ = post(
        mock, data, {"Content-Type": "text/xml", "SOAPAction": '"urn:whatever/getLoad"'}
    )
    assert status == 200


def test_empty_optional_non_string_elements_are_treated_as_absent(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    # KIN's Go client sends empty siblings next to the real payload (real-interface 4.3)
    inner = (
        "<shedQuery><shedGroup></shedGroup><shedStation><stationID>1:10001</stationID>"
        "<allowedLoadPerStation></allowedLoadPerStation><percentShedPerStation>10</percentShedPerStation>"
        "</shedStation><timeInterval>0</timeInterval></shedQuery>"
    )
    status, data = post(mock, go_style(tenant.license_key, tenant.password, "shedLoad", inner))
    assert status == 200
    root = parse(data)
    assert root.findtext(".//responseCode") == "100"
    assert (root.findtext(".//stationID"), root.findtext(".//percentShedPerStation")) == (
        "1:10001",
        "10",
    )
    assert root.find(".//sgID") is None and root.find(".//allowedLoadPerStation") is None


def test_booleans_accept_true_false_one_zero(mock: MockChargePoint, tenant: Tenant) -> None:
    for value in ("true", "false", "1", "0", "TRUE"):
        flag = f"<energyConsumedInterval>{value}</energyConsumedInterval>"
        inner = f"<sessionID>53068029</sessionID>{flag}"
        data = go_style(tenant.license_key, tenant.password, "get15minChargingSessionData", inner)
        status, reply = post(mock, data)
        assert status == 200, value
        assert parse(reply).findtext(".//responseCode") == "132", value


def test_timestamps_accept_z_offset_and_naive(mock: MockChargePoint, tenant: Tenant) -> None:
    seen = []
    for stamp in ("2024-03-08T00:00:00Z", "2024-03-08T02:00:00+02:00", "2024-03-08T00:00:00"):
        inner = (
            f"<searchQuery><fromTimeStamp>{stamp}</fromTimeStamp>"
            "<toTimeStamp>2024-03-12T00:00:00Z</toTimeStamp></searchQuery>"
        )
        data = go_style(tenant.license_key, tenant.password, "getChargingSessionData", inner)
        status, reply = post(mock, data)
        assert status == 200, stamp
        root = parse(reply)
        assert root.findtext(".//responseCode") == "100", stamp
        starts = [e.text or "" for e in root.iter("startTime")]
        assert starts and min(starts) >= "2024-03-08T00:00:00Z", stamp
        seen.append(starts)
    assert seen[0] == seen[1] == seen[2]
