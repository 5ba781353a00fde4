"""How far one planning step goes: spans, so a read under a time limit keeps its progress.

Without a deadline (the control plane, start-up, a limit of 0) and in a write (which keeps
its transaction to its end, so a span could not be kept anyway) the planner plans all it
needs at once, as it always did. A read under a deadline (``mockcp.deadline``) plans a first
span of about ``PLAN_PORT_DAYS`` port-days (a year at once in the minimal world's 8 ports,
55 days in the demo world's 181), publishes it (commits), and sizes each next span to fit in
half the time it has left at the pace the last span went. Each span has a fixed cost (Power
Share stations are reshared per span, about 0.1 s each on a busy machine), so spans are
large: the demo world's 91 days of history take two. A read stopped at its limit
thus keeps the spans it finished, and a far clock move is caught up by a few reads.

A clock moved through the control plane plans its span before it moves
(``mockcp.sim.store.ahead``), and a running stored clock waits a week past the planned world
(``mockcp.clock.MAX_AHEAD``), so long catch-ups by reads are left to clocks moved in process
(tests, scenarios).

Where the spans end changes nothing in the world: planning a span at a time gives the world
planning at once gives, as reads at any sequence of instants do (tested in
tests/soap/test_time_limit.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mockcp import deadline
from mockcp.db.models import Port
from mockcp.sim.store.locking import publishes

PLAN_PORT_DAYS = 10_000
LONGEST_SPAN_DAYS = 3_660  # no span is longer than the clock's whole span (mockcp.clock)


def first_span(db: Session) -> timedelta | None:
    """The first span of this planning pass, or None to plan everything at once."""
    if deadline.active() is None or not publishes(db):
        return None
    ports = db.scalar(select(func.count()).select_from(Port)) or 1
    return timedelta(days=max(PLAN_PORT_DAYS // ports, 1))


def next_span(span: timedelta, spent: float) -> timedelta | None:
    """The span after one of ``span`` that took ``spent`` seconds: what fits in half the
    time left at that pace (at least a day), or None (all at once) without a deadline."""
    fits = deadline.affordable(spent, span.days)
    if fits is None:
        return None
    return timedelta(days=min(max(int(fits), 1), LONGEST_SPAN_DAYS))


def step_end(since: datetime, until: datetime, span: timedelta | None) -> datetime:
    """Where a step from ``since`` toward ``until`` stops."""
    return until if span is None else min(until, since + span)
