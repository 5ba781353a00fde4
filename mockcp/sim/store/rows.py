"""The typed rows the planner writes: one planned charging session, one planning pass, what
it reads of a port and keeps of its progress; and how many rows go into the store at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from mockcp.sim.model.fleet import FleetCar
from mockcp.sim.store.shedding import PortCap


@dataclass(slots=True)
class SessionRow:
    """A ``charging_session`` row as planned, before it is inserted."""

    id: int
    port_pk: int
    driver_pk: int | None
    credential_pk: int | None
    start_time: datetime
    end_time: datetime
    charging_end_time: datetime
    energy_kwh: float
    start_soc: float
    end_soc: float
    ended_by: str
    vehicle_make: str
    vehicle_model: str
    vehicle_year: str
    vehicle_type: str
    power_kw: float
    flat_hours: float
    taper_hours: float
    planned_end: datetime | None = None
    profile: object = None
    driver_opted_out: bool | None = None
    driver_opt_out_at: datetime | None = None
    settled: bool = False
    vehicle_pk: int | None = None
    reported_at: datetime | None = None
    reserved: bool = False

    def update(self, changes: dict[str, object]) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    def values(self) -> tuple[object, ...]:
        """The row's values in ``COLUMNS`` order (``insert_plain``)."""
        return VALUES(self)

    def columns(self) -> dict[str, object]:
        """The row as insert parameters (shallow: ``dataclasses.asdict`` deep-copied every
        profile, a third of a year's planning time)."""
        return {name: getattr(self, name) for name in COLUMNS}


@dataclass(slots=True)
class Pass:
    """One planning pass: what it reads once, and what its steps gather to insert."""

    root_seed: int
    start: datetime
    drivers: dict[int, list[tuple[int, int | None]]]
    caps: dict[int, list[PortCap]]
    depot: dict[int, FleetCar]
    priced: set[int]
    rows: list[SessionRow] = field(default_factory=list)
    alarms: list[dict[str, object]] = field(default_factory=list)
    booked: list[dict[str, object]] = field(default_factory=list)  # reservation transactions
    shared: dict[int, datetime] = field(default_factory=dict)  # Power Share -> first new start


@dataclass(frozen=True, slots=True)
class Facts:
    """What planning a port's days reads of it and its station, read once (ORM attributes
    cost a descriptor call each, and the day loop reads them per session)."""

    id: int
    number: int
    reservable: bool
    faulted: bool
    station_pk: int
    org_pk: int
    offline: bool
    power_share: bool
    ports: int


@dataclass(slots=True)
class Progress:
    """A port's planning state through its day loop (written back to ``SimPortState``)."""

    free_at: datetime | None
    sessions: int


COLUMNS = tuple(f.name for f in fields(SessionRow))
VALUES = attrgetter(*COLUMNS)


def insert_plain(
    db: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Insert ``rows``, plain tuples of the ``names`` columns, in one executemany on the
    session's connection. The statement is compiled once for its dialect and each column's
    own bind processor runs down that column here: ``execute(insert(table), dicts)`` builds
    and processes a parameter dict per row, which cost more than the insert itself (the demo
    build's 13,700 sessions: 0.3 s of CPU). The values stored are the same."""
    if not rows:
        return
    conn = db.connection()
    dialect = conn.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    columns: list[list[object]] = [list(column) for column in zip(*rows, strict=True)]
    for index, name in enumerate(names):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            columns[index] = [process(value) for value in columns[index]]
    if compiled.positional:  # (SQLite: qmark, in the statement's own order)
        order = [names.index(bind) for bind in compiled.positiontup or ()]
        conn.exec_driver_sql(compiled.string, list(zip(*(columns[i] for i in order), strict=True)))
    else:  # (psycopg: pyformat, by name)
        keys = list(names)
        conn.exec_driver_sql(
            compiled.string,
            [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)],
        )


def insert_dicts(db: Session, table: Table, rows: Sequence[dict[str, object]]) -> None:
    """``insert_plain`` of rows given as dicts, every one with the first one's keys."""
    if rows:
        names = list(rows[0])
        insert_plain(db, table, names, [[row[name] for name in names] for row in rows])
