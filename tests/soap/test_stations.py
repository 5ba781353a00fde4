"""getStations (guide 7.1) through zeep on both WSDLs, against the minimal world.

Sunrise (1:ORG00001) owns 1:10001-1:10003 and holds Harbor's group 2001 (1:20001, 1:20002);
Harbor (1:ORG00002) owns 1:20001-1:20002 and was granted station 1:10002 only.
"""

from __future__ import annotations

from typing import Any

import pytest
import zeep

from mockcp.codes import ResponseCode
from tests.helpers import assert_code, ids

SUNRISE_SEES = ["1:10001", "1:10002", "1:10003", "1:20001", "1:20002"]


def test_getStations_empty_query_lists_the_realm(any_client: zeep.Client) -> None:
    reply = any_client.service.getStations(searchQuery={})
    assert_code(reply, ResponseCode.OK)
    assert ids(reply) == SUNRISE_SEES
    assert [s.recordNumber for s in reply.stationData] == [1, 2, 3, 4, 5]
    assert reply.moreFlag == 0


def test_getStations_row_values_and_quirks(any_client: zeep.Client) -> None:
    [row] = any_client.service.getStations(searchQuery={"stationID": "1:10001"}).stationData
    assert (row.stationManufacturer, row.stationModel, row.stationMacAddr) == (
        "ChargePoint",
        "CT4020-HD-GW",
        "000D:6F00:0154:F101",
    )
    assert (row.stationName, row.Description, row.numPorts) == (
        "SUNRISE / GARAGE LEVEL 1 -001",
        "-",
        2,
    )
    assert (row.orgID, row.organizationName, row.companyID) == (
        "1:ORG00001",
        "Sunrise Energy Co-op",
        "1:10001",
    )
    assert (row.sgID, row.sgName) == (
        "1001, 1002",
        "Sunrise - All Sites, Sunrise - Downtown Garage",
    )
    assert (row.networkStatus, row.stationFirmware, row.currencyCode) == (
        "Reachable",
        "4.1.2.27",
        "USD",
    )
    port = row.Port[0]
    assert (
        port.portNumber,
        port.Level,
        port.Connector,
        port.Voltage,
        port.Current,
        port.Power,
    ) == (
        "1",
        "L2",
        "J1772",
        "240",
        "30",
        "7.200",
    )
    assert (port.Geo.Lat, port.Geo.Long, port.Reservable) == (
        "40.018920000000000",
        "-105.276860000000000",
        0,
    )
    assert port.Status == "AVAILABLE"
    assert [(p.Type, p.unitPricePerSession, p.unitPricePerKWh) for p in row.Pricing] == [
        ("kWh", 1.0, 0.2)  # guide 7.1.3 Type: a kWh price makes the window kWh
    ]


def test_getStations_raw_wire_uses_timeStamp_and_joined_groups(
    mock: object, tenant: object
) -> None:
    from werkzeug.test import Client

    from mockcp.testing import MockChargePoint
    from tests.soap.envelopes import SOAP_PATH, go_style, parse

    assert isinstance(mock, MockChargePoint)
    data = go_style(
        tenant.license_key,
        tenant.password,
        "getStations",  # type: ignore[attr-defined]
        "<searchQuery><stationID>1:20001</stationID></searchQuery>",
    )
    root = parse(Client(mock.wsgi).post(SOAP_PATH, data=data).get_data())
    row = root.find(".//stationData")
    assert row is not None and row[0].tag == "recordNumber"
    port = row.find("Port")
    assert port is not None
    assert [c.tag for c in port] == [
        "portNumber",
        "Geo",
        "Reservable",
        "Status",
        "Level",
        "timeStamp",
        "Connector",
        "Voltage",
        "Current",
        "Power",
        "estimatedCost",
    ]
    assert row.findtext("sgID") == "2001"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"stationModel": "ct4020-hd-gw"}, ["1:10001", "1:20001"]),
        ({"stationManufacturer": "ChargePoint"}, SUNRISE_SEES),
        ({"stationName": "SUNRISE / GARAGE*"}, ["1:10001", "1:10002"]),
        ({"stationName": "sunrise energy co-op / sunrise / depot bay -00_"}, ["1:10003"]),
        ({"stationName": "%MAIN LOT DC%"}, ["1:20002"]),
        ({"stationName": "HARBOR CITY / MAIN LOT -001"}, ["1:20001"]),
        ({"serialNumber": "115110013402"}, ["1:10002"]),
        ({"Address": "pearl st"}, ["1:10001", "1:10002"]),
        ({"Address": "Seattle, Washington"}, ["1:20001", "1:20002"]),
        ({"City": "boulder"}, ["1:10001", "1:10002", "1:10003"]),
        ({"State": "Washington"}, ["1:20001", "1:20002"]),
        ({"Country": "United States", "postalCode": "80301"}, ["1:10003"]),
        ({"Level": "L2"}, ["1:10001", "1:10002", "1:10003", "1:20001"]),
        ({"Level": "4"}, ["1:20002"]),
        ({"Level": "1,2"}, ["1:10001", "1:10002", "1:10003", "1:20001"]),
        ({"Connector": "chademo"}, ["1:20002"]),
        ({"Voltage": "208"}, ["1:20001"]),
        ({"Current": "48"}, ["1:10003"]),
        ({"Power": "7.2"}, ["1:10001", "1:10002"]),
        ({"Reservable": True}, ["1:10002"]),
        ({"orgID": "1:ORG00002"}, ["1:20001", "1:20002"]),
        ({"organizationName": "Sunrise Energy Co-op"}, ["1:10001", "1:10002", "1:10003"]),
        ({"sgID": "1003"}, ["1:10003"]),
        ({"sgName": "Sunrise - Downtown Garage"}, ["1:10001", "1:10002"]),
        (
            {"demoSerialNumber": {"serialNumber": ["115110013501", "115110013401"]}},
            ["1:10001", "1:20001"],
        ),
        ({"warrantyService": "parts and labor"}, ["1:10001"]),  # guide 7.1.5 names
        ({"City": "Boulder", "Level": "L2", "Power": "11.5"}, ["1:10003"]),
        ({"companyID": "10002"}, ["1:20001", "1:20002"]),
        ({"companyID": "1:10002"}, ["1:20001", "1:20002"]),  # guide form CPNID:companyID
        ({"radioGroupID": "7"}, ["1:10001", "1:10002"]),
        ({"stationActivationDate": "2024-01-01T00:00:00Z"}, ["1:10003"]),
    ],
)
def test_getStations_filters(
    any_client: zeep.Client, query: dict[str, object], expected: list[str]
) -> None:
    reply = any_client.service.getStations(searchQuery=query)
    assert_code(reply, ResponseCode.OK)
    assert ids(reply) == expected


@pytest.mark.parametrize(
    ("geo", "proximity", "unit", "expected"),
    [
        (("40.0190", "-105.2768"), None, None, ["1:10001", "1:10002", "1:10003"]),
        (("40.0190", "-105.2768"), 1, "K", ["1:10001", "1:10002"]),
        (("40.0190", "-105.2768"), 500, "F", ["1:10001", "1:10002"]),
        (("40.0190", "-105.2768"), 2.5, "N", ["1:10001", "1:10002"]),
        (("40.0190", "-105.2768"), 2.7, "N", ["1:10001", "1:10002", "1:10003"]),
        (("47.6054", "-122.3401"), 200, "I", ["1:20002"]),
        (("47.6054", "-122.3401"), 400, "I", ["1:20001", "1:20002"]),
        (("47.6054", "-122.3401"), 1100, "M", SUNRISE_SEES),
    ],
)
def test_getStations_proximity(
    any_client: zeep.Client,
    geo: tuple[str, str],
    proximity: float | None,
    unit: str | None,
    expected: list[str],
) -> None:
    query: dict[str, object] = {"Geo": {"Lat": geo[0], "Long": geo[1]}}
    if proximity is not None:
        query["Proximity"] = proximity
    if unit is not None:
        query["proximityUnit"] = unit
    assert ids(any_client.service.getStations(searchQuery=query)) == expected


@pytest.mark.parametrize(
    ("query", "code", "text"),
    [
        ({"stationID": "12345"}, ResponseCode.STATION_ID_FORMAT, None),
        ({"stationID": "1:99999"}, ResponseCode.NO_STATION_FOUND, None),
        ({"City": "Atlantis"}, ResponseCode.NO_STATION_FOUND, None),
        ({"orgID": "ORG1"}, ResponseCode.ORG_ID_FORMAT, None),
        ({"orgID": "1:ORG77777"}, ResponseCode.INVALID_ORG_ID, None),
        ({"sgID": "garage"}, ResponseCode.INVALID_STATION_GROUP_ID, None),
        ({"sgID": "4040"}, ResponseCode.STATION_GROUP_NOT_IN_DATABASE, None),
        (
            {"numStations": 501},
            ResponseCode.PAGE_SIZE_EXCEEDED,
            "The value of <numStations> exceeded the maximum of 500",
        ),
        (
            {"Geo": {"Lat": "40", "Long": "-105"}, "proximityUnit": "Y"},
            ResponseCode.INVALID_PARAMETERS,
            "Invalid Parameters <proximityUnit>",
        ),
        (
            {"Geo": {"Lat": "north", "Long": "-105"}},
            ResponseCode.INVALID_PARAMETERS,
            "Invalid Parameters <Lat>, <Long>",
        ),
        ({"Voltage": "high"}, ResponseCode.INVALID_PARAMETERS, "Invalid Parameters <Voltage>"),
    ],
)
def test_getStations_errors(
    any_client: zeep.Client, query: dict[str, object], code: ResponseCode, text: str | None
) -> None:
    reply = any_client.service.getStations(searchQuery=query)
    assert (reply.responseCode, reply.responseText) == (code.code, text or code.text)
    assert reply.stationData == []


def test_getStations_realm_isolation(other_client: zeep.Client) -> None:
    assert ids(other_client.service.getStations(searchQuery={})) == [
        "1:10002",
        "1:20001",
        "1:20002",
    ]
    assert_code(
        other_client.service.getStations(searchQuery={"stationID": "1:10001"}),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )
    assert_code(
        other_client.service.getStations(searchQuery={"sgID": "1002"}),
        ResponseCode.OWN_STATION_GROUP_ONLY,
    )
    assert_code(
        other_client.service.getStations(
            searchQuery={"City": "Boulder", "Level": "L2", "Power": "11.5"}
        ),
        ResponseCode.NO_STATION_FOUND,
    )


def test_getStations_paging_by_start_record(any_client: zeep.Client) -> None:
    first = any_client.service.getStations(searchQuery={"numStations": 2})
    assert (ids(first), first.moreFlag) == (["1:10001", "1:10002"], 1)
    second = any_client.service.getStations(searchQuery={"numStations": 2, "startRecord": 3})
    assert ([s.recordNumber for s in second.stationData], second.moreFlag) == ([3, 4], 1)
    last = any_client.service.getStations(searchQuery={"numStations": 2, "startRecord": 5})
    assert (ids(last), last.moreFlag) == (["1:20002"], 0)
    beyond = any_client.service.getStations(searchQuery={"startRecord": 9})
    assert_code(beyond, ResponseCode.NO_STATION_FOUND)


def test_getStations_address_with_proximity_is_a_radius_search(any_client: zeep.Client) -> None:
    # "5600 Airport Blvd" locates 1:10003; 3 miles around it reaches the Pearl St garage too
    near = any_client.service.getStations(
        searchQuery={"Address": "5600 Airport Blvd", "Proximity": 1}
    )
    assert ids(near) == ["1:10003"]
    wide = any_client.service.getStations(
        searchQuery={"Address": "5600 Airport Blvd", "Proximity": 3}
    )
    assert ids(wide) == ["1:10001", "1:10002", "1:10003"]


def test_getStations_address_and_latlong_that_disagree_is_118(any_client: zeep.Client) -> None:
    reply = any_client.service.getStations(
        searchQuery={
            "Address": "Seattle, Washington",
            "Geo": {"Lat": "40.0190", "Long": "-105.2768"},
        }
    )
    assert_code(reply, ResponseCode.ADDRESS_LATLONG_MISMATCH)
    agree = any_client.service.getStations(
        searchQuery={
            "Address": "Seattle, Washington",
            "Geo": {"Lat": "47.6054", "Long": "-122.3401"},
        }
    )
    assert ids(agree) == ["1:20001", "1:20002"]


def test_getStations_state_with_proximity_centres_on_the_state(any_client: zeep.Client) -> None:
    # Colorado's stations centre between Pearl St and Airport Blvd: 2 miles reach all three
    reply = any_client.service.getStations(searchQuery={"State": "Colorado", "Proximity": 2})
    assert ids(reply) == ["1:10001", "1:10002", "1:10003"]
    # a state-only search without a proximity is a plain filter on the state
    assert ids(any_client.service.getStations(searchQuery={"State": "Colorado"})) == [
        "1:10001",
        "1:10002",
        "1:10003",
    ]
    # centred on Colorado, 1,100 miles reach Seattle too: the state is the centre, not a filter
    wide = any_client.service.getStations(searchQuery={"State": "Colorado", "Proximity": 1100})
    assert ids(wide) == SUNRISE_SEES
    near = any_client.service.getStations(searchQuery={"postalCode": "80301", "Proximity": 0.5})
    assert ids(near) == ["1:10003"]


def _costs(client: zeep.Client, start: str, hours: int, kwh: float, kw: float) -> dict[str, Any]:
    options = {"startTime": start, "Duration": hours, "energyRequired": kwh, "vehiclePower": kw}
    reply = client.service.getStations(searchQuery={"Pricing": options})
    assert_code(reply, ResponseCode.OK)
    assert ids(reply) == SUNRISE_SEES  # Pricing prices the rows; it filters nothing
    return {s.stationID: [p.estimatedCost for p in s.Port] for s in reply.stationData}


def test_getStations_pricing_options_give_each_port_its_estimated_cost(
    any_client: zeep.Client,
) -> None:
    """3 h, 10 kWh at 6.6 kW (1.52 h of charging, 1.48 h idle), under each station's policy."""
    evening = _costs(any_client, "17:00:00", 3, 10.0, 6.6)
    assert evening == {
        "1:10001": [3.0, 3.0],  # $1.00 a session + $0.20/kWh
        "1:10002": [3.5],  # "Evening peak" 16:00-20:59:59: $0.35/kWh
        "1:10003": [0.0],  # no pricing policy
        "1:20001": [0.0, 0.0],
        "1:20002": [round(0.42 * 10 + 6.0 * (3 - 10 / 6.6), 2)] * 2,  # kWh + idle hours
    }
    morning = _costs(any_client, "09:00:00", 3, 10.0, 6.6)
    assert morning["1:10002"] == [4.0]  # "Off-peak" (wraps midnight): $1/h for 2 h, then $2/h
    capped = _costs(any_client, "18:30:00", 4, 80.0, 11.0)  # 28.8 kWh at 7.2 kW in 4 h
    assert capped["1:10002"] == [round(min(0.35 * 28.8, 12.0), 2)]
    assert capped["1:10001"] == [round(1.0 + 0.2 * 28.8, 2)] * 2
    plain = any_client.service.getStations(searchQuery={"stationID": "1:10002"})
    assert plain.stationData[0].Port[0].estimatedCost == 0.0  # no Pricing asked: 0.00
