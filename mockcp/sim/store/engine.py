"""Materialise the simulation lazily: plan each port day by day up to the clock, idempotently.

No thread ticks the world (architecture 1.5): reads call ``materialize(db, seed, until)``,
which plans every port through the local day holding ``until`` and stores the sessions
(including those of that day that start later: reads only see sessions that have started).
Session IDs come from the port and its session count, so any sequence of clock moves
gives the same sessions with the same IDs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, selectinload

from mockcp import deadline
from mockcp.clock import offset_minutes, utc
from mockcp.db.activity import Alarm, ChargingSession, SimPortState, Transaction, WorldMeta
from mockcp.db.models import GroupMember, Port, PricingRule, Station
from mockcp.db.people import Credential, DriverConnection, Fleet, FleetVehicle
from mockcp.rng import Random, for_entity
from mockcp.sim.model import days
from mockcp.sim.model.alarms import reported_at, station_day_alarms
from mockcp.sim.model.capping import Wish
from mockcp.sim.model.days import local_midnight
from mockcp.sim.model.fleet import FleetCar, plan_fleet_day
from mockcp.sim.model.ids import session_id
from mockcp.sim.model.plan import PortSpec, SessionPlan, plan_day
from mockcp.sim.model.reservations import ReservationEvent, cancellations, reservation
from mockcp.sim.store import spans
from mockcp.sim.store.locking import hold_world, publish
from mockcp.sim.store.rows import (
    COLUMNS,
    Facts,
    Pass,
    Progress,
    SessionRow,
    insert_dicts,
    insert_plain,
)
from mockcp.sim.store.sharing import share_power
from mockcp.sim.store.shedding import PortCap, capped, caps_by_port, updates
from mockcp.sim.store.status import LONGEST_SESSION as LONGEST_SESSION  # (re-exported)
from mockcp.sim.store.status import (
    STATUS_AT,
    STATUS_UNTIL,
    bring_status,
    remember,
    status_fresh,
)

SITE_KINDS = {"public", "workplace", "fleet"}


def history_start(db: Session) -> datetime:
    raw = db.scalar(select(WorldMeta.value).where(WorldMeta.key == "history_start"))
    if raw is None:
        raise LookupError("the world has no history_start: load it with seed.world.load_world")
    return utc(datetime.fromisoformat(raw))


def port_spec(port: Port, station: Station) -> PortSpec:
    offset = offset_minutes(station.timezone_offset)
    site = station.site_type if station.site_type in SITE_KINDS else "public"
    return PortSpec(port.id, port.power_kw, port.level == "DC" or port.mode == "4", site, offset)


def local_day(instant: datetime, spec: PortSpec) -> date:
    return days.local_day(instant, spec.utc_offset_minutes)


def materialize(db: Session, root_seed: int, until: datetime) -> int:
    """Plan every port through the local day of ``until`` and bring statuses to ``until``.

    Idempotent, cheap when nothing moved (the planned horizon and the last status time are
    kept in ``WorldMeta`` and read without a lock) and safe under any concurrency: the
    work is done under the world lock, after reading the watermarks again, so a request
    that waited finds the span planned and plans nothing twice. Returns how many sessions
    were added.
    """
    stamp = until.isoformat()
    if not _behind(_watermarks(db), until, stamp):
        return 0
    hold_world(db)
    meta = _watermarks(db)  # what the writer before us did
    added = 0
    horizon = meta.get("planned_until")
    span = spans.first_span(db)  # None: all at once (no deadline, or a write)
    while horizon is None or until >= utc(datetime.fromisoformat(horizon)):
        since = history_start(db) if horizon is None else utc(datetime.fromisoformat(horizon))
        step, began = spans.step_end(since, until, span), deadline.stopwatch()
        added += _plan(db, root_seed, step)
        if step >= until or span is None:
            break
        if publish(db):  # a read keeps each span it planned, whatever stops it later
            hold_world(db)
        span = spans.next_span(span, deadline.stopwatch() - began)
        meta = _watermarks(db)
        horizon = meta.get("planned_until")
    if added:
        horizon = _watermarks(db).get("planned_until")
    if added or not status_fresh(meta, until, stamp):  # (sim/store/status.py)
        bring_status(db, until, None if horizon is None else utc(datetime.fromisoformat(horizon)))
    publish(db)  # a read releases the lock now; a write keeps it to its end
    return added


def plan_step(db: Session, root_seed: int, until: datetime, span: timedelta) -> bool:
    """Plan at most ``span`` further toward the local day of ``until``, statuses untouched
    (mockcp.sim.store.ahead: a clock move plans the world it moves into); whether the world
    is now planned through ``until``. Under the world lock; the caller commits."""
    if _planned(_watermarks(db), until):
        return True
    hold_world(db)
    horizon = _watermarks(db).get("planned_until")  # what the writer before us did
    if _planned({"planned_until": horizon} if horizon else {}, until):
        return True
    since = history_start(db) if horizon is None else utc(datetime.fromisoformat(horizon))
    step = spans.step_end(since, until, span)
    _plan(db, root_seed, step)
    return step >= until


def _planned(meta: dict[str, str], until: datetime) -> bool:
    horizon = meta.get("planned_until")
    return horizon is not None and until < utc(datetime.fromisoformat(horizon))


FAST_KEYS = ("planned_until", STATUS_AT, STATUS_UNTIL)


def watermarks(db: Session) -> dict[str, str]:
    """How far the world is planned and its statuses brought (``WorldMeta``'s fast keys)."""
    return _watermarks(db)


def behind(meta: dict[str, str], until: datetime) -> bool:
    """Whether ``materialize(db, seed, until)`` has anything to do after reading ``meta``."""
    return _behind(meta, until, until.isoformat())


def _watermarks(db: Session) -> dict[str, str]:
    rows = db.execute(select(WorldMeta.key, WorldMeta.value).where(WorldMeta.key.in_(FAST_KEYS)))
    return {key: value for key, value in rows}


def _behind(meta: dict[str, str], until: datetime, stamp: str) -> bool:
    return not _planned(meta, until) or not status_fresh(meta, until, stamp)


def _plan(db: Session, root_seed: int, until: datetime) -> int:
    """Plan every port from where it stopped through the local day of ``until``, then insert."""
    start = history_start(db)
    fresh = select(SimPortState).execution_options(populate_existing=True)
    states = {s.port_pk: s for s in db.scalars(fresh)}
    ports = db.execute(
        select(Port, Station).join(Station, Port.station_pk == Station.id)
        .options(selectinload(Station.ports))  # (len(station.ports): not a query per station)
    ).all()
    every_port_planned = len(states) == len(ports)
    run = Pass(
        root_seed, start, _drivers_by_org(db),
        caps_by_port(db, after=_new_starts(states) if every_port_planned else None),
        depot_cars(db),
        set(db.scalars(select(PricingRule.station_pk))),
    )
    horizon: datetime | None = None
    for port, station in ports:
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
            states[port.id] = state  # (held: the session keeps a clean object weakly)
        day = state.planned_through + timedelta(days=1)
        if day <= last:
            facts, progress = _facts(port, station), Progress(state.free_at, state.sessions)
            while day <= last:
                deadline.check()  # a request's time limit stops planning too (mockcp.deadline)
                _plan_day(run, facts, spec, progress, day)
                day += timedelta(days=1)
            if (state.free_at, state.sessions) != (progress.free_at, progress.sessions):
                state.free_at, state.sessions = progress.free_at, progress.sessions
        state.planned_through = max(state.planned_through, last)
        end_of_day = _local_midnight_after(state.planned_through, spec)
        horizon = end_of_day if horizon is None else min(horizon, end_of_day)
    _insert(db, run)
    if horizon is not None:
        remember(db, "planned_until", horizon.isoformat())
    db.flush()
    return len(run.rows)


def _new_starts(states: dict[int, SimPortState]) -> datetime | None:
    """An instant no session this pass plans starts before: UTC midnight of the earliest
    day a port is planned through (its next local day starts at least 10 hours later in
    any zone); None when no port was planned yet (every cap then)."""
    if not states:
        return None
    first = min(s.planned_through for s in states.values())
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def _facts(port: Port, station: Station) -> Facts:
    return Facts(
        port.id, port.port_number, bool(port.reservable), bool(port.fault_reason), station.id,
        station.org_pk, bool(station.offline), bool(station.power_share), len(station.ports),
    )


def _plan_day(run: Pass, port: Facts, spec: PortSpec, state: Progress, day: date) -> None:
    """One local day of one port: the station's alarms, cancelled reservations, sessions."""
    if port.number == 1 and not port.offline:
        run.alarms.extend(_alarms(run.root_seed, port, day, spec, run.start))
    if port.reservable and port.station_pk in run.priced:
        cancelled = cancellations(run.root_seed, port.id, day, spec.utc_offset_minutes)
        run.booked += [_booking(port.id, e) for e in cancelled if e.at >= run.start]
    car = run.depot.get(port.id)
    for plan in _day_plans(run.root_seed, port, spec, state, day, car):
        if state.free_at is not None and plan.start < state.free_at:
            continue  # a capped session ran longer than planned: drive on
        if plan.start < run.start:
            state.free_at = plan.end
            continue
        row = _session(run, plan, port, spec, state, day, car)
        run.rows.append(row)
        if port.power_share:
            run.shared[port.station_pk] = min(run.shared.get(port.station_pk, plan.start),
                                              plan.start)  # fmt: skip
        state.sessions += 1
        state.free_at = row.end_time


def _day_plans(
    root_seed: int, port: Facts, spec: PortSpec, state: Progress, day: date,
    car: FleetCar | None,
) -> list[SessionPlan]:
    """The sessions the model plans on ``day`` (a faulted port is out of service: none)."""
    if port.faulted:
        return []
    if car is not None:
        return plan_fleet_day(root_seed, spec, day, state.free_at, car)
    return plan_day(root_seed, spec, day, state.free_at)


def _session(
    run: Pass, plan: SessionPlan, port: Facts, spec: PortSpec, state: Progress, day: date,
    car: FleetCar | None,
) -> SessionRow:
    """The row of one planned session: driver or fleet card, caps, report time, reservation."""
    row = _row(run.root_seed, plan, state.sessions, run.drivers.get(port.org_pk, []))
    if car is not None:  # a fleet vehicle starts with its own card
        row.update({"driver_pk": None, "credential_pk": car.card_pk, "vehicle_pk": car.pk})
    _cap(run.root_seed, row, run.caps.get(port.id))
    if not port.offline:  # (a station that never comes back never reports)
        row.reported_at = reported_at(
            run.root_seed, port.station_pk, port.ports, spec.utc_offset_minutes, row.end_time
        )
    if port.reservable and port.station_pk in run.priced and row.driver_pk is not None:
        made = reservation(run.root_seed, row.id, plan.start, _day_start(day, spec))
        if made is not None:  # the driver reserved the port before coming
            row.reserved = True
            run.booked.append(_booking(port.id, made))
    return row


def _insert(db: Session, run: Pass) -> None:
    """The pass's rows into the store: alarms and bookings, then the Power Share windows
    (which reshape the planned sessions in memory, or drop one whose port is still busy),
    then the sessions as they came out."""
    insert_dicts(db, cast(Table, Alarm.__table__), run.alarms)
    insert_dicts(db, cast(Table, Transaction.__table__), run.booked)
    dropped = share_power(db, run.root_seed, run.shared, run.rows) if run.shared else set()
    rows = [r.values() for r in run.rows if r.id not in dropped]
    insert_plain(db, cast(Table, ChargingSession.__table__), COLUMNS, rows)


def _local_midnight_after(day: date, spec: PortSpec) -> datetime:
    """The UTC instant at which local ``day`` ends for ``spec``'s port."""
    return local_midnight(day + timedelta(days=1), spec.utc_offset_minutes)


def _alarms(
    root_seed: int, port: Facts, day: date, spec: PortSpec, start: datetime
) -> list[dict[str, object]]:
    planned = station_day_alarms(
        root_seed, port.station_pk, port.ports, day, spec.utc_offset_minutes
    )
    return [
        {"station_pk": a.station_pk, "port_number": a.port_number, "alarm_type": a.alarm_type,
         "alarm_time": a.time}
        for a in planned
        if a.time >= start
    ]


def _cap(root_seed: int, row: SessionRow, caps: list[PortCap] | None) -> None:
    """Apply the port's caps (sheds, events) to a freshly planned session row."""
    if not caps:
        return
    wish = Wish(row.start_time, row.power_kw, row.flat_hours, row.taper_hours, row.end_time)
    result = capped(root_seed, row.id, wish, caps)
    if result.profile is None and result.opted_out_at is None:
        return
    row.update(updates(result, row.energy_kwh, row.start_soc, row.end_soc))


def _booking(port_pk: int, event: ReservationEvent) -> dict[str, object]:
    return {
        "id": event.transaction_id, "port_pk": port_pk, "session_pk": event.session_id,
        "kind": event.kind, "reported_at": event.at, "window_start": event.window[0],
        "window_end": event.window[1], "gross_amount": event.gross,
    }


def _day_start(day: date, spec: PortSpec) -> datetime:
    return _local_midnight_after(day - timedelta(days=1), spec)


def depot_cars(db: Session) -> dict[int, FleetCar]:
    """port pk -> the fleet vehicle that charges there: vehicles and depot ports in ID order."""
    cards: dict[int, int] = {}
    for card in db.scalars(select(Credential).where(Credential.vehicle_pk.is_not(None))):
        cards.setdefault(card.vehicle_pk or 0, card.id)
    found: dict[int, FleetCar] = {}
    for fleet in db.scalars(select(Fleet).where(Fleet.depot_group_id.is_not(None))):
        ports = db.scalars(
            select(Port)
            .join(GroupMember, GroupMember.station_pk == Port.station_pk)
            .where(GroupMember.group_id == fleet.depot_group_id)
            .order_by(Port.level == "DC", Port.port_number, Port.station_pk)
        ).all()  # AC first, one vehicle a station before doubling up (shared circuits)
        vehicles = db.scalars(
            select(FleetVehicle)
            .where(FleetVehicle.fleet_pk == fleet.id, ~FleetVehicle.deleted)
            .order_by(FleetVehicle.id)
        ).all()
        for port, v in zip(ports, vehicles, strict=False):
            found[port.id] = FleetCar(
                v.id, v.make, v.model, v.year, v.battery_kwh, v.onboard_charger_kw, cards.get(v.id)
            )
    return found


def _regular(rng: Random, drivers: list[tuple[int, int | None]]) -> tuple[int, int | None]:
    """A driver drawn with Zipf weights (1/rank): a few regulars take most sessions, as
    campus data shows (domain.md 7, check 23); rank is the org's driver order."""
    weights = ZIPF.get(len(drivers))
    if weights is None:
        weights = ZIPF.setdefault(len(drivers), [1 / (rank + 1) for rank in range(len(drivers))])
    return rng.choices(drivers, weights=weights)[0]


ZIPF: dict[int, list[float]] = {}


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
) -> SessionRow:
    sid = session_id(plan.port_pk, sequence)
    rng = for_entity(root_seed, "session-driver", sid)
    driver, card = _regular(rng, drivers) if drivers and rng.random() < 0.6 else (None, None)
    vehicle = plan.vehicle
    return SessionRow(
        id=sid, port_pk=plan.port_pk, driver_pk=driver, credential_pk=card,
        start_time=plan.start, end_time=plan.end, charging_end_time=plan.charge_end,
        energy_kwh=plan.energy_kwh,
        start_soc=round(plan.start_soc * 100, 1), end_soc=round(plan.end_soc * 100, 1),
        ended_by=plan.ended_by, vehicle_make=vehicle.make, vehicle_model=vehicle.model,
        vehicle_year=vehicle.year, vehicle_type=vehicle.kind, power_kw=plan.power_kw,
        flat_hours=plan.flat_hours, taper_hours=plan.taper_hours,
    )  # (planned_end, profile, opt-out, settled, vehicle, reported_at, reserved: defaults)
