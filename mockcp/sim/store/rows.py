"""The typed rows the planner writes: one planned charging session, one planning pass."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

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

    def columns(self) -> dict[str, object]:
        # the fields as they are (dataclasses.asdict deep-copies every value: a third of
        # building the demo world); the insert only reads them
        return {name: getattr(self, name) for name in _SESSION_COLUMNS}


_SESSION_COLUMNS = tuple(f.name for f in fields(SessionRow))


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
