"""getStationStatus (7.2), getCustomGroupStations, getPublicStations, getPublicStationStatus."""

from __future__ import annotations

import pytest
import zeep

from mockcp.codes import ResponseCode
from mockcp.domain.stations.heartbeat import HEARTBEAT
from tests.conftest import START
from tests.helpers import assert_code, ids


def ports(row: object) -> list[tuple[str, str]]:
    return [(p.portNumber, p.Status) for p in row.Port]  # type: ignore[attr-defined]


def test_getStationStatus_by_station_ids(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationStatus(
        searchQuery={"stationIDs": {"stationID": ["1:20002", "1:20001"]}}
    )
    assert_code(reply, ResponseCode.OK)
    assert ids(reply) == ["1:20001", "1:20002"]
    first, second = reply.stationData
    assert ports(first) == [("1", "AVAILABLE"), ("2", "AVAILABLE")]  # no car at 17:00 UTC
    assert ports(second) == [("1", "AVAILABLE"), ("2", "UNKNOWN")]
    assert second.Port[1].faultReason == "Hardware Fault Station Out Of Service"
    assert [r.recordNumber for r in reply.stationData] == [1, 2]
    assert first.networkStatus == "Reachable" and reply.moreFlag == 0
    sessions = any_client.service.getChargingSessionData(searchQuery={"stationID": "1:20001"})
    ends = [r.endTime for r in sessions.ChargingSessionData if r.portNumber == "1" and r.endTime]
    # Guide 7.2.3: the last communication (a heartbeat since the last car left), not the change.
    heard = first.Port[0].TimeStamp
    assert max(ends) <= heard <= START and START - heard < HEARTBEAT
    assert first.Port[0].Connector is None and first.Port[0].Power is None


def test_getStationStatus_port_details_adds_connector_and_power(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationStatus(
        searchQuery={"stationID": "1:20002", "portDetails": True}
    )
    assert [(p.Connector, p.Power) for p in reply.stationData[0].Port] == [
        ("CCS1", "62.500"),
        ("CHAdeMO", "62.500"),
    ]


def test_getStationStatus_unreachable_station_ports_are_unreachable(
    any_client: zeep.Client,
) -> None:
    [row] = any_client.service.getStationStatus(searchQuery={"stationID": "1:10003"}).stationData
    assert (row.networkStatus, ports(row)) == ("Unreachable", [("1", "UNREACHABLE")])


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (1, ["1:10001", "1:10002", "1:20001", "1:20002"]),
        (3, ["1:10003", "1:20002"]),
    ],
)
def test_getStationStatus_status_filter(
    any_client: zeep.Client, status: int, expected: list[str]
) -> None:
    assert ids(any_client.service.getStationStatus(searchQuery={"Status": status})) == expected


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (
            {"stationID": "1:10001", "stationIDs": {"stationID": ["1:10002"]}},
            ResponseCode.STATION_ID_AND_IDS,
        ),
        ({"stationIDs": {"stationID": ["1:10001", "bogus"]}}, ResponseCode.STATION_ID_FORMAT),
        ({"stationID": "1:55555"}, ResponseCode.NO_STATION_FOUND),
        ({"numStations": 600}, ResponseCode.PAGE_SIZE_EXCEEDED),
    ],
)
def test_getStationStatus_errors(
    any_client: zeep.Client, query: dict[str, object], code: ResponseCode
) -> None:
    reply = any_client.service.getStationStatus(searchQuery=query)
    assert reply.responseCode == code.code
    assert reply.responseText == code.render(maximum=500)
    assert reply.stationData == []


def test_getStationStatus_nothing_in_use_at_17_utc_is_102(any_client: zeep.Client) -> None:
    assert_code(
        any_client.service.getStationStatus(searchQuery={"Status": 2}),
        ResponseCode.NO_STATION_FOUND,
    )


def test_getStationStatus_realm(other_client: zeep.Client) -> None:
    assert ids(other_client.service.getStationStatus(searchQuery={})) == [
        "1:10002",
        "1:20001",
        "1:20002",
    ]
    reply = other_client.service.getStationStatus(
        searchQuery={"stationIDs": {"stationID": ["1:10002", "1:10001"]}}
    )
    assert_code(reply, ResponseCode.STATIONS_OUTSIDE_REALM)


def test_getCustomGroupStations_by_group_name(any_client: zeep.Client) -> None:
    reply = any_client.service.getCustomGroupStations(
        searchQuery={"sgName": "Sunrise - Downtown Garage"}
    )
    assert_code(reply, ResponseCode.OK)
    assert ids(reply) == ["1:10001", "1:10002"]
    assert reply.stationData[0].organizationName == "Sunrise Energy Co-op"
    assert reply.stationData[0].recordNumber == 1


def test_getCustomGroupStations_paging_and_errors(any_client: zeep.Client) -> None:
    reply = any_client.service.getCustomGroupStations(
        searchQuery={"sgName": "Sunrise - All Sites", "numStations": 2, "startRecord": 2}
    )
    assert (ids(reply), reply.moreFlag) == (["1:10002", "1:10003"], 0)
    for name in ("Nope", " ", ""):  # no custom group of that name
        assert_code(
            any_client.service.getCustomGroupStations(searchQuery={"sgName": name}),
            ResponseCode.INVALID_CUSTOM_GROUP_NAME,
        )
    assert_code(  # the group exists: nothing in it matches the other filters
        any_client.service.getCustomGroupStations(
            searchQuery={"sgName": "sunrise - downtown garage", "stationID": "1:10003"}
        ),
        ResponseCode.NO_STATION_FOUND,
    )
    assert_code(
        any_client.service.getCustomGroupStations(
            searchQuery={"sgName": "Nope", "stationID": "x:1"}
        ),
        ResponseCode.STATION_ID_FORMAT,
    )


def test_getCustomGroupStations_realm(other_client: zeep.Client) -> None:
    reply = other_client.service.getCustomGroupStations(
        searchQuery={"sgName": "Sunrise - All Sites"}
    )
    assert_code(reply, ResponseCode.INVALID_CUSTOM_GROUP_NAME)  # another org's group


def test_getPublicStations_lists_public_stations_of_any_owner(other_client: zeep.Client) -> None:
    reply = other_client.service.getPublicStations(searchQuery={})
    assert_code(reply, ResponseCode.OK)
    # 1:10003 is a private fleet depot; public stations are visible to everyone
    assert ids(reply) == ["1:10001", "1:10002", "1:20001", "1:20002"]
    assert reply.stationData[0].stationName == "SUNRISE / GARAGE LEVEL 1 -001"


def test_getPublicStations_rows_and_paging(any_client: zeep.Client) -> None:
    reply = any_client.service.getPublicStations(searchQuery={"City": "Seattle", "numStations": 1})
    assert_code(reply, ResponseCode.OK)
    [row] = reply.stationData
    assert (row.recordNumber, row.stationID, row.stationModel, row.numPorts) == (
        1,
        "1:20001",
        "CT4020-HD-GW",
        2,
    )
    assert (row.Port[1].Status, row.Port[1].Power, row.currencyCode) == (
        "AVAILABLE",
        "6.200",
        "USD",
    )
    assert reply.moreFlag == 1


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"stationID": "1:10003"}, ResponseCode.NO_STATION_FOUND),
        ({"stationID": "abc"}, ResponseCode.STATION_ID_FORMAT),
        ({"numStations": 900}, ResponseCode.PAGE_SIZE_EXCEEDED),
    ],
)
def test_getPublicStations_errors(
    any_client: zeep.Client, query: dict[str, object], code: ResponseCode
) -> None:
    reply = any_client.service.getPublicStations(searchQuery=query)
    assert (reply.responseCode, reply.responseText) == (code.code, code.render(maximum=500))
    assert reply.stationData == []


def test_getPublicStationStatus_errors(any_client: zeep.Client) -> None:
    reply = any_client.service.getPublicStationStatus(searchQuery={"City": "Atlantis"})
    assert_code(reply, ResponseCode.NO_STATION_FOUND)
    reply = any_client.service.getPublicStationStatus(
        searchQuery={"stationID": "1:10001", "stationIDs": {"stationID": ["1:10002"]}}
    )
    assert_code(reply, ResponseCode.STATION_ID_AND_IDS)


def test_getPublicStationStatus_ports(any_client: zeep.Client) -> None:
    reply = any_client.service.getPublicStationStatus(searchQuery={"City": "Seattle"})
    assert_code(reply, ResponseCode.OK)
    assert [(s.stationID, ports(s)) for s in reply.stationStatusData] == [
        ("1:20001", [("1", "AVAILABLE"), ("2", "AVAILABLE")]),
        ("1:20002", [("1", "AVAILABLE"), ("2", "UNKNOWN")]),
    ]
