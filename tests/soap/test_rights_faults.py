"""getStationRights (guide 7.6) and getStationActiveFaults through zeep on both WSDLs."""

from __future__ import annotations

import pytest
import zeep
from werkzeug.test import Client

from mockcp.codes import ResponseCode
from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.helpers import assert_code
from tests.soap.envelopes import SOAP_PATH, fault_of, go_style


def shape(reply: object) -> list[tuple[str | None, str, list[str]]]:
    return [
        (d.sgID, d.stationRightsProfile, [s.stationID for s in d.stationData])
        for d in reply.rightsData  # type: ignore[attr-defined]
    ]


def test_getStationRights_per_group_entries(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationRights(searchQuery={})
    assert_code(reply, ResponseCode.OK)
    assert shape(reply) == [
        ("1001", "network_manager", ["1:10001", "1:10002", "1:10003"]),
        ("1002", "network_manager", ["1:10001", "1:10002"]),
        ("1003", "network_manager", ["1:10003"]),
        ("2001", "network_manager", ["1:20001", "1:20002"]),
    ]
    assert reply.moreFlag == 0
    first = reply.rightsData[0]
    assert first.sgName == "Sunrise - All Sites"
    row = first.stationData[0]
    assert (row.stationName, row.stationSerialNum, row.stationMacAddr, row.companyID) == (
        "SUNRISE / GARAGE LEVEL 1 -001",
        "115110013401",
        "000D:6F00:0154:F101",
        "1:10001",
    )


def test_getStationRights_direct_station_grant_has_no_group(other_client: zeep.Client) -> None:
    reply = other_client.service.getStationRights(searchQuery={})
    assert shape(reply) == [
        ("2001", "network_manager", ["1:20001", "1:20002"]),
        (None, "station_manager", ["1:10002"]),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sgID": "1002"}, [("1002", "network_manager", ["1:10001", "1:10002"])]),
        ({"sgName": "harbor - main lot"}, [("2001", "network_manager", ["1:20001", "1:20002"])]),
        (
            {"stationID": "1:10003"},
            [("1001", "network_manager", ["1:10003"]), ("1003", "network_manager", ["1:10003"])],
        ),
        (
            {"networkStatus": "unreachable", "sgID": "1003"},
            [("1003", "network_manager", ["1:10003"])],
        ),
        ({"portStatus": "unknown"}, [("2001", "network_manager", ["1:20002"])]),
        ({"currentFault": "hardware fault"}, [("2001", "network_manager", ["1:20002"])]),
        (
            {"companyID": "10002", "City": "Seattle", "Level": "DC"},
            [("2001", "network_manager", ["1:20002"])],
        ),
        (
            {"adminStatus": "Active", "provisionStatus": "Provisioned", "sgID": "1003"},
            [("1003", "network_manager", ["1:10003"])],
        ),
        (
            {
                "provisionDateRange": {"startDate": "2022-12-01", "endDate": "2023-12-31"},
                "sgID": "1003",
            },
            [("1003", "network_manager", ["1:10003"])],
        ),
    ],
)
def test_getStationRights_filters(
    any_client: zeep.Client, query: dict[str, object], expected: object
) -> None:
    assert shape(any_client.service.getStationRights(searchQuery=query)) == expected


def test_getStationRights_paging(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationRights(searchQuery={"startRecord": 6})
    assert shape(reply) == [
        ("1003", "network_manager", ["1:10003"]),
        ("2001", "network_manager", ["1:20001", "1:20002"]),
    ]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"stationID": "10003"}, ResponseCode.STATION_ID_FORMAT),
        ({"adminStatus": "Retired"}, ResponseCode.NO_STATION_FOUND),
        ({"provisionDateRange": {"startDate": "2030-01-01"}}, ResponseCode.NO_STATION_FOUND),
        ({"orgID": "1:ORG70000"}, ResponseCode.INVALID_ORG_ID),
        ({"sgID": "x"}, ResponseCode.INVALID_STATION_GROUP_ID),
        ({"startRecord": 50}, ResponseCode.NO_STATION_FOUND),
    ],
)
def test_getStationRights_errors(
    any_client: zeep.Client, query: dict[str, object], code: ResponseCode
) -> None:
    reply = any_client.service.getStationRights(searchQuery=query)
    assert_code(reply, code)
    assert reply.rightsData == []


def test_getStationRights_realm(other_client: zeep.Client) -> None:
    assert_code(
        other_client.service.getStationRights(searchQuery={"stationID": "1:10001"}),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )
    assert_code(
        other_client.service.getStationRights(searchQuery={"sgID": "1001"}),
        ResponseCode.OWN_STATION_GROUP_ONLY,
    )


def test_getStationActiveFaults_lists_faults_per_station(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationActiveFaults(
        searchQuery={"stationIDs": {"stationID": ["1:20002", "1:10001"]}}
    )
    assert_code(reply, ResponseCode.OK)
    [block] = reply.stations
    faulty, healthy = block.station
    assert (faulty.stationID, healthy.stationID, healthy.stationFaults) == (
        "1:20002",
        "1:10001",
        None,
    )
    [fault] = faulty.stationFaults.stationFault
    assert (fault.faultCode, fault.faultName, fault.faultSeverity) == (
        "HW-001",
        "Hardware Fault Station Out Of Service",
        "Critical",
    )
    assert fault.faultTime.isoformat() == "2024-03-12T17:00:00+00:00"
    assert [(f.fruID, f.serialNumber) for f in fault.frus.fru] == [("1:20002-P2", "115110013502")]


@pytest.mark.parametrize(
    ("ids", "code"),
    [
        (["1:20002", "2002"], ResponseCode.STATION_ID_FORMAT),
        (["1:77777"], ResponseCode.INVALID_STATION_ID),
    ],
)
def test_getStationActiveFaults_errors(
    any_client: zeep.Client, ids: list[str], code: ResponseCode
) -> None:
    reply = any_client.service.getStationActiveFaults(
        searchQuery={"stationIDs": {"stationID": ids}}
    )
    assert_code(reply, code)
    assert reply.stations == []


def test_getStationActiveFaults_realm(other_client: zeep.Client) -> None:
    reply = other_client.service.getStationActiveFaults(
        searchQuery={"stationIDs": {"stationID": ["1:10001"]}}
    )
    assert_code(reply, ResponseCode.STATIONS_OUTSIDE_REALM)


def test_getStationActiveFaults_more_than_100_ids_is_a_client_fault(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    inner = (
        "<searchQuery><stationIDs>"
        + "<stationID>1:10001</stationID>" * 101
        + "</stationIDs></searchQuery>"
    )
    data = go_style(tenant.license_key, tenant.password, "getStationActiveFaults", inner)
    reply = Client(mock.wsgi).post(SOAP_PATH, data=data)
    assert reply.status_code == 500
    assert fault_of(reply.get_data()) == (
        "soapenv:Client",
        "Invalid getStationActiveFaults request: element 'stationID' is missing or occurs more "
        "often than the schema allows.",
    )
