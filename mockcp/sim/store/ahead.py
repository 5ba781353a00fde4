"""Planning ahead of a clock move: the control call that moves the clock plans the world it
moves into, so the tenants' reads after a move plan nothing (issue 17).

Moving the clock a year used to leave the whole year to the first SOAP read after the move:
the demo world's 66,000 port-days, 97,000 rows and 15 s of CPU inside one tenant's request,
against 34 ms for a plain read. Now ``POST /_mock/clock`` plans the span first, in steps of
about ``MOVE_PORT_DAYS`` port-days, each its own short transaction under the world lock
(committed before the next, so other tenants' requests interleave between steps instead of
waiting for the year), and moves the clock only when the world is planned through the new
instant. A read after the move finds it planned and only brings statuses to the new now.

Where the steps end changes nothing: planning step by step gives the world a read planning
at once gives (tests/sim/test_plan_ahead.py), as spans do (mockcp.sim.store.spans).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mockcp.db.models import Port
from mockcp.sim.store.engine import plan_step

MOVE_PORT_DAYS = 2_000  # one step: about 0.2-0.5 s of the demo world's planning (181 ports)


def plan_ahead(sessions: Callable[[], Session], root_seed: int, until: datetime) -> int:
    """Plan the world through the local day of ``until`` in committed steps; how many."""
    with sessions() as db:
        ports = db.scalar(select(func.count()).select_from(Port)) or 1
    span = timedelta(days=max(MOVE_PORT_DAYS // ports, 1))
    steps = 0
    while not committed_step(sessions, root_seed, until, span):
        steps += 1
    return steps


def committed_step(
    sessions: Callable[[], Session], root_seed: int, until: datetime, span: timedelta
) -> bool:
    """One step of at most ``span``, committed (the world lock released); whether the world
    is planned through ``until``."""
    with sessions() as db:
        done = plan_step(db, root_seed, until, span)
        db.commit()
    return done
