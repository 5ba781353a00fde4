"""The world of one store: built once, reset to its start, saved and restored by name.

Every operation here runs under the database's world lock and inside one write
transaction, so processes sharing the store see the old world or the new one, never a mix.
The start image and the snapshots are images (``mockcp.db.images``); the registry below
remembers, per image, the clock reading it was taken at. The request journal is part of each
image: its own image is taken, restored and dropped in the journal's database
(``mockcp.db.journal_store``) with the world's, under the same lock.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    select,
)

from mockcp.clock import ClockReading, MovableClock, check_instant, utc, wall_seconds
from mockcp.config import Settings
from mockcp.db.activity import WorldMeta
from mockcp.db.images import (
    drop_all_images,
    drop_image,
    has_image,
    restore_image,
    save_image,
    write_transaction,
)
from mockcp.db.journal_store import JournalStore
from mockcp.db.models import UtcDateTime
from mockcp.db.world_state import SimClockRow
from mockcp.db.worldlock import world_lock
from mockcp.worldclock import anchored, write_state

START = "@start"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_SNAPSHOTS = 50

REGISTRY = MetaData()
SNAPSHOTS = Table(
    "mockcp_snapshot",
    REGISTRY,
    Column("name", String(64), primary_key=True),
    Column("tag", String(24), nullable=False, unique=True),
    Column("number", Integer, nullable=False),
    Column("taken_wall", Float, nullable=False),
    Column("sim_now", UtcDateTime, nullable=False),
    Column("factor", Float, nullable=False),
    Column("origin", UtcDateTime, nullable=False),
)


class SnapshotError(ValueError):
    """A snapshot request that cannot be honoured; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Snapshot:
    name: str
    taken_at: float  # Unix time
    clock: ClockReading

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "takenAt": datetime.fromtimestamp(self.taken_at).astimezone().isoformat(),
            "clock": _iso(self.clock.now),
        }


def _iso(instant: datetime) -> str:
    return instant.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def check_name(name: str) -> str:
    if not _NAME.match(name) or name in {".", ".."}:
        raise SnapshotError(
            "a snapshot name is 1-64 letters, digits, '.', '_' or '-', starting with a letter"
            " or digit",
            400,
        )
    return name


class WorldStore:
    """The world of ``engine``'s store, steered by ``clock`` (stored or in-process)."""

    def __init__(self, engine: Engine, clock: MovableClock, journal: JournalStore) -> None:
        self.engine = engine
        self.clock = clock
        self.journal = journal

    def save_start(self, conn: Connection, reading: ClockReading) -> None:
        """Keep the just-built world as the start image (inside the build transaction)."""
        drop_all_images(conn)
        with self.journal.beside(conn) as journal:
            self.journal.drop_all_images(journal)
        REGISTRY.create_all(conn)
        conn.execute(delete(SNAPSHOTS))
        self._save(conn, START, "start", 0, reading)

    def _save(
        self, conn: Connection, name: str, tag: str, number: int, reading: ClockReading
    ) -> Snapshot:
        snapshot = Snapshot(name, wall_seconds(), reading)
        conn.execute(
            SNAPSHOTS.insert().values(
                name=name, tag=tag, number=number, taken_wall=snapshot.taken_at,
                sim_now=reading.now, factor=reading.factor, origin=reading.origin,
            )
        )
        save_image(conn, tag)
        with self.journal.beside(conn) as journal:
            self.journal.save_image(journal, tag)
        return snapshot

    def _restore(self, conn: Connection, tag: str, reading: ClockReading) -> None:
        restore_image(conn, tag)
        with self.journal.beside(conn) as journal:
            self.journal.restore_image(journal, tag)
        # The image's clock row was taken at some wall time: re-anchor it at the reading.
        write_state(conn, anchored(reading))

    def has_start(self) -> bool:
        with self.engine.connect() as conn:
            REGISTRY.create_all(conn)
            conn.commit()
            found = conn.execute(select(SNAPSHOTS.c.tag).where(SNAPSHOTS.c.name == START)).first()
            return found is not None and has_image(conn, "start")

    def ensure_clock_row(self, conn: Connection, factor: float) -> ClockReading:
        """The start reading of a world stored before the clock was: its epoch, at pace
        ``factor`` (its clock row written when it has none)."""
        raw = conn.execute(select(WorldMeta.value).where(WorldMeta.key == "epoch")).scalar_one()
        epoch = utc(datetime.fromisoformat(raw))
        reading = ClockReading(epoch, factor, epoch)
        if conn.execute(select(SimClockRow.id)).first() is None:
            write_state(conn, anchored(reading))
        return reading

    def adopt(self, reading: ClockReading) -> None:
        """A world just copied whole from a kept image of its build (mockcp.planned_images),
        finished as the build finishes it: its clock anchored at ``reading`` now, and the
        start image of its journal (a file of its own, empty) taken."""
        with write_transaction(self.engine) as conn:
            conn.execute(delete(SimClockRow))  # written afresh, its version too
            write_state(conn, anchored(reading))
            with self.journal.beside(conn) as journal:
                self.journal.drop_all_images(journal)
                self.journal.save_image(journal, "start")

    def anchor_start(self) -> None:
        """The clock back to the start image's reading, anchored now, the rows left as they
        are: for a world just copied whole from a template (its rows are its start already),
        so a sandbox is not restored twice."""
        with world_lock(self.engine), write_transaction(self.engine) as conn:
            row = conn.execute(select(SNAPSHOTS).where(SNAPSHOTS.c.name == START)).one()
            reading = ClockReading(row.sim_now, row.factor, row.origin)
            write_state(conn, anchored(reading))
        self.clock.restore(reading)

    def reset(self) -> None:
        """Everything back to the start image: data, clock, journal and armed faults (every
        table of the store is in the image)."""
        self.restore(START)

    def snapshot(self, name: str) -> Snapshot:
        check_name(name)
        with world_lock(self.engine), write_transaction(self.engine) as conn:
            rows = conn.execute(select(SNAPSHOTS.c.name, SNAPSHOTS.c.number)).all()
            if any(row.name == name for row in rows):
                raise SnapshotError(f"a snapshot named {name!r} exists; delete it first", 409)
            if len(rows) > MAX_SNAPSHOTS:
                raise SnapshotError(f"at most {MAX_SNAPSHOTS} snapshots are kept", 409)
            number = max(row.number for row in rows) + 1
            return self._save(conn, name, f"s{number}", number, self.clock.reading())

    def restore(self, name: str) -> Snapshot:
        with world_lock(self.engine), write_transaction(self.engine, check_keys=False) as conn:
            row = conn.execute(select(SNAPSHOTS).where(SNAPSHOTS.c.name == name)).first()
            if row is None:
                raise SnapshotError(f"no snapshot named {name!r}", 404)
            reading = ClockReading(row.sim_now, row.factor, row.origin)
            self._restore(conn, row.tag, reading)
        self.clock.restore(reading)  # a process clock; the stored one was just written
        return Snapshot(name, row.taken_wall, reading)

    def delete(self, name: str) -> None:
        with world_lock(self.engine), write_transaction(self.engine) as conn:
            row = conn.execute(select(SNAPSHOTS.c.tag).where(SNAPSHOTS.c.name == name)).first()
            if row is None or name == START:
                raise SnapshotError(f"no snapshot named {name!r}", 404)
            conn.execute(delete(SNAPSHOTS).where(SNAPSHOTS.c.name == name))
            drop_image(conn, row.tag)
            with self.journal.beside(conn) as journal:
                self.journal.drop_image(journal, row.tag)

    def snapshots(self) -> list[Snapshot]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(SNAPSHOTS).order_by(SNAPSHOTS.c.number)).all()
        return [
            Snapshot(row.name, row.taken_wall, ClockReading(row.sim_now, row.factor, row.origin))
            for row in rows
            if row.name != START
        ]


PACKAGED = frozenset({"minimal", "demo"})


def new_start(settings: Settings, body: object) -> Settings:
    """The settings of a reset to a new start: ``{"start", "seed", "fixture"}``, any of them
    (ValueError saying what is wrong). Only packaged fixtures or the server's own may be named:
    the control plane never reads a file the operator did not choose."""
    if not isinstance(body, dict) or not body or not set(body) <= {"start", "seed", "fixture"}:
        raise ValueError('send {} or any of {"start": "...Z", "seed": N, "fixture": "minimal"}')
    changes: dict[str, object] = {}
    if "fixture" in body:
        if body["fixture"] not in PACKAGED | {settings.fixture}:
            raise ValueError(f"fixture must be one of {sorted(PACKAGED | {settings.fixture})}")
        changes["fixture"] = body["fixture"]
    if "seed" in body:
        seed = body["seed"]
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
            raise ValueError("seed must be a whole number from 0 to 2**63-1")
        changes["root_seed"] = seed
    if "start" in body:
        try:
            start = datetime.fromisoformat(str(body["start"]).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"start {body['start']!r} is not an ISO-8601 time") from None
        changes["clock_start"] = check_instant(start, "start")
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def world_identity(engine: Engine) -> tuple[str, str] | None:
    """The (fixture, seed) the store holds now."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(WorldMeta.key, WorldMeta.value).where(WorldMeta.key.in_(["fixture", "seed"]))
        ).all()
    meta = {str(row.key): str(row.value) for row in rows}
    if "fixture" not in meta:
        return None
    return meta["fixture"], meta.get("seed", "None")
