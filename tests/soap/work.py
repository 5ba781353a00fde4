"""Counting the work one request does, deterministically: the SQL statements it sends, the
rows they write, and the port-days the planner adds (issue 17: a request at a bound costs a
small multiple of a plain one, measured without a clock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event, func, select

from mockcp.db.activity import SimPortState
from mockcp.db.journal_store import JournalStore
from mockcp.testing import MockChargePoint

WRITES = ("INSERT", "UPDATE", "DELETE")
BOOKKEEPING = ("PRAGMA", "SET")


@dataclass
class Work:
    statements: int = 0
    rows_written: int = 0
    port_days: int = 0


@contextmanager
def counting(*engines: Engine, journal: JournalStore | None = None) -> Iterator[Work]:
    """Count what runs on ``engines`` inside the block (one request at a time, in process),
    and the rows ``journal`` writes outside any engine."""
    work = Work()

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any,
             many: bool) -> None:
        if statement.lstrip().upper().startswith(BOOKKEEPING):
            return  # a session setting (the time limit's), not work
        work.statements += 1
        if statement.lstrip().upper().startswith(WRITES):
            work.rows_written += len(parameters) if many else 1

    def row(statement: str) -> None:  # a journal row's statement on SQLite (db.journal_rows)
        seen(None, None, statement, None, None, False)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", seen)
    try:
        if journal is None:
            yield work
        else:
            with journal.observed(row):
                yield work
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", seen)


def planned_days(mock: MockChargePoint) -> int:
    """Port-days the planner has planned so far, summed over ports."""
    with mock.wsgi.sessions() as db:
        states = db.scalars(select(SimPortState)).all()
        return sum(s.planned_through.toordinal() for s in states)


def work_of(mock: MockChargePoint, call: Callable[[], Any]) -> tuple[Work, Any]:
    """The work of one call, and its answer (its journal row included, wherever it lives)."""
    before = planned_days(mock)
    journal = () if mock.wsgi.journal.shared else (mock.wsgi.journal.engine,)
    with counting(mock.wsgi.engine, *journal, journal=mock.wsgi.journal) as work:
        answer = call()
    work.port_days = planned_days(mock) - before
    return work, answer


def forget_kept(app: Any) -> None:
    """Forget what ``app`` (a MockChargePointApp) keeps while the world's file is unchanged:
    the call state, station indexes, realms, watermarks (``domain/kept.py``), so its
    next call reads them as a first one does."""
    if app.runtime.reads is not None:
        app.runtime.reads.clear()


def ports(mock: MockChargePoint) -> int:
    with mock.wsgi.sessions() as db:
        return db.scalar(select(func.count()).select_from(SimPortState)) or 0


class TickingClock:
    """A monotonic clock that moves 1 ms each time the deadline reads it: a request's second
    runs out after a fixed amount of work (planner checks, SQLite progress calls), however
    fast or busy the machine is."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 0.001
        return self.now
