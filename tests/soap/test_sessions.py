"""getChargingSessionData (6.1) and get15minChargingSessionData (6.2) over the simulated fleet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import zeep
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import assert_code
from tests.worlds.images import fresh_world


@pytest.fixture(scope="module")
def fleet(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[MockChargePoint, ManualClock]]:
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "minimal", START), clock) as mock:
        yield mock, clock


@pytest.fixture(scope="module")
def sunrise(fleet: tuple[MockChargePoint, ManualClock]) -> zeep.Client:
    return fleet[0].client()


@pytest.fixture(scope="module")
def sunrise_ref(fleet: tuple[MockChargePoint, ManualClock]) -> zeep.Client:
    from tests.conftest import REFERENCE_WSDL, require_shared

    mock = fleet[0]
    return mock.client(mock.tenants()[0], wsdl=str(require_shared(REFERENCE_WSDL)))


def all_sessions(client: zeep.Client, **query: object) -> list[object]:
    rows, start = [], 1
    while True:
        reply = client.service.getChargingSessionData(searchQuery={**query, "startRecord": start})
        assert reply.responseCode == "100", reply.responseText
        rows.extend(reply.ChargingSessionData)
        if reply.MoreFlag != 1:
            return rows
        start += len(reply.ChargingSessionData)


def test_sessions_are_oldest_first_with_absolute_record_numbers(sunrise: zeep.Client) -> None:
    rows = all_sessions(sunrise)
    assert len(rows) > 20
    assert [r.recordNumber for r in rows] == list(range(1, len(rows) + 1))
    starts = [r.startTime for r in rows]
    assert starts == sorted(starts)
    assert starts[0] >= START - timedelta(days=7) and starts[-1] <= START
    assert {r.stationID for r in rows} <= {"1:10001", "1:10002", "1:10003", "1:20001", "1:20002"}


def test_session_rows_are_consistent(sunrise: zeep.Client) -> None:
    for row in all_sessions(sunrise):
        hours, minutes, seconds = (int(x) for x in row.totalSessionDuration.split(":"))
        session = timedelta(hours=hours, minutes=minutes, seconds=seconds)
        hours, minutes, seconds = (int(x) for x in row.totalChargingDuration.split(":"))
        charging = timedelta(hours=hours, minutes=minutes, seconds=seconds)
        assert charging <= session
        if row.endTime is None:
            assert row.endedBy is None and row.startTime + session == START
        else:
            assert row.endTime - row.startTime == session and row.endedBy
        assert 0 <= row.Energy <= 100
        assert row.vehicleMake and row.vehicleType in {"BEV", "PHEV"}


def test_energy_equals_the_last_cumulative_15_minute_value(sunrise: zeep.Client) -> None:
    checked = 0
    for row in all_sessions(sunrise)[:25]:
        data = sunrise.service.get15minChargingSessionData(sessionID=row.sessionID)
        if row.Energy == 0:
            assert_code(data, ResponseCode.NO_15MIN_DATA)
            continue
        assert_code(data, ResponseCode.OK)
        assert (data.sessionID, data.stationID, data.portNumber) == (
            row.sessionID,
            row.stationID,
            row.portNumber,
        )
        points = data.fifteenminData
        assert points[0].stationTime == row.startTime
        assert all(p.stationTime.minute % 15 == 0 and p.stationTime.second == 0 for p in points[1:])
        assert abs(points[-1].energyConsumed - row.Energy) < 1e-5
        deltas = sunrise.service.get15minChargingSessionData(
            sessionID=row.sessionID, energyConsumedInterval=True
        )
        assert abs(sum(p.energyConsumed for p in deltas.fifteenminData) - row.Energy) < 1e-4
        checked += 1
    assert checked > 5


def test_reference_wsdl_client_parses_sessions(sunrise_ref: zeep.Client) -> None:
    reply = sunrise_ref.service.getChargingSessionData(searchQuery={"stationID": "1:20001"})
    assert_code(reply, ResponseCode.OK)
    assert {r.stationID for r in reply.ChargingSessionData} == {"1:20001"}
    row = reply.ChargingSessionData[0]
    data = sunrise_ref.service.get15minChargingSessionData(sessionID=row.sessionID)
    assert data.responseCode in {"100", "134"}


def test_session_filters(sunrise: zeep.Client) -> None:
    everything = all_sessions(sunrise)
    one = everything[5]
    by_id = sunrise.service.getChargingSessionData(searchQuery={"sessionID": one.sessionID})
    assert [r.sessionID for r in by_id.ChargingSessionData] == [one.sessionID]
    window = {"fromTimeStamp": START - timedelta(days=2), "toTimeStamp": START - timedelta(days=1)}
    rows = all_sessions(sunrise, **window)
    # guide 6.1.2: fromTimeStamp bounds the start, toTimeStamp the end (test_guide_rules)
    inside = [
        r.sessionID
        for r in everything
        if window["fromTimeStamp"] <= r.startTime
        and r.endTime
        and r.endTime < window["toTimeStamp"]
    ]
    assert rows and [r.sessionID for r in rows] == inside
    seattle = all_sessions(sunrise, City="Seattle")
    assert seattle and {r.City for r in seattle} == {"Seattle"}
    active = sunrise.service.getChargingSessionData(
        searchQuery={"activeSessionsOnly": True}
    ).ChargingSessionData
    assert all(r.endTime is None for r in active)
    assert [r.sessionID for r in active] == [r.sessionID for r in everything if r.endTime is None]
    ids = sunrise.service.getChargingSessionData(
        searchQuery={"stationIDs": {"stationID": ["1:10002"]}}
    )
    assert {r.stationID for r in ids.ChargingSessionData} == {"1:10002"}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (
            {"fromTimeStamp": START, "toTimeStamp": START - timedelta(days=1)},
            ResponseCode.START_AFTER_END,
        ),
        ({"fromTimeStamp": START + timedelta(days=30)}, ResponseCode.NO_SESSION_DATA),
        ({"stationID": "1-10001"}, ResponseCode.STATION_ID_FORMAT),
        (
            {"stationID": "1:10001", "stationIDs": {"stationID": ["1:10002"]}},
            ResponseCode.STATION_ID_AND_IDS,
        ),
        ({"sessionID": 1}, ResponseCode.NO_SESSION_DATA),
    ],
)
def test_session_search_errors(
    sunrise: zeep.Client, query: dict[str, object], code: ResponseCode
) -> None:
    reply = sunrise.service.getChargingSessionData(searchQuery=query)
    assert_code(reply, code)
    assert reply.ChargingSessionData == []


def test_sessions_realm(fleet: tuple[MockChargePoint, ManualClock], sunrise: zeep.Client) -> None:
    harbor = fleet[0].client(fleet[0].tenants()[1])
    mine = all_sessions(harbor)
    assert {r.stationID for r in mine} <= {"1:10002", "1:20001", "1:20002"}
    foreign = next(r for r in all_sessions(sunrise) if r.stationID == "1:10001")
    reply = harbor.service.getChargingSessionData(searchQuery={"sessionID": foreign.sessionID})
    assert_code(reply, ResponseCode.SESSIONS_OUTSIDE_REALM)
    data = harbor.service.get15minChargingSessionData(sessionID=foreign.sessionID)
    assert_code(data, ResponseCode.SESSIONS_OUTSIDE_REALM)
    assert_code(
        harbor.service.get15minChargingSessionData(sessionID=42), ResponseCode.INVALID_SESSION_ID
    )


def test_same_seed_same_clock_moves_same_bytes(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Jumping a day or walking it in hours gives byte-identical responses (each on a fresh
    copy of the minimal world as built at START)."""
    bodies = []
    for steps in (1, 24):
        clock = ManualClock(START)
        with MockChargePoint(fresh_world(tmp_path_factory, "minimal", START), clock) as mock:
            tenant = mock.tenants()[0]
            from tests.soap.envelopes import SOAP_PATH, guide_style

            for _ in range(steps):
                clock.advance(timedelta(days=1) / steps)
                Client(mock.wsgi).post(
                    SOAP_PATH,
                    data=guide_style(
                        tenant.license_key,
                        tenant.password,
                        "<urn:getChargingSessionData><searchQuery/></urn:getChargingSessionData>",
                    ),
                )
            data = guide_style(
                tenant.license_key,
                tenant.password,
                "<urn:getChargingSessionData><searchQuery><startRecord>1</startRecord></searchQuery></urn:getChargingSessionData>",
            )
            bodies.append(Client(mock.wsgi).post(SOAP_PATH, data=data).get_data())
    assert bodies[0] == bodies[1]
    assert bodies[0].count(b"<ChargingSessionData>") > 20


@settings(max_examples=8, deadline=None)
@given(steps=st.lists(st.integers(min_value=1, max_value=600), min_size=1, max_size=6))
def test_any_clock_path_gives_the_same_bytes_as_one_jump(
    tmp_path_factory: pytest.TempPathFactory, steps: list[int]
) -> None:
    """hypothesis: however the clock reached a moment, the responses are byte-identical
    (each path on a fresh copy of the minimal world as built at START)."""
    from tests.soap.envelopes import SOAP_PATH, guide_style

    body = (
        "<urn:getChargingSessionData><searchQuery><startRecord>1</startRecord>"
        "</searchQuery></urn:getChargingSessionData>"
    )
    replies = []
    for path in (steps, [sum(steps)]):
        clock = ManualClock(START)
        with MockChargePoint(fresh_world(tmp_path_factory, "minimal", START), clock) as mock:
            tenant = mock.tenants()[0]
            data = guide_style(tenant.license_key, tenant.password, body)
            for minutes in path:
                clock.advance(timedelta(minutes=minutes))
                Client(mock.wsgi).post(SOAP_PATH, data=data)
            status = guide_style(
                tenant.license_key,
                tenant.password,
                "<urn:getStationStatus><searchQuery/></urn:getStationStatus>",
            )
            money = guide_style(
                tenant.license_key,
                tenant.password,
                "<urn:getTransactionData><searchQuery><numTransactions>500</numTransactions>"
                "</searchQuery></urn:getTransactionData>",
            )
            replies.append(
                tuple(
                    Client(mock.wsgi).post(SOAP_PATH, data=body).get_data()
                    for body in (data, status, money)
                )
            )
    assert replies[0] == replies[1]
    assert b"<transactionType>Reservation</transactionType>" in replies[0][2]
