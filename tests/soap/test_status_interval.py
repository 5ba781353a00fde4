"""Status off the read path (sim/store/status.py, issue 18): a read inside the interval in
which the stored statuses hold neither refreshes nor writes, and answers byte for byte what a
refresh at every new instant (the path before it) answers.

Two fresh minimal worlds get the same recorded requests (station, status, session, alarm
and load reads from every tenant, on 5.1 and 5.0) at the same instants of a moving clock,
with station events and sheds in between; one refreshes at every new instant, the other
keeps the interval. Every answer must be equal, and the interval must have saved refreshes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from werkzeug.test import Client

from mockcp.clock import ManualClock, utc
from mockcp.db.activity import WorldMeta
from mockcp.db.models import Station
from mockcp.sim.store import status
from mockcp.soap.versions import VERSIONS
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.soap.envelopes import guide_style
from tests.worlds.images import fresh_world

READS = (
    "<urn:getStationStatus><searchQuery/></urn:getStationStatus>",
    "<urn:getStations><searchQuery><Status>INUSE</Status></searchQuery></urn:getStations>",
    "<urn:getChargingSessionData><searchQuery><activeSessionsOnly>1</activeSessionsOnly>"
    "</searchQuery></urn:getChargingSessionData>",
    "<urn:getAlarmHistory><searchQuery/></urn:getAlarmHistory>",
)
EVENTS = (
    {"type": "plugIn", "port": 1, "hours": 2},
    {"type": "unplug", "port": 1},
    {"type": "portFault", "port": 2, "fault": "Ground fault"},
    {"type": "faultCleared", "port": 2},
    {"type": "offline"},
    {"type": "online"},
    {"type": "portFault", "port": 1, "fault": "Ground fault"},
    {"type": "faultCleared", "port": 1},
)


class World:
    """One minimal world on its own manual clock; ``intervals``: keep status intervals."""

    def __init__(self, factory: pytest.TempPathFactory, intervals: bool) -> None:
        self.intervals = intervals
        self.clock = ManualClock(START)
        # a fresh copy of the minimal world as built at START (tests/worlds/images.py)
        self.mock = MockChargePoint(fresh_world(factory, "minimal", START), self.clock)
        self.mock.__enter__()
        self.http = Client(self.mock.wsgi)
        self.refreshes = 0
        event.listen(self.mock.wsgi.engine, "before_cursor_execute", self._note)
        with self.mock.wsgi.sessions() as db:
            self.stations = sorted(db.scalars(select(Station.station_id)))
        self.bodies = [
            (version.soap_path, guide_style(t.license_key, t.password, xml))
            for version in VERSIONS
            for t in self.mock.tenants()
            for xml in READS[: 1 if version.name != "5.1" else None]
        ]

    def _note(self, _conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        self.refreshes += sql.startswith("SELECT charging_session.port_pk, max(")

    def close(self) -> None:
        self.mock.__exit__(None, None, None)

    @contextmanager
    def mode(self) -> Iterator[None]:
        keep = status.INTERVALS
        status.INTERVALS = self.intervals
        try:
            yield
        finally:
            status.INTERVALS = keep

    def read_all(self) -> list[tuple[int, bytes]]:
        with self.mode():
            return [
                (reply.status_code, reply.get_data())
                for path, body in self.bodies
                for reply in [self.http.post(path, data=body)]
            ]

    def station_event(self, station: int, body: dict[str, object]) -> tuple[int, bytes]:
        with self.mode():
            url = f"/_mock/stations/{self.stations[station % len(self.stations)]}/events"
            reply = self.http.post(url, json=body)
        return reply.status_code, reply.get_data()


@pytest.fixture
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, World]]:
    old = World(tmp_path_factory, intervals=False)
    new = World(tmp_path_factory, intervals=True)
    yield old, new
    old.close()
    new.close()


Step = tuple[str, int, int]  # ("advance", minutes, _) | ("event", station, which) | ("read", ..)


def run(pair: tuple[World, World], steps: list[Step]) -> None:
    old, new = pair
    for kind, a, b in steps:
        if kind == "advance":
            old.clock.advance(timedelta(minutes=a))
            new.clock.advance(timedelta(minutes=a))
        elif kind == "event":
            body = EVENTS[b % len(EVENTS)]
            assert old.station_event(a, body) == new.station_event(a, body)
        assert old.read_all() == new.read_all()


def test_reads_in_a_moving_clock_answer_as_a_refresh_at_every_instant(
    pair: tuple[World, World],
) -> None:
    steps: list[Step] = [("read", 0, 0)]
    for minute in (1, 90, 240, 600):
        steps += [("advance", minute, 0), ("read", 0, 0)]
    steps += [("event", 0, 0), ("advance", 30, 0), ("event", 1, 4), ("advance", 200, 0)]
    steps += [("event", 1, 5), ("event", 0, 2), ("advance", 60, 0), ("event", 0, 3)]
    run(pair, steps)
    old, new = pair
    assert new.refreshes < old.refreshes  # the interval saved refreshes (not vacuous)
    with new.mock.wsgi.sessions() as db:
        kept = db.scalar(select(WorldMeta.value).where(WorldMeta.key == status.STATUS_UNTIL))
    assert kept is not None


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(1, 600), st.just(0)),
        st.tuples(st.just("event"), st.integers(0, 5), st.integers(0, 5)),
        st.tuples(st.just("read"), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_any_clock_path_and_events_answer_alike(
    tmp_path_factory: pytest.TempPathFactory, steps: list[Step]
) -> None:
    worlds = (World(tmp_path_factory, intervals=False), World(tmp_path_factory, intervals=True))
    try:
        run(worlds, steps)
    finally:
        for world in worlds:
            world.close()


def test_a_read_inside_the_interval_writes_nothing(pair: tuple[World, World]) -> None:
    _, new = pair
    new.read_all()
    writes: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        if not sql.startswith(("SELECT", "INSERT INTO journal_entry")):
            writes.append(sql)

    engine = new.mock.wsgi.engine
    with new.mock.wsgi.sessions() as db:
        until = db.scalar(select(WorldMeta.value).where(WorldMeta.key == status.STATUS_UNTIL))
    assert until  # the last read recorded how long its statuses hold
    left = utc(datetime.fromisoformat(until)) - new.clock.now()
    assert left > timedelta(0)
    new.clock.advance(left / 2)  # later, but before any status can change
    event.listen(engine, "before_cursor_execute", note)
    try:
        refreshed = new.refreshes
        answers = new.read_all()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(answers) == len(new.bodies)
    assert new.refreshes == refreshed
    assert writes == []
