"""The time one request may spend (mockcp.deadline, docs/limits.md): a request past its limit
is stopped, rolled back and answered with a Client fault, journaled; the server keeps
answering and the store keeps what it had (issue 17).

The limits are lowered in each test's Settings; the requests exceed them by construction (a
year of planning against 10 ms, or a lock held by the test for the whole call), so no test
depends on how fast the machine is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zeep
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from mockcp import deadline
from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.db.activity import (
    Alarm,
    ChargingSession,
    ShedState,
    SimPortState,
    Transaction,
    WorldMeta,
)
from mockcp.db.engine import make_engine
from mockcp.sim.store import engine as planner
from mockcp.sim.store import spans
from mockcp.sim.store.locking import may_publish, world_lock_key
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.soap.work import TickingClock
from tests.worlds.stores import store_url

YEAR = timedelta(days=366)  # the clock's largest step (mockcp.clock.MAX_STEP)
SIXTY_DAYS = timedelta(days=60)
TABLES = (ChargingSession, Alarm, Transaction, SimPortState)


def digest(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the simulated tables and the planner's watermarks."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    for model in TABLES:
        table = model.__table__
        # An alarm's id is a surrogate (the order rows were inserted in), never answered.
        columns = [c for c in table.columns if not (model is Alarm and c.name == "id")]
        found[table.name] = sorted(
            (tuple(row) for row in db.execute(select(*columns))), key=repr
        )
    meta = db.execute(select(WorldMeta.key, WorldMeta.value).where(WorldMeta.key.in_(
        planner.FAST_KEYS)).order_by(WorldMeta.key))
    found["world_meta"] = [tuple(row) for row in meta]
    return found


def time_limit_fault(call: Any, operation: str, seconds: float) -> None:
    with pytest.raises(zeep.exceptions.Fault) as caught:
        call()
    assert caught.value.code == "soapenv:Client"
    assert caught.value.message == (
        f"{operation} ran past the time limit of {seconds:g} s per request and was stopped; "
        "nothing it did was kept."
    )


def stations(client: zeep.Client) -> Any:
    return client.service.getStations(searchQuery={})


def shed(client: zeep.Client) -> Any:
    return client.service.shedLoad(shedQuery={
        "shedStation": {"stationID": "1:10002", "percentShedPerStation": 30}, "timeInterval": 0})


@pytest.fixture
def world_file(tmp_path: Path) -> str:
    return store_url("sqlite", tmp_path)


def test_a_read_past_its_limit_is_a_client_fault_and_the_store_is_intact(
    world_file: str,
) -> None:
    roomy = Settings(database_url=world_file, fixture="minimal")
    with MockChargePoint(roomy, ManualClock(START)) as mock:
        assert stations(mock.client(mock.tenants()[0])).responseCode == "100"
        with mock.wsgi.sessions() as db:
            before = digest(db)
    # Sixty days on, the next read must plan sixty days: far more than 10 ms of work.
    tight = Settings(database_url=world_file, fixture="minimal", request_time_limit=0.01)
    with MockChargePoint(tight, ManualClock(START + SIXTY_DAYS)) as mock:
        client = mock.client(mock.tenants()[0])
        time_limit_fault(lambda: stations(client), "getStations", 0.01)
        with mock.wsgi.sessions() as db:
            assert digest(db) == before  # nothing half-written
        # The server answers: a call that plans nothing, and the control plane.
        assert len(client.service.getCPNInstances()) == 4
        calls = mock.journal.entries(operation="getStations")
        assert [(c["fault"], c["details"]) for c in calls] == [
            (None, {}), ("soapenv:Client", {"timeLimit": "0.01s"})]
    # The same store under the default limit serves the read, and the world it planned is
    # the one a store never interrupted plans.
    with MockChargePoint(roomy, ManualClock(START + SIXTY_DAYS)) as mock:
        assert stations(mock.client(mock.tenants()[0])).responseCode == "100"
        with mock.wsgi.sessions() as db:
            after = digest(db)
    never_stopped = ManualClock(START)
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"),
                         never_stopped) as fresh:
        client = fresh.client(fresh.tenants()[0])
        assert stations(client).responseCode == "100"
        never_stopped.advance(SIXTY_DAYS)
        assert stations(client).responseCode == "100"
        with fresh.wsgi.sessions() as db:
            assert digest(db) == after
    assert after[ChargingSession.__tablename__]


def test_planning_a_span_at_a_time_gives_the_same_world(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the spans end (sim/store/spans.py) does not change the world: a read under a
    deadline planning a day at a time, each span committed, equals forty days at once."""
    monkeypatch.setattr(spans, "PLAN_PORT_DAYS", 8)  # the minimal world's 8 ports: a day
    # Keep every span a day (the pace would otherwise size the rest to the time left): the
    # boundaries are what this test varies, not how they are chosen.
    monkeypatch.setattr(spans, "next_span", lambda span, _spent: span)
    worlds = []
    for limit in (None, 3600.0):  # no deadline: all at once; a deadline: 40 spans of a day
        with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"),
                             ManualClock(START)) as mock, mock.wsgi.sessions() as db:
            may_publish(db)
            with deadline.limit(limit):
                planner.materialize(db, mock.settings.root_seed, START + timedelta(days=40))
            db.commit()
            worlds.append(digest(db))
    assert worlds[0][ChargingSession.__tablename__]
    assert worlds[0] == worlds[1]


class ReleaseOnFault(logging.Handler):
    """Ends the test's hold on the store once the call's fault is logged (before the journal
    row, which needs SQLite's one write lock too, is written): ordering, not a sleep."""

    def __init__(self, release: Any) -> None:
        super().__init__()
        self.release = release

    def emit(self, record: logging.LogRecord) -> None:
        if "time limit" in record.getMessage():
            self.release()


@contextmanager
def world_lock_held(url: str) -> Iterator[Any]:
    """Another connection holds the world lock (PostgreSQL's advisory lock, SQLite's write
    lock); yields the function that lets it go."""
    engine = make_engine(url)
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        key = world_lock_key(engine.url)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield conn.rollback
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_write_waiting_for_the_world_lock_stops_at_its_limit(kind: str, tmp_path: Path) -> None:
    url = store_url(kind, tmp_path)
    with MockChargePoint(Settings(database_url=url, fixture="minimal"), ManualClock(START)) as mock:
        assert shed(mock.client(mock.tenants()[0])).responseCode == "100"  # planned to now
    limited = Settings(database_url=url, fixture="minimal", request_time_limit=0.3)
    with MockChargePoint(limited, ManualClock(START)) as mock:
        client = mock.client(mock.tenants()[0])
        spyne_log = logging.getLogger("spyne.application")
        level = spyne_log.level  # (``mockcp serve`` run in process by another test quiets spyne)
        with world_lock_held(url) as release:
            handler = ReleaseOnFault(release)
            spyne_log.addHandler(handler)
            spyne_log.setLevel(logging.ERROR)
            try:
                time_limit_fault(lambda: clear(client), "clearShedState", 0.3)
            finally:
                spyne_log.removeHandler(handler)
                spyne_log.setLevel(level)
        assert shed_state(mock) == "shed"  # the clear was rolled back
        assert clear(client).responseCode == "100"  # the lock is free: the server serves
        assert shed_state(mock) == "clear"
        faults = [c for c in mock.journal.entries(operation="clearShedState") if c["fault"]]
        assert [(c["fault"], c["details"]) for c in faults] == [
            ("soapenv:Client", {"timeLimit": "0.3s"})]


def clear(client: zeep.Client) -> Any:
    return client.service.clearShedState(shedQuery={"shedStation": {"stationID": "1:10002"}})


def shed_state(mock: MockChargePoint) -> str:
    with mock.wsgi.sessions() as db:
        held = db.scalar(select(func.count()).select_from(ShedState))
    return "shed" if held else "clear"


def planned_until(mock: MockChargePoint) -> datetime:
    with mock.wsgi.sessions() as db:
        raw = db.scalar(select(WorldMeta.value).where(WorldMeta.key == "planned_until"))
    assert raw is not None
    return datetime.fromisoformat(raw)


def test_reads_stopped_by_the_limit_keep_their_spans_and_catch_up(
    world_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each read stopped at its limit keeps the spans it planned (the first 30 days here), so reads
    past a far clock move keep making progress and soon answer again: no world is wedged."""
    monkeypatch.setattr(spans, "PLAN_PORT_DAYS", 8 * 30)  # the minimal world has 8 ports
    monkeypatch.setattr(deadline, "time", TickingClock())  # work, not the machine, sets the pace
    with MockChargePoint(Settings(database_url=world_file, fixture="minimal"),
                         ManualClock(START)) as mock:
        assert stations(mock.client(mock.tenants()[0])).responseCode == "100"
    limited = Settings(database_url=world_file, fixture="minimal", request_time_limit=1.0)
    with MockChargePoint(limited, ManualClock(START + YEAR)) as mock:
        client = mock.client(mock.tenants()[0])
        horizons, stopped = [planned_until(mock)], 0
        for _ in range(200):
            try:
                reply = stations(client)
            except zeep.exceptions.Fault as fault:
                assert "ran past the time limit of 1 s" in fault.message
                stopped += 1
                horizons.append(planned_until(mock))
                continue
            assert reply.responseCode == "100"
            break
        assert stopped >= 1  # a year of planning (13 spans of 30 days) did not fit in a second
        assert horizons == sorted(horizons) and horizons[-1] > horizons[0]  # spans were kept
        assert planned_until(mock) > (START + YEAR)
