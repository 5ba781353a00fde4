"""Materialise the simulation lazily: plan each port day by day up to the clock, idempotently.

No thread ticks the world (architecture 1.5): reads call ``materialize(db, seed, until)``,
which plans every port through the local day holding ``until`` and stores the sessions
(including those of that day that start later: reads only see sessions that have started).
Session IDs come from the port and its session count, so any sequence of clock moves
gives the same sessions with the same IDs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from mockcp.clock import utc
from mockcp.db.activity import ChargingSession, SimPortState, WorldMeta
from mockcp.db.models import Port, Station
from mockcp.db.people import Credential, DriverConnection
from mockcp.rng import for_entity
from mockcp.sim.plan import PortSpec, SessionPlan, plan_day

SITE_KINDS = {"public", "workplace", "fleet"}
# No plan stays plugged in longer (charging <= ~31 h at 3.3 kW + idle <= 72 h): bounds the
# status queries to recent rows, so a read costs the same whatever the length of history.
LONGEST_SESSION = timedelta(days=5)
RECENT = timedelta(days=30)


def history_start(db: Session) -> datetime:
    raw = db.scalar(select(WorldMeta.value).where(WorldMeta.key == "history_start"))
    if raw is None:
        raise LookupError("the world has no history_start: load it with seed.world.load_world")
    return utc(datetime.fromisoformat(raw))


def port_spec(port: Port, station: Station) -> PortSpec:
    hours, _, minutes = station.timezone_offset.partition(":")
    sign = -1 if hours.startswith("-") else 1
    offset = sign * (abs(int(hours)) * 60 + int(minutes or 0))
    site = station.site_type if station.site_type in SITE_KINDS else "public"
    return PortSpec(port.id, port.power_kw, port.level == "DC" or port.mode == "4", site, offset)


def local_day(instant: datetime, spec: PortSpec) -> date:
    return (instant + timedelta(minutes=spec.utc_offset_minutes)).date()


def session_id(port_pk: int, sequence: int) -> int:
    """A 9-10 digit sessionID, stable for the n-th session of a port."""
    return 100_000_000 + port_pk * 100_000 + sequence


def materialize(db: Session, root_seed: int, until: datetime) -> int:
    """Plan every port through the local day of ``until``; returns how many sessions were added."""
    start = history_start(db)
    states = {s.port_pk: s for s in db.scalars(select(SimPortState))}
    drivers = _drivers_by_org(db)
    rows: list[dict[str, object]] = []
    for port, station in db.execute(
        select(Port, Station).join(Station, Port.station_pk == Station.id)
    ):
        spec = port_spec(port, station)
        last = local_day(until, spec)
        state = states.get(port.id)
        if state is None:
            state = SimPortState(
                port_pk=port.id,
                planned_through=local_day(start, spec) - timedelta(days=1),
                free_at=None,
                sessions=0,
            )
            db.add(state)
        day = state.planned_through + timedelta(days=1)
        while day <= last and not port.fault_reason:  # a faulted port is out of service
            for plan in plan_day(root_seed, spec, day, state.free_at):
                state.free_at = plan.end
                if plan.start >= start:
                    rows.append(
                        _row(root_seed, plan, state.sessions, drivers.get(station.org_pk, []))
                    )
                    state.sessions += 1
            day += timedelta(days=1)
        state.planned_through = max(state.planned_through, last)
    if rows:
        db.execute(insert(cast(Table, ChargingSession.__table__)), rows)
    db.flush()
    _update_port_status(db, until)
    return len(rows)


def _update_port_status(db: Session, now: datetime) -> None:
    """INUSE while a session is plugged in, else AVAILABLE; faulted (UNKNOWN) ports stay so."""
    active = {
        row.port_pk: row.start_time
        for row in db.scalars(
            select(ChargingSession).where(
                ChargingSession.start_time <= now,
                ChargingSession.start_time > now - LONGEST_SESSION,
                ChargingSession.end_time > now,
            )
        )
    }
    last_end = dict(
        db.execute(
            select(ChargingSession.port_pk, func.max(ChargingSession.end_time))
            .where(
                ChargingSession.start_time > now - RECENT,
                ChargingSession.start_time <= now,
                ChargingSession.end_time <= now,
            )
            .group_by(ChargingSession.port_pk)
        ).all()
    )
    for port in db.scalars(select(Port).where(Port.status.in_(["AVAILABLE", "INUSE"]))):
        status = "INUSE" if port.id in active else "AVAILABLE"
        since = active.get(port.id) or last_end.get(port.id) or port.status_time
        if (port.status, port.status_time) != (status, since):
            port.status, port.status_time = status, since
    db.flush()


def _drivers_by_org(db: Session) -> dict[int, list[tuple[int, int | None]]]:
    """org pk -> (driver pk, credential pk) of its approved drivers, in driver order."""
    cards = {
        c.driver_pk: c.id
        for c in db.scalars(select(Credential).order_by(Credential.id))
        if c.driver_pk
    }
    found: dict[int, list[tuple[int, int | None]]] = {}
    statement = select(DriverConnection).where(DriverConnection.status == "APPROVED")
    for conn in db.scalars(statement.order_by(DriverConnection.driver_pk)):
        found.setdefault(conn.org_pk, []).append((conn.driver_pk, cards.get(conn.driver_pk)))
    return found


def _row(
    root_seed: int, plan: SessionPlan, sequence: int, drivers: list[tuple[int, int | None]]
) -> dict[str, object]:
    sid = session_id(plan.port_pk, sequence)
    rng = for_entity(root_seed, "session-driver", sid)
    driver, card = (
        drivers[rng.randrange(len(drivers))] if drivers and rng.random() < 0.6 else (None, None)
    )
    vehicle = plan.vehicle
    return {
        "id": sid,
        "port_pk": plan.port_pk,
        "driver_pk": driver,
        "credential_pk": card,
        "start_time": plan.start,
        "end_time": plan.end,
        "charging_end_time": plan.charge_end,
        "energy_kwh": plan.energy_kwh,
        "start_soc": round(plan.start_soc * 100, 1),
        "end_soc": round(plan.end_soc * 100, 1),
        "ended_by": plan.ended_by,
        "vehicle_make": vehicle.make,
        "vehicle_model": vehicle.model,
        "vehicle_year": vehicle.year,
        "vehicle_type": vehicle.kind,
        "power_kw": plan.power_kw,
        "flat_hours": plan.flat_hours,
        "taper_hours": plan.taper_hours,
    }
