"""Demand management through zeep: the guide's examples, literally, and every code (guide 5).

In the minimal world a car charges at 7.2 kW on 1:10002 port 1 from about 18:10 to 21:30 UTC
on 2024-03-12 (session 100300009); the clock starts at 17:00.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from sqlalchemy import event as sqlalchemy_event
from zeep.wsse.username import UsernameToken

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.testing import BINDING, MockChargePoint
from tests.conftest import REFERENCE_WSDL, START, require_shared
from tests.helpers import CHARGING, HARBOR, SESSION, SUNRISE, expect, port_load
from tests.soap.work import work_of


def shed_station(client: zeep.Client, minutes: int = 0, **values: Any) -> Any:
    query = {"shedStation": {"stationID": "1:10002", **values}, "timeInterval": minutes}
    return client.service.shedLoad(shedQuery=query)


def clear_station(client: zeep.Client, station: str = "1:10002") -> Any:
    return client.service.clearShedState(shedQuery={"shedStation": {"stationID": station}})


def test_percent_is_of_the_power_at_the_first_call(client: zeep.Client, clock: ManualClock) -> None:
    clock.set(CHARGING)
    assert port_load(client).portLoad == Decimal("7.200")
    reply = shed_station(client, percentShedPerStation=30)
    assert (reply.responseCode, reply.Success, reply.stationID) == ("100", 1, "1:10002")
    assert reply.percentShedPerStation == 30 and reply.allowedLoadPerStation is None
    port = port_load(client)
    assert (port.portLoad, port.shedState, port.percentShed, port.allowedLoad) == (
        Decimal("5.040"), 1, 30, Decimal("0.000"),
    )
    clock.advance(timedelta(minutes=10))
    shed_station(client, percentShedPerStation=50)
    assert port_load(client).portLoad == Decimal("3.600")  # 50 % of 7.2, not of 5.04
    clock.advance(timedelta(minutes=15))
    assert port_load(client).portLoad == Decimal("3.600")


def test_the_other_mode_is_refused_and_changes_nothing(
    client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(CHARGING)
    shed_station(client, percentShedPerStation=50)
    expect(shed_station(client, allowedLoadPerStation=2), ResponseCode.OTHER_SHED_IN_PROGRESS)
    port = port_load(client)
    assert (port.portLoad, port.percentShed, port.allowedLoad) == (
        Decimal("3.600"), 50, Decimal("0.000"),
    )
    assert clear_station(client).Success == 1
    assert shed_station(client, allowedLoadPerStation=2).responseCode == "100"
    assert port_load(client).portLoad == Decimal("2.000")


def test_same_mode_overwrites_and_clearing_restores(
    client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(CHARGING)
    shed_station(client, allowedLoadPerStation=4)
    shed_station(client, allowedLoadPerStation=2.5)
    assert port_load(client).allowedLoad == Decimal("2.500")
    assert port_load(client).portLoad == Decimal("2.500")
    reply = clear_station(client)
    assert (reply.responseCode, reply.Success, reply.stationID, reply.sgID) == (
        "100", 1, "1:10002", None,
    )
    port = port_load(client)
    assert (port.portLoad, port.shedState, port.allowedLoad) == (Decimal("7.200"), 0, 0)
    assert clear_station(client).Success == 0  # nothing left to clear


def test_percent_on_an_idle_station_holds_it_at_zero(
    client: zeep.Client, clock: ManualClock
) -> None:
    assert port_load(client).sessionID == 0
    shed_station(client, percentShedPerStation=10)
    clock.set(CHARGING)
    port = port_load(client)
    assert port.sessionID == SESSION and port.portLoad == Decimal("0.000")
    data = client.service.get15minChargingSessionData(sessionID=SESSION)
    assert all(row.energyConsumed == 0 for row in data.fifteenminData)
    clear_station(client)
    clock.advance(timedelta(minutes=15))
    assert port_load(client).portLoad == Decimal("7.200")


def test_a_five_minute_shed_ends_by_itself(client: zeep.Client, clock: ManualClock) -> None:
    clock.set(CHARGING)
    shed_station(client, minutes=5, allowedLoadPerStation=3)
    assert port_load(client).portLoad == Decimal("3.000")
    clock.advance(timedelta(minutes=4))
    assert port_load(client).shedState == 1
    clock.advance(timedelta(minutes=2))
    port = port_load(client)
    assert (port.portLoad, port.shedState) == (Decimal("7.200"), 0)
    # and the other mode is allowed again: the ended shed no longer counts
    assert shed_station(client, percentShedPerStation=20).responseCode == "100"


def test_fifteen_minute_data_and_energy_show_the_cut(
    client: zeep.Client, clock: ManualClock, mock: MockChargePoint
) -> None:
    clock.set(CHARGING)
    shed_station(client, minutes=30, allowedLoadPerStation=3)
    clock.advance(timedelta(hours=6))
    data = client.service.get15minChargingSessionData(sessionID=SESSION)
    by_start = {row.stationTime.strftime("%H:%M"): row for row in data.fifteenminData}
    assert by_start["18:45"].rollingPowerAvg == pytest.approx(7.2)
    assert by_start["19:00"].rollingPowerAvg == pytest.approx(3.0)
    assert by_start["19:00"].peakPower == pytest.approx(3.0)  # the cut starts with the interval
    assert by_start["19:15"].peakPower == pytest.approx(3.0)
    assert by_start["19:30"].rollingPowerAvg == pytest.approx(7.2)
    sessions = client.service.getChargingSessionData(searchQuery={"sessionID": SESSION})
    row = sessions.ChargingSessionData[0]
    assert row.Energy == data.fifteenminData[-1].energyConsumed
    # the same car without the shed: same energy, but it finishes 4.2 kW x 0.5 h / 7.2 kW sooner
    fresh = dataclasses.replace(mock.settings, database_url="sqlite://")  # a world of its own
    twin = MockChargePoint(fresh, ManualClock(CHARGING + timedelta(hours=6)))
    with twin:
        plain = twin.client(twin.tenants()[0]).service.getChargingSessionData(
            searchQuery={"sessionID": SESSION}
        )
    uncapped = plain.ChargingSessionData[0]
    assert row.Energy == uncapped.Energy
    assert row.totalChargingDuration > uncapped.totalChargingDuration  # HH:MM:SS, same width


def test_group_shed_applies_the_value_to_each_station(
    client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(CHARGING)
    query = {"shedGroup": {"sgID": 1002, "allowedLoadPerStation": 6}, "timeInterval": 0}
    reply = client.service.shedLoad(shedQuery=query)
    assert (reply.responseCode, reply.sgID, reply.allowedLoadPerStation) == (
        "100", 1002, Decimal("6.000"),
    )
    group = client.service.getLoad(searchQuery={"sgID": 1002})
    assert (group.sgID, group.numStations, group.groupName) == (
        1002, 2, "Sunrise - Downtown Garage",
    )
    assert group.sgLoad == "6.000"  # 1:10002 capped at 6 kW, 1:10001 idle
    assert [p.allowedLoad for s in group.stationData for p in s.Port] == [Decimal("6.000")] * 3
    cleared = client.service.clearShedState(shedQuery={"shedGroup": {"sgID": 1002}})
    assert (cleared.Success, cleared.sgID) == (1, 1002)
    assert client.service.getLoad(searchQuery={"sgID": 1002}).sgLoad == "7.200"


def test_port_level_shed_echoes_the_ports(client: zeep.Client, clock: ManualClock) -> None:
    clock.set(CHARGING)
    ports = {"Port": [{"portNumber": "1", "allowedLoadPerPort": 1.5}]}
    reply = shed_station(client, Ports=ports)
    assert reply.responseCode == "100" and reply.allowedLoadPerStation is None
    echoed = reply.Ports.Port[0]
    assert (echoed.portNumber, echoed.allowedLoadPerPort) == ("1", Decimal("1.500"))
    assert port_load(client).portLoad == Decimal("1.500")
    query = {"shedStation": {"stationID": "1:10002", "Ports": {"Port": [{"portNumber": "1"}]}}}
    assert client.service.clearShedState(shedQuery=query).Success == 1


def test_get_load_by_session_and_its_station_fields(
    client: zeep.Client, clock: ManualClock
) -> None:
    clock.set(CHARGING)
    reply = client.service.getLoad(searchQuery={"sessionID": SESSION})
    assert (reply.numStations, reply.groupName, reply.sgLoad, reply.sgID) == (0, None, None, None)
    station = reply.stationData[0]
    assert (station.stationID, station.stationLoad) == ("1:10002", Decimal("7.200"))
    assert station.Address == "1500 Pearl St, Boulder, Colorado, 80302, United States"
    port = station.Port[0]
    assert (port.userID, port.credentialID, port.sessionID) == (
        "664719", "CNCP0000481668", SESSION,
    )


def test_dc_ports_report_the_battery(client: zeep.Client, clock: ManualClock) -> None:
    clock.set(START + timedelta(hours=3, minutes=30))  # a car on the DC port of 1:20002
    port = port_load(client, "1:20002")
    assert port.portLoad > 0 and 0 < port.lastBatteryPercent <= 100
    assert port_load(client, "1:10001").lastBatteryPercent == 0.0  # AC: not reported


STATION_CASES = [
    ({"shedStation": {"stationID": "1:10002", "percentShedPerStation": 101}}, 0,
     ResponseCode.PERCENT_OVER_100, {}),
    ({"shedStation": {"stationID": "1:10002", "percentShedPerStation": -5}}, 0,
     ResponseCode.INVALID_SHED_PERCENTAGE, {}),
    ({"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 2}}, -1,
     ResponseCode.INVALID_TIME_INTERVAL, {}),
    ({}, 0, ResponseCode.MANDATORY_FIELDS_MISSING, {}),
    ({"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 2,
                      "percentShedPerStation": 5}}, 0, ResponseCode.ALLOWED_LOAD_OR_PERCENT, {}),
    ({"shedGroup": {"sgID": 2001, "allowedLoadPerStation": 2}}, 0,
     ResponseCode.GROUP_ABSOLUTE_SHED_UNSUPPORTED, {}),
    ({"shedStation": {"stationID": "1:20002", "allowedLoadPerStation": 2}}, 0,
     ResponseCode.STATION_ABSOLUTE_SHED_UNSUPPORTED, {}),
    ({"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 8}}, 0,
     ResponseCode.ALLOWED_LOAD_TOO_HIGH, {"max_load": "7.2"}),
    ({"shedStation": {"stationID": "1:10001", "Ports": {"Port": [
        {"portNumber": "1", "allowedLoadPerPort": 2},
        {"portNumber": "2", "percentShedPerPort": 20}]}}}, 0,
     ResponseCode.SAME_SHED_METHOD_PER_PORT, {}),
    ({"shedStation": {"stationID": "1:10001", "Ports": {"Port": [
        {"portNumber": " ", "allowedLoadPerPort": 2}]}}}, 0, ResponseCode.PORT_INFO_MISSING, {}),
    ({"shedStation": {"stationID": "1:20002", "Ports": {"Port": [
        {"portNumber": "1", "percentShedPerPort": 20}]}}}, 0,
     ResponseCode.PORT_SHED_UNSUPPORTED, {}),
    ({"shedStation": {"stationID": "1:10001", "Ports": {"Port": [
        {"portNumber": "3", "percentShedPerPort": 20}]}}}, 0, ResponseCode.INVALID_PORT_COUNT, {}),
    ({"shedGroup": {"sgID": 1002, "percentShedPerStation": 5},
      "shedStation": {"stationID": "1:10002", "percentShedPerStation": 5}}, 0,
     ResponseCode.GROUP_AND_STATION_SHED, {}),
    ({"shedStation": {"stationID": "1:10001", "percentShedPerStation": 5, "Ports": {"Port": [
        {"portNumber": "1", "percentShedPerPort": 20}]}}}, 0,
     ResponseCode.SHED_LEVEL_AMBIGUOUS, {}),
    ({"shedStation": {"stationID": "1:10002"}}, 0,
     ResponseCode.SHED_STATION_PARAMETER_MISSING, {}),
    ({"shedStation": {"stationID": "1:10003", "percentShedPerStation": 5}}, 0,
     ResponseCode.PANEL_SHARING_SHED, {}),
    ({"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": -1}}, 0,
     ResponseCode.VALUE_NOT_POSITIVE, {}),
    ({"shedStation": {"stationID": "1:99999", "percentShedPerStation": 5}}, 0,
     ResponseCode.STATION_NOT_IN_DATABASE, {}),
    ({"shedStation": {"stationID": "10002", "percentShedPerStation": 5}}, 0,
     ResponseCode.STATION_ID_FORMAT, {}),
    ({"shedGroup": {"sgID": 1002, "percentShedPerStation": 5}}, HARBOR,
     ResponseCode.OWN_STATION_GROUP_ONLY, {}),
    ({"shedGroup": {"sgID": 4242, "percentShedPerStation": 5}}, 0,
     ResponseCode.STATION_GROUP_NOT_IN_DATABASE, {}),
]


@pytest.mark.parametrize(
    ("query", "minutes_or_tenant", "code", "fields"),
    STATION_CASES,
    ids=[f"{c[2].code}-{i}" for i, c in enumerate(STATION_CASES)],
)
def test_shed_codes(
    mock: MockChargePoint, query: dict[str, Any], minutes_or_tenant: int, code: ResponseCode,
    fields: dict[str, object],
) -> None:
    tenant = mock.tenants()[HARBOR if minutes_or_tenant == HARBOR else SUNRISE]
    minutes = minutes_or_tenant if minutes_or_tenant < 0 else 0
    client = mock.client(tenant)
    expect(client.service.shedLoad(shedQuery={**query, "timeInterval": minutes}), code, **fields)
    # nothing was written: every port of the world is unshed
    owner = mock.client(mock.tenants()[SUNRISE])
    for station in ("1:10001", "1:10002"):
        assert all(p.shedState == 0 for p in _ports(owner, station))


def _ports(client: zeep.Client, station: str) -> list[Any]:
    return list(client.service.getLoad(searchQuery={"stationID": station}).stationData[0].Port)


def test_rights_without_load_management_are_refused(mock: MockChargePoint) -> None:
    harbor = mock.client(mock.tenants()[HARBOR])  # station_manager on 1:10002: view only
    query = {"shedStation": {"stationID": "1:10002", "percentShedPerStation": 5}}
    expect(
        harbor.service.shedLoad(shedQuery={**query, "timeInterval": 0}),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )
    assert harbor.service.getLoad(searchQuery={"stationID": "1:10002"}).responseCode == "100"


def test_clear_and_get_load_codes(client: zeep.Client, mock: MockChargePoint) -> None:
    expect(client.service.clearShedState(shedQuery={}), ResponseCode.CLEAR_SHED_KEY_MISSING)
    expect(client.service.getLoad(searchQuery={}), ResponseCode.LOAD_SEARCH_KEY_MISSING)
    for query in ({"sessionID": 42}, {"sgID": 4242}, {"stationID": "1:99999"}):
        expect(client.service.getLoad(searchQuery=query), ResponseCode.NO_DATA_FOUND)
    expect(
        client.service.getLoad(searchQuery={"stationID": "1:10001", "sgID": 2001}),
        ResponseCode.NO_DATA_FOUND,
    )
    harbor = mock.client(mock.tenants()[HARBOR])
    expect(
        harbor.service.getLoad(searchQuery={"stationID": "1:10001"}),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )
    expect(harbor.service.getLoad(searchQuery={"sgID": 1001}), ResponseCode.OWN_STATION_GROUP_ONLY)
    ports = {"Port": [{"portNumber": "7"}]}
    expect(
        client.service.clearShedState(
            shedQuery={"shedStation": {"stationID": "1:10001", "Ports": ports}}
        ),
        ResponseCode.INVALID_PORT_COUNT,
    )


@pytest.mark.server
def test_shed_over_real_http_with_the_reference_wsdl(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    tenant = mock.tenants()[SUNRISE]
    clock.set(CHARGING)
    with mock.serve() as base:
        client = zeep.Client(
            str(require_shared(REFERENCE_WSDL)),
            wsse=UsernameToken(tenant.license_key, tenant.password),
        )
        service = client.create_service(BINDING, f"{base}/webservices/chargepoint/services/5.1")
        query = {"shedStation": {"stationID": "1:10002", "percentShedPerStation": 30},
                 "timeInterval": 15}
        assert service.shedLoad(shedQuery=query).Success == 1
        port = service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0].Port[0]
        assert (port.portLoad, port.percentShed) == (Decimal("5.040"), 30)
        cleared = service.clearShedState(shedQuery={"shedStation": {"stationID": "1:10002"}})
        assert (cleared.responseCode, cleared.Success) == ("100", 1)


def test_go_clients_several_port_numbers_in_one_port_clear_each(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    """KIN's Go client puts several ``portNumber`` inside one ``Port`` (real-interface 4.3)."""
    from werkzeug.test import Client

    from tests.soap.envelopes import SOAP_PATH, go_style, parse

    tenant = mock.tenants()[SUNRISE]
    client = mock.client(tenant)
    clock.set(CHARGING)
    client.service.shedLoad(
        shedQuery={"shedStation": {"stationID": "1:10001", "percentShedPerStation": 10},
                   "timeInterval": 0}
    )
    inner = (
        "<shedQuery><shedStation><stationID>1:10001</stationID><Ports><Port>"
        "<portNumber>1</portNumber><portNumber>2</portNumber></Port></Ports>"
        "</shedStation></shedQuery>"
    )
    reply = Client(mock.wsgi).post(
        SOAP_PATH, data=go_style(tenant.license_key, tenant.password, "clearShedState", inner),
        headers={"Content-Type": "text/xml"},
    )
    assert reply.status_code == 200
    assert parse(reply.get_data()).findtext(".//Success") == "1"
    assert [p.shedState for p in _ports(client, "1:10001")] == [0, 0]


def test_a_group_s_load_costs_the_same_statements_whatever_its_size(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    """The ports of a group's stations are read in one query, not one per station (a group's
    getLoad was N + 1 statements); counted, never timed (tests/soap/work.py)."""
    clock.set(CHARGING)

    def load(group: int) -> Any:
        return client.service.getLoad(searchQuery={"sgID": group})

    groups = (1003, 1001)  # one station, three stations (the minimal world)
    for group in groups:  # planned, the call's state, realm and index kept: steady calls next
        load(group)
    counts = {}
    for group in groups:
        work, reply = work_of(mock, lambda group=group: load(group))
        assert reply.responseCode == "100"
        counts[len(reply.stationData)] = work.statements
    assert set(counts) == {1, 3}
    assert counts[3] == counts[1], counts


def test_a_group_s_shed_and_clear_write_sheds_and_caps_in_statements_not_per_port(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    """Shedding and clearing a group read and write its shed rows and its caps in the same
    statements whatever its number of ports (a lookup, a delete and an update per port
    before); counted, never timed."""
    clock.set(CHARGING)
    touching: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "shed_state" in statement or "power_cap" in statement:
            touching.append(statement)

    counts, ports = {}, {}
    for group in (2001, 1002):
        load = client.service.getLoad(searchQuery={"sgID": group})
        ports[group] = sum(len(s.Port) for s in load.stationData)
        sqlalchemy_event.listen(mock.wsgi.engine, "before_cursor_execute", seen)
        try:
            touching.clear()
            shed = client.service.shedLoad(
                shedQuery={"shedGroup": {"sgID": group, "percentShedPerStation": 30},
                           "timeInterval": 0})
            cleared = client.service.clearShedState(shedQuery={"shedGroup": {"sgID": group}})
        finally:
            sqlalchemy_event.remove(mock.wsgi.engine, "before_cursor_execute", seen)
        assert (shed.responseCode, cleared.responseCode, cleared.Success) == ("100", "100", 1)
        counts[group] = len(touching)
    assert ports[1002] != ports[2001]
    assert counts[1002] == counts[2001], (counts, ports)
