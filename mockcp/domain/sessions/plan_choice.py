"""Which index a page of sessions is read along: the world's time order, or the caller's ports.

Session and transaction pages are cut in time order ((start_time, id) or (reported, id)).
Two plans give that order: walk the world's time-ordered index and keep the caller's rows,
or read the caller's rows through the port index and sort them. The walk reads about
``page / share`` rows, ``share`` being the caller's part of the world's ports, whatever the
length of history: right for a caller that holds much of the world. The port plan reads
every session of the caller's ports: in proportion to its own history, not the world's,
and right for a small caller in a large world (issue 18: 60 vs 6,000 stations). Answers are
the same either way (the ORDER BY is explicit); only the cost differs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mockcp.db.activity import ChargingSession
from mockcp.db.models import Port

# A caller holding at least this share of the world's ports walks the time-ordered index.
WALK_SHARE = 1 / 8


def walks_in_time_order(db: Session, ports: list[int]) -> bool:
    """Whether ``ports`` are enough of the world to walk its time-ordered index."""
    world_ports = db.scalar(select(func.max(Port.id))) or 0  # (ids bound the count: one seek)
    return len(ports) >= WALK_SHARE * world_ports


def session_port(walk: bool) -> Any:
    """The port column to filter on: ``port_pk + 0`` keeps planners off the port index (so
    the time-ordered index gives the order without a sort); the bare column lets them take it."""
    return ChargingSession.port_pk + 0 if walk else ChargingSession.port_pk
