"""A clock move plans the world it moves into, and a running clock waits a week past the
planned world: so neither a read after the clock's largest step nor a read after a long gap
at the fastest pace plans more than a few days (issue 17, docs/limits.md "Work"). Work is
counted (tests/soap/work.py), never timed; the wall-clock figures are in bench/bench_bounds.py.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import zeep
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from zeep.helpers import serialize_object

from mockcp import deadline
from mockcp.clock import MAX_AHEAD, MAX_STEP, ClockState, ManualClock, utc
from mockcp.config import Settings
from mockcp.db.activity import Alarm, ChargingSession, PowerCap, SimPortState, Transaction
from mockcp.db.world_state import SimClockRow
from mockcp.sim.store import ahead
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.soap.test_bound_work import ROWS_PER_PORT_DAY
from tests.soap.work import TickingClock, planned_days, ports, work_of
from tests.worlds.helpers import admin

TWENTY_DAYS = timedelta(days=20)


def digest(db: Session) -> dict[str, list[str]]:
    """Every planned row, without the surrogate ids of alarms and caps (insert order)."""
    found: dict[str, list[str]] = {}
    for model in (ChargingSession, Alarm, Transaction, SimPortState, PowerCap):
        table = model.__table__
        columns = [c for c in table.columns if not (model in (Alarm, PowerCap) and c.name == "id")]
        found[table.name] = sorted(repr(tuple(row)) for row in db.execute(select(*columns)))
    return found


def sessions_between(client: zeep.Client, begin: datetime, end: datetime) -> list[Any]:
    reply = client.service.getChargingSessionData(
        searchQuery={"fromTimeStamp": begin, "toTimeStamp": end})
    return list(serialize_object(reply, dict)["ChargingSessionData"] or [])


def test_a_move_plans_in_steps_the_world_a_read_plans_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twenty days moved through the control plane, planned in five committed steps before
    the clock moves, give the world (and the answers) the old way gives: the clock moved
    alone and the next read planning the twenty days at once."""
    monkeypatch.setattr(ahead, "MOVE_PORT_DAYS", 32)  # the minimal world's 8 ports: 4 days
    steps: list[bool] = []
    step = ahead.committed_step
    monkeypatch.setattr(ahead, "committed_step", lambda *a: steps.append(step(*a)) or steps[-1])
    worlds, answers = [], []
    for by_control in (True, False):
        clock = ManualClock(START)
        with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"),
                             clock) as mock:
            client = mock.client()
            if by_control:
                moved, _ = work_of(mock, lambda: mock.clock.advance("P20D"))
                assert moved.port_days > 0
                assert clock.now() == START + TWENTY_DAYS
            else:
                clock.advance(TWENTY_DAYS)
            read, _ = work_of(mock, partial(client.service.getStations, searchQuery={}))
            assert (read.port_days == 0) is by_control  # the move planned it all
            answers.append(sessions_between(client, START + timedelta(days=10),
                                            START + timedelta(days=12)))
            with mock.wsgi.sessions() as db:
                worlds.append(digest(db))
    assert steps.count(False) >= 4 and steps[-1]  # planned in several committed steps
    assert answers[0] and answers[0] == answers[1]  # history over the move shows sessions
    assert worlds[0][ChargingSession.__tablename__] and worlds[0] == worlds[1]


def test_a_refused_move_plans_nothing_and_moves_nothing(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    client.service.getStations(searchQuery={})
    before = planned_days(mock)
    too_far = (START + MAX_STEP + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    status, answer = admin(mock.wsgi, "POST", "/clock", {"set": too_far})
    assert (status, answer) == (400, {"error": "one clock move may be at most 366 days"})
    status, answer = admin(mock.wsgi, "POST", "/clock", {"set": "2024-03-01T00:00:00Z"})
    assert (status, answer) == (400, {"error": "a clock only moves forward"})
    assert planned_days(mock) == before and clock.now() == START


def test_another_tenant_is_answered_between_two_steps_of_a_years_move(tmp_path: Path) -> None:
    """Ordering, not time, on a SQLite file: the move is held after its first committed
    step (the world lock released); the other tenant's read is answered meanwhile, at the
    old now, planning nothing; then the move completes."""
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    with MockChargePoint(Settings(database_url=url, fixture="minimal"),
                         ManualClock(START)) as mock:
        sunrise, harbor = (mock.client(t) for t in mock.tenants())
        harbor.service.getStations(searchQuery={})
        stepped, answered = threading.Event(), threading.Event()
        step = ahead.committed_step

        def held(*args: Any) -> bool:
            done = step(*args)
            stepped.set()
            assert answered.wait(30)
            return done

        moved: dict[str, Any] = {}
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ahead, "MOVE_PORT_DAYS", 800)  # 100 days a step
            patch.setattr(ahead, "committed_step", held)
            thread = threading.Thread(
                target=lambda: moved.setdefault("now", mock.clock.advance("P366D")))
            thread.start()
            try:
                assert stepped.wait(30)
                work, reply = work_of(mock, lambda: harbor.service.getStations(searchQuery={}))
                assert "now" not in moved  # answered while the move was planning
                assert reply.responseCode == "100" and work.port_days == 0
            finally:
                answered.set()
                thread.join(60)
        assert moved["now"] == "2025-03-13T17:00:00Z"
        assert sessions_between(sunrise, START + timedelta(days=300),
                                START + timedelta(days=302))


def stored_world(tmp_path: Path) -> MockChargePoint:
    return MockChargePoint(Settings(
        database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", fixture="minimal",
        clock_mode="x100000", clock_start=START))


def time_passes(mock: MockChargePoint, seconds: float) -> None:
    """The stored clock's anchor ``seconds`` further in the past: what that much time
    without a call does to a running clock (the wall clock is never waited on)."""
    with mock.wsgi.engine.begin() as conn:
        conn.execute(update(SimClockRow).values(wall=SimClockRow.wall - seconds))


def test_a_fast_clock_left_alone_waits_a_week_past_the_planned_world(tmp_path: Path) -> None:
    """At x100000 an hour without a call is 11 years of simulated time. The stored clock
    waits MAX_AHEAD past the world planned so far, so the call after the hour plans about
    a week (not pace x gap) and costs what a call a simulated day after the last one costs
    (at this pace, every call plans); each later call carries the clock on by a week."""
    with stored_world(tmp_path) as mock:
        client = mock.client()
        client.service.getStations(searchQuery={})
        time_passes(mock, 86_400 / 100_000)  # a simulated day
        day, _ = work_of(mock, lambda: client.service.getStations(searchQuery={}))
        assert 0 < day.port_days <= ports(mock) * 3
        time_passes(mock, 3600)
        first = utc(datetime.fromisoformat(mock.clock.now().replace("Z", "+00:00")))
        assert START < first <= START + timedelta(days=4) + MAX_AHEAD
        after_gap, reply = work_of(mock, lambda: client.service.getStations(searchQuery={}))
        assert reply.responseCode == "100"
        assert 0 < after_gap.port_days <= ports(mock) * (MAX_AHEAD.days + 2)
        assert after_gap.statements <= 2 * day.statements, (after_gap, day)
        assert after_gap.rows_written <= day.rows_written + ROWS_PER_PORT_DAY * after_gap.port_days
        later = utc(datetime.fromisoformat(mock.clock.now().replace("Z", "+00:00")))
        assert first + timedelta(days=6) <= later <= first + MAX_AHEAD + timedelta(days=2)


def test_a_running_clock_runs_freely_within_a_week_of_the_planned_world() -> None:
    state = ClockState(START, START, 0.0, 1.0, planned=START + timedelta(hours=7))
    assert state.now(3600.0) == START + timedelta(hours=1)  # realtime, as always
    assert state.now(10.0**9) == START + timedelta(hours=7) + MAX_AHEAD
    fast = ClockState(START, START, 0.0, 100_000.0, planned=START + timedelta(hours=7))
    assert fast.now(3600.0) == START + timedelta(hours=7) + MAX_AHEAD
    assert fast.paced(60.0, 3600.0).anchor == START + timedelta(hours=7) + MAX_AHEAD
    moved = ClockState(START, START + timedelta(days=30), 0.0, 100_000.0, planned=START)
    assert moved.now(3600.0) == START + timedelta(days=30) + MAX_AHEAD  # never behind anchor


def test_a_move_stopped_at_the_time_limit_keeps_its_steps_and_the_same_move_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ahead, "MOVE_PORT_DAYS", 8 * 30)  # the minimal world's 8 ports
    monkeypatch.setattr(deadline, "time", TickingClock())  # work, not the machine, sets the pace
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", fixture="minimal",
                        request_time_limit=1.0)
    with MockChargePoint(settings, ManualClock(START)) as mock:
        days, stopped = [planned_days(mock)], 0
        for _ in range(100):
            status, answer = admin(mock.wsgi, "POST", "/clock", {"advance": "P366D"})
            if status == 200:
                break
            assert (status, answer) == (503, {"error": (
                "planning the world up to 2025-03-13T17:00:00Z ran past the time limit of 1 s;"
                " the clock did not move, the days planned so far are kept: send the same move"
                " again to carry on")})
            assert admin(mock.wsgi, "GET", "/clock")[1]["now"] == "2024-03-12T17:00:00Z"
            stopped += 1
            days.append(planned_days(mock))
        assert stopped >= 1 and status == 200  # a year did not fit in one (ticking) second
        assert days == sorted(days) and days[-1] > days[0]  # each stopped move kept steps
        assert answer["now"] == "2025-03-13T17:00:00Z"
