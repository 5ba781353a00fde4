"""getAlarms / clearAlarms through zeep (guide 8.1-8.2): the simulator's alarms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import zeep
from sqlalchemy import select

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.db.activity import Alarm
from mockcp.db.models import Station
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import HARBOR, SUNRISE, expect
from tests.worlds.images import fresh_world

SIXTY_DAYS = START + timedelta(days=60)


@pytest.fixture
def aged(mock: MockChargePoint, clock: ManualClock) -> MockChargePoint:
    """The minimal world after 60 simulated days: a few dozen alarms."""
    clock.set(SIXTY_DAYS)
    return mock


def stored(mock: MockChargePoint, station_ids: set[str]) -> list[tuple[str, str | None, str]]:
    """Current alarms up to the clock's now, read from the database, not the API."""
    with mock.app.sessions() as db:
        rows = db.execute(
            select(Station.station_id, Alarm.port_number, Alarm.alarm_type, Alarm.alarm_time)
            .join(Station, Alarm.station_pk == Station.id)
            .where(Alarm.cleared_at.is_(None), Alarm.alarm_time <= mock.app.clock.now())
            .order_by(Alarm.alarm_time, Alarm.id)
        ).all()
    return [(s, None if p is None else str(p), t) for s, p, t, _ in rows if s in station_ids]


def walk(client: zeep.Client, next_start: Any, **query: Any) -> list[Any]:
    rows, start = [], 1
    while True:
        reply = client.service.getAlarms(searchQuery={**query, "startRecord": start})
        assert reply.responseCode == "100", reply.responseText
        rows.extend(reply.Alarms)
        assert len(reply.Alarms) <= 100
        if reply.moreFlag != 1:
            return rows
        start = next_start(start, reply)


def as_key(row: Any) -> tuple[str, str | None, str]:
    return (row.stationID, row.portNumber, row.alarmType)


SUNRISE_SEES = {"1:10001", "1:10002", "1:10003", "1:20001", "1:20002"}
HARBOR_SEES = {"1:20001", "1:20002", "1:10002"}


def test_alarm_rows_are_the_simulators(aged: MockChargePoint) -> None:
    client = aged.client(aged.tenants()[SUNRISE])
    rows = walk(client, lambda start, reply: start + len(reply.Alarms))
    assert [as_key(r) for r in rows] == stored(aged, SUNRISE_SEES)
    assert [r.recordNumber for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) > 10
    first = rows[0]
    assert (first.stationModel, first.orgID, first.companyID, first.organizationName) in {
        ("CT4020-HD-GW", "1:ORG00001", "1:10001", "Sunrise Energy Co-op"),
        ("CT4010-HD-GW", "1:ORG00001", "1:10001", "Sunrise Energy Co-op"),
        ("CT4020-HD-GW", "1:ORG00002", "1:10002", "Harbor City Parking"),
        ("CPE250", "1:ORG00002", "1:10002", "Harbor City Parking"),
    }
    assert all(r.alarmTime.tzinfo is not None and r.alarmTime <= SIXTY_DAYS for r in rows)
    harbor = aged.client(aged.tenants()[HARBOR])
    theirs = walk(harbor, lambda start, reply: start + len(reply.Alarms))
    assert [as_key(r) for r in theirs] == stored(aged, HARBOR_SEES)


def test_alarm_filters(aged: MockChargePoint) -> None:
    client = aged.client(aged.tenants()[SUNRISE])
    every = walk(client, lambda start, reply: start + len(reply.Alarms))
    by_station = walk(client, lambda s, r: s + len(r.Alarms), stationID="1:20002")
    assert [as_key(r) for r in by_station] == [as_key(r) for r in every if r.stationID == "1:20002"]
    assert by_station
    by_port = walk(client, lambda s, r: s + len(r.Alarms), stationID="1:20002", portNumber="1")
    assert {(r.portNumber, r.alarmType) for r in by_port} <= {
        ("1", "GFCI Soft Trip"), ("1", "Fault Cleared"),
    }
    by_group = walk(client, lambda s, r: s + len(r.Alarms), sgID=2001)
    assert [as_key(r) for r in by_group] == [
        as_key(r) for r in every if r.stationID in {"1:20001", "1:20002"}
    ]
    by_org = walk(client, lambda s, r: s + len(r.Alarms), orgID="1:ORG00002")
    assert [as_key(r) for r in by_org] == [as_key(r) for r in by_group]
    named = walk(client, lambda s, r: s + len(r.Alarms), organizationName="harbor city parking")
    assert [as_key(r) for r in named] == [as_key(r) for r in by_group]
    middle = every[len(every) // 2].alarmTime
    window = walk(client, lambda s, r: s + len(r.Alarms), startTime=middle)
    assert [as_key(r) for r in window] == [as_key(r) for r in every if r.alarmTime >= middle]
    early = walk(client, lambda s, r: s + len(r.Alarms), endTime=middle)
    assert len(early) + len(window) >= len(every)
    assert all(r.alarmTime <= middle for r in early)


CODES = [
    ({"startTime": START, "endTime": START - timedelta(days=1)}, ResponseCode.START_AFTER_END, {}),
    ({"stationID": "10001"}, ResponseCode.STATION_ID_FORMAT, {}),
    ({"stationID": "1:10001", "stationIDs": {"stationID": ["1:10002"]}},
     ResponseCode.STATION_ID_AND_IDS, {}),
    ({"orgID": "ORG"}, ResponseCode.ORG_ID_FORMAT, {}),
    ({"orgID": "1:ORG09999"}, ResponseCode.INVALID_ORG_ID, {}),
    ({"sgID": 4242}, ResponseCode.STATION_GROUP_NOT_IN_DATABASE, {}),
    ({"stationID": "1:10003"}, ResponseCode.NO_ALARMS_FOUND, {}),  # offline: never reports
    ({"portNumber": "x"}, ResponseCode.INVALID_PARAMETERS, {"params": "portNumber"}),
]


@pytest.mark.parametrize(("query", "code", "fields"), CODES, ids=[c[1].name for c in CODES])
def test_get_alarms_codes(
    aged: MockChargePoint, query: dict[str, Any], code: ResponseCode, fields: dict[str, object]
) -> None:
    client = aged.client(aged.tenants()[SUNRISE])
    expect(client.service.getAlarms(searchQuery=query), code, **fields)


def test_get_alarms_realm(aged: MockChargePoint) -> None:
    harbor = aged.client(aged.tenants()[HARBOR])
    expect(
        harbor.service.getAlarms(searchQuery={"stationID": "1:10001"}),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )
    expect(
        harbor.service.getAlarms(searchQuery={"sgID": 1001}), ResponseCode.OWN_STATION_GROUP_ONLY
    )
    # Sunrise is visible to Harbor through its grant on 1:10002: only that station's alarms
    theirs = walk(harbor, lambda s, r: s + len(r.Alarms), orgID="1:ORG00001")
    assert [as_key(r) for r in theirs] == stored(aged, {"1:10002"})


def test_clear_alarms_moves_them_to_history(aged: MockChargePoint) -> None:
    client = aged.client(aged.tenants()[SUNRISE])
    before = walk(client, lambda s, r: s + len(r.Alarms))
    query = {
        "orgID": "1:ORG00002", "organizationName": "Harbor City Parking",
        "stationID": "1:20001", "clearReason": "Site visit: modem replaced",
    }
    reply = client.service.clearAlarms(searchQuery=query)
    assert (reply.responseCode, reply.responseText) == ("100", ResponseCode.OK.text)
    after = walk(client, lambda s, r: s + len(r.Alarms))
    assert [as_key(r) for r in after] == [as_key(r) for r in before if r.stationID != "1:20001"]
    with aged.app.sessions() as db:
        reasons = set(
            db.scalars(
                select(Alarm.clear_reason)
                .join(Station, Alarm.station_pk == Station.id)
                .where(Station.station_id == "1:20001", Alarm.cleared_at.is_not(None))
            )
        )
    assert reasons == {"Site visit: modem replaced"}
    expect(client.service.clearAlarms(searchQuery=query), ResponseCode.NO_ALARMS_FOUND)


CLEAR_CODES = [
    ({"organizationName": "Sunrise Energy Co-op"}, ResponseCode.MANDATORY_FIELDS_MISSING, {}),
    ({"orgID": "1:ORG00001"}, ResponseCode.MANDATORY_FIELDS_MISSING, {}),
    ({"orgID": "1:ORG00001", "organizationName": "Someone Else"},
     ResponseCode.INVALID_ORGANIZATION_DETAILS, {}),
    ({"orgID": "1:ORG00001", "organizationName": "Sunrise Energy Co-op", "alarmType": "Nope"},
     ResponseCode.NO_ALARMS_FOUND, {}),
]


@pytest.mark.parametrize(("query", "code", "fields"), CLEAR_CODES, ids=str)
def test_clear_alarms_codes_change_nothing(
    aged: MockChargePoint, query: dict[str, Any], code: ResponseCode, fields: dict[str, object]
) -> None:
    client = aged.client(aged.tenants()[SUNRISE])
    before = stored(aged, SUNRISE_SEES)
    expect(client.service.clearAlarms(searchQuery=query), code, **fields)
    assert stored(aged, SUNRISE_SEES) == before
    harbor = aged.client(aged.tenants()[HARBOR])
    sunrise = {"orgID": "1:ORG00001", "organizationName": "Sunrise Energy Co-op"}
    expect(
        harbor.service.clearAlarms(searchQuery={**sunrise, "stationID": "1:10001"}),
        ResponseCode.STATIONS_OUTSIDE_REALM,
    )
    assert stored(aged, SUNRISE_SEES) == before


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockChargePoint]:
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "demo", START), clock) as running:
        yield running


@pytest.mark.parametrize("algorithm", ["start+received", "start+fixed", "last+1"])
def test_alarm_paging_with_the_three_client_algorithms(
    demo: MockChargePoint, algorithm: str
) -> None:
    tenant = demo.tenants()[0]
    client = demo.client(tenant)
    steps = {
        "start+received": lambda start, reply: start + len(reply.Alarms),
        "start+fixed": lambda start, reply: start + 100,
        "last+1": lambda start, reply: reply.Alarms[-1].recordNumber + 1,
    }
    rows = walk(client, steps[algorithm])
    assert len(rows) > 100
    assert [r.recordNumber for r in rows] == list(range(1, len(rows) + 1))
    seen, start = set(), 1
    while True:
        reply = client.service.getStations(searchQuery={"startRecord": start})
        seen |= {s.stationID for s in reply.stationData}
        if reply.moreFlag != 1:
            break
        start += len(reply.stationData)
    assert [as_key(r) for r in rows] == stored(demo, seen)


def test_reference_wsdl_client_reads_alarms(reference_client: zeep.Client) -> None:
    reply = reference_client.service.getAlarms(searchQuery={"stationID": "1:10001"})
    assert reply.responseCode == "100"
    connectivity = [a for a in reply.Alarms if a.alarmType in {"Unreachable", "Reachable"}]
    assert [(a.alarmType, a.portNumber) for a in connectivity] == [
        ("Unreachable", None), ("Reachable", None),
    ]
    assert [a.recordNumber for a in reply.Alarms] == list(range(1, len(reply.Alarms) + 1))
    sharing = {a.alarmType for a in reply.Alarms} - {"Unreachable", "Reachable"}
    assert sharing <= {"Circuit Sharing Current Reduced", "Circuit Sharing Current Restored"}
