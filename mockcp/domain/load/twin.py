"""The untouched twin: what sessions would have drawn without the shed and event caps.

A capped session keeps the car's wish in its row (``power_kw``, ``flat_hours``,
``taper_hours``, ``planned_end``); the simulator's own capping physics
(``sim.store.shedding.capped``) run again on that wish with only the caps that are not a
demand response (``share``: a shared circuit's split, which limits the port whatever the
partner does) give the session as it would have been. Sessions no shed or event touched
are their stored selves, so with no shed the twin is the actual load exactly.

Known simplifications (FIDELITY): a session ended by an operation or a station event
(``settled``) is its stored self; a driver who drove on because a capped session stayed
plugged in past its planned departure is not added back; a shared circuit's split is the
one computed for the capped world.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.clock import BUCKET, bucket_start, buckets_between
from mockcp.db.activity import ChargingSession, PowerCap
from mockcp.domain.sessions.charging import as_plan
from mockcp.sim.model.capping import CapWindow
from mockcp.sim.model.meter import energy_at, power_at
from mockcp.sim.model.plan import SessionPlan
from mockcp.sim.store.shedding import PortCap, capped, wish_of

Plans = list[tuple[ChargingSession, SessionPlan]]


def _shares(db: Session, port_pks: Sequence[int]) -> dict[int, list[PortCap]]:
    """The caps a demand response did not set (shared circuits), per port."""
    found: dict[int, list[PortCap]] = {}
    for cap in db.scalars(
        select(PowerCap)
        .where(PowerCap.port_pk.in_(list(port_pks)), PowerCap.kind == "share")
        .order_by(PowerCap.id)
    ):
        window = CapWindow(cap.starts_at, cap.ends_at, cap.cap_kw)
        found.setdefault(cap.port_pk, []).append(PortCap(window, None))
    return found


def untouched(db: Session, root_seed: int, rows: Sequence[ChargingSession]) -> Plans:
    """Each session beside its plan had no shed or event capped its port."""
    touched = {r.id: r.port_pk for r in rows if r.profile is not None and not r.settled}
    shares = _shares(db, sorted(set(touched.values())))
    twins: Plans = []
    for row in rows:
        plan = as_plan(row)
        if row.id in touched:
            result = capped(root_seed, row.id, wish_of(row), shares.get(row.port_pk, []))
            points = None if result.profile is None else tuple((h, kw) for h, kw in result.profile)
            plan = SessionPlan(
                row.port_pk, row.start_time, result.energy_kwh, row.power_kw, row.flat_hours,
                row.taper_hours, result.end, plan.vehicle, 0.0, 0.0, plan.ended_by,
                points, result.charge_end if points is not None else None,
            )
        twins.append((row, plan))
    return twins


def _overlaps(row: ChargingSession, plan: SessionPlan, begin: datetime, end: datetime) -> bool:
    """Whether the session is plugged in at some time of [begin, end) (an open row: from
    its start on)."""
    unplug = None if row.end_time is None else plan.end
    return row.start_time < end and (unplug is None or unplug > begin)


def kw_at(plans: Plans, at: datetime) -> float:
    """What the sessions draw at ``at`` (``station_loads``' sum for the stored plans)."""
    return sum(
        power_at(plan, at)
        for row, plan in plans
        if _overlaps(row, plan, at, at + timedelta(microseconds=1))
    )


def kwh_between(plans: Plans, begin: datetime, end: datetime) -> float:
    """Energy the sessions drew in [begin, end) (the meter's 15-minute readings, summed)."""
    total = 0.0
    for row, plan in plans:
        if _overlaps(row, plan, begin, end):
            total += energy_at(plan, max(end, plan.start)) - energy_at(plan, max(begin, plan.start))
    return total


def interval_kwh(plans: Plans, begin: datetime, now: datetime) -> list[tuple[datetime, float]]:
    """The energy of each whole 15-minute interval from ``begin`` up to the clock's now."""
    edges = buckets_between(begin, bucket_start(now))
    return [(b, kwh_between(plans, b, b + BUCKET)) for b in edges]
