"""StoredClock: the simulated clock kept in the database (table ``sim_clock``).

Every ``now()`` reads the row, every move is a versioned UPDATE (retried when another
process moved it in between), so N processes on one store never disagree and there is no
per-process copy that could go stale.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update

from mockcp.clock import ClockReading, ClockState, check_pace, mode_name, utc, wall_seconds
from mockcp.db.activity import WorldMeta
from mockcp.db.world_state import SimClockRow

CLOCK_ID = 1
PLANNED = (
    select(WorldMeta.value).where(WorldMeta.key == "planned_until").scalar_subquery()
    .label("planned")
)  # the world's planned horizon: a running clock waits MAX_AHEAD past it (mockcp.clock)
_COLUMNS = select(
    SimClockRow.origin, SimClockRow.anchor, SimClockRow.wall, SimClockRow.factor,
    SimClockRow.version, PLANNED,
)


def planned_instant(raw: str | None) -> datetime | None:
    """The stored planned horizon (an ISO text in world_meta) as an instant, if any."""
    return None if not raw else utc(datetime.fromisoformat(raw))


def read_state(engine: Engine) -> ClockState:
    """The stored clock (LookupError when the world has none yet)."""
    with engine.connect() as conn:
        row = conn.execute(_COLUMNS.where(SimClockRow.id == CLOCK_ID)).first()
    if row is None:
        raise LookupError("the world has no clock row")
    planned = planned_instant(row.planned)
    return ClockState(row.origin, row.anchor, row.wall, row.factor, planned)


def anchored(reading: ClockReading) -> ClockState:
    """A clock state that tells ``reading.now`` at this instant of wall time."""
    return ClockState(reading.origin, reading.now, wall_seconds(), check_pace(reading.factor))


def write_state(conn: Connection, state: ClockState) -> None:
    """Insert or replace the stored clock (world build, restore), in ``conn``'s transaction."""
    values = {
        "origin": state.origin,
        "anchor": state.anchor,
        "wall": state.wall,
        "factor": state.factor,
    }
    changed = conn.execute(
        update(SimClockRow).where(SimClockRow.id == CLOCK_ID)
        .values(version=SimClockRow.version + 1, **values)
    ).rowcount
    if not changed:
        conn.execute(insert(SimClockRow).values(id=CLOCK_ID, version=0, **values))


class StoredClock:
    """The shared clock of a world whose state lives in ``engine``'s database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def now(self) -> datetime:
        return read_state(self._engine).now(wall_seconds())

    @property
    def factor(self) -> float:
        return read_state(self._engine).factor

    @property
    def mode(self) -> str:
        return mode_name(self.factor)

    def _change(self, step: Callable[[ClockState, float], ClockState]) -> ClockState:
        """Apply ``step`` to the stored state; retried if another process moved it meanwhile."""
        for _ in range(100):
            with self._engine.begin() as conn:
                row = conn.execute(_COLUMNS.where(SimClockRow.id == CLOCK_ID)).first()
                if row is None:
                    raise LookupError("the world has no clock row")
                state = ClockState(
                    row.origin, row.anchor, row.wall, row.factor, planned_instant(row.planned)
                )
                new = step(state, wall_seconds())
                moved = conn.execute(
                    update(SimClockRow)
                    .where(SimClockRow.id == CLOCK_ID, SimClockRow.version == row.version)
                    .values(anchor=new.anchor, wall=new.wall, factor=new.factor,
                            version=row.version + 1)
                ).rowcount
            if moved == 1:
                return new
        raise RuntimeError("the clock row kept changing under 100 attempts")

    def advance(self, delta: timedelta) -> datetime:
        return self._change(lambda state, wall: state.advanced(delta, wall)).anchor

    def set(self, instant: datetime) -> datetime:
        return self._change(lambda state, wall: state.moved_to(instant, wall)).anchor

    def set_factor(self, factor: float) -> None:
        self._change(lambda state, wall: state.paced(factor, wall))

    def reading(self) -> ClockReading:
        state = read_state(self._engine)
        return ClockReading(state.now(wall_seconds()), state.factor, state.origin)

    def restore(self, reading: ClockReading) -> None:
        with self._engine.begin() as conn:
            write_state(conn, anchored(reading))
