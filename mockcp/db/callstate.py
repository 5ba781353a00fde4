"""What every SOAP call needs to know about the store, read in ONE query (issue 18).

A call used to read the world's identity, the clock (twice), the credentials stamp and the
armed faults in five statements on four connections before its handler ran. They are all
small facts about the world, so one SELECT reads them together at the start of the call:

- the stored clock (``sim_clock``, absent for an in-memory world whose clock is the
  process's own),
- the credentials stamp (``db/stamps.py``) the credential cache checks itself against,
- whether any forced fault may still fire (the fault lookup is skipped when none may),
- the (fixture, seed) the store holds, which a process follows after another one's reset.

On a SQLite file the reading is kept while the file is unchanged (``answers.call_state``:
any commit by any process, a clock move, an armed or fired fault, a reset, moves the file's
epoch on and the next call reads the store again), so N processes on one store never act on
a stale copy; elsewhere every call reads it (on PostgreSQL on the store gate's connection:
one round trip, as reading the epoch would be).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, ScalarSelect, exists, literal, or_, select

from mockcp.clock import ClockState, utc
from mockcp.db.activity import ForcedFault, WorldMeta
from mockcp.db.stamps import CREDENTIALS_KEY
from mockcp.db.world_state import SimClockRow

CLOCK_ID = 1  # the one clock row (mockcp.worldclock.CLOCK_ID)


@dataclass(frozen=True, slots=True)
class CallState:
    """The store's facts at the start of one call."""

    clock: ClockState | None  # None: the store holds no clock row
    credentials: str | None  # the credentials stamp, None when the world has none
    faults_armed: bool  # some forced fault still has calls (or time) left
    identity: tuple[str, str] | None  # (fixture, seed), None before a world is loaded


def _meta(key: str) -> ScalarSelect[str]:
    return select(WorldMeta.value).where(WorldMeta.key == key).scalar_subquery()


_ONE = select(literal(1).label("one")).subquery()
_ARMED = exists().where(or_(ForcedFault.remaining.is_(None), ForcedFault.remaining > 0))
_STATE = select(
    SimClockRow.origin,
    SimClockRow.anchor,
    SimClockRow.wall,
    SimClockRow.factor,
    _meta(CREDENTIALS_KEY).label("credentials"),
    _meta("fixture").label("fixture"),
    _meta("seed").label("seed"),
    _ARMED.label("armed"),
    _meta("planned_until").label("planned"),  # a running clock waits past it (x17c)
).select_from(_ONE.outerjoin(SimClockRow, SimClockRow.id == CLOCK_ID))


def read_call_state(bind: Engine | Connection) -> CallState:
    """The store's clock, credentials stamp, armed-fault flag and identity, in one query."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return read_call_state(conn)
    row = bind.execute(_STATE).one()
    clock = None
    if row.origin is not None:
        planned = None if not row.planned else utc(datetime.fromisoformat(row.planned))
        clock = ClockState(row.origin, row.anchor, row.wall, row.factor, planned)
    identity = None
    if row.fixture is not None:
        identity = (str(row.fixture), "None" if row.seed is None else str(row.seed))
    credentials = None if row.credentials is None else str(row.credentials)
    return CallState(clock, credentials, bool(row.armed), identity)
