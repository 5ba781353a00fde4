"""Caps in the stored world: apply a port's power caps to its sessions (issue 5 physics).

Sheds and load-shed events write ``PowerCap`` windows (never rewriting the past: a clear
or an overwrite ends the open window at the clock's now). ``reshape_ports`` then recomputes
every session on those ports that has not ended by now from the car's wish and all the
windows, so the past of an active session stays exactly as it was read. A session pushed
past the next planned arrival makes that driver drive on (sessions never overlap).

Drivers may opt out of an event that allows it: a seeded draw per (session, event) decides,
and an opted-out session charges uncapped from its opt-out time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Union

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mockcp.clock import offset_minutes
from mockcp.db.activity import ChargingSession, LoadShedEvent, PowerCap, SimPortState, WorldMeta
from mockcp.db.models import Port, Station
from mockcp.rng import for_entity
from mockcp.sim.model.alarms import reported_at
from mockcp.sim.model.capping import PATIENCE, CapWindow, Wish, affects, shape
from mockcp.sim.store.locking import hold_world

if TYPE_CHECKING:
    from mockcp.sim.store.rows import SessionRow

OPT_OUT_SHARE = 0.1  # FIDELITY: an assumption (domain.md 7 check 21 allows 0-25 %)


@dataclass(frozen=True, slots=True)
class PortCap:
    """A stored cap window, with the event it belongs to when drivers may opt out of it."""

    window: CapWindow
    opt_out_event: int | None


def caps_by_port(
    db: Session, port_pks: Iterable[int] | None = None, after: datetime | None = None
) -> dict[int, list[PortCap]]:
    """Every port's cap windows (only the given ports when named; only windows still open
    at ``after`` when given: ``capped`` passes over a window that ended by a session's
    start, so a caller whose sessions all start at ``after`` or later loses nothing, and a
    year of Power Share windows is not read again at every planning step)."""
    statement = select(  # columns, not objects: a Power Share world has thousands of caps
        PowerCap.port_pk, PowerCap.starts_at, PowerCap.ends_at, PowerCap.cap_kw,
        PowerCap.event_pk, LoadShedEvent.allow_opt_out,
    ).outerjoin(LoadShedEvent, PowerCap.event_pk == LoadShedEvent.id)
    if port_pks is not None:
        statement = statement.where(PowerCap.port_pk.in_(list(port_pks)))
    if after is not None:
        statement = statement.where(PowerCap.ends_at.is_(None) | (PowerCap.ends_at > after))
    found: dict[int, list[PortCap]] = {}
    for port_pk, starts, ends, kw, event_pk, opt_out in db.execute(
        statement.order_by(PowerCap.id)
    ):
        event = event_pk if event_pk is not None and opt_out else None
        found.setdefault(port_pk, []).append(PortCap(CapWindow(starts, ends, kw), event))
    return found


@dataclass(frozen=True, slots=True)
class Capped:
    """The stored fields of a session under its port's caps."""

    energy_kwh: float
    end: datetime
    charge_end: datetime
    profile: list[list[float]] | None
    planned_end: datetime | None
    opted_out_at: datetime | None


def capped(root_seed: int, session_id: int, wish: Wish, caps: Sequence[PortCap]) -> Capped:
    """What the session does under ``caps`` (its uncapped self when none bites)."""
    windows, opted_out_at = [], None
    latest = wish.planned_end + PATIENCE
    for cap in caps:
        window = cap.window
        if window.start >= latest or (window.end is not None and window.end <= wish.start):
            continue  # outside anything this session could do
        if cap.opt_out_event is not None and affects(wish, [window]):
            rng = for_entity(root_seed, "opt-out", session_id, cap.opt_out_event)
            if rng.random() < OPT_OUT_SHARE:
                at = max(window.start, wish.start) + timedelta(minutes=3 + 27 * rng.random())
                at = at.replace(microsecond=0)
                opted_out_at = at if opted_out_at is None else min(opted_out_at, at)
                window = CapWindow(window.start, min(at, window.end or at), window.kw)
        windows.append(window)
    if not affects(wish, windows):
        return Capped(wish.energy_kwh, wish.planned_end, wish.charge_end, None, None, opted_out_at)
    shaped = shape(wish, windows)
    points = [[h, kw] for h, kw in shaped.points]
    return Capped(
        shaped.energy_kwh, shaped.end, shaped.charge_end, points, wish.planned_end, opted_out_at
    )


def wish_of(row: Session_) -> Wish:
    planned = row.planned_end or row.end_time or row.start_time
    return Wish(row.start_time, row.power_kw, row.flat_hours, row.taper_hours, planned)


def updates(
    result: Capped, energy_kwh: float, start_soc: float | None, end_soc: float | None
) -> dict[str, object]:
    """The session columns ``result`` sets (state of charge follows the energy)."""
    if start_soc is not None and end_soc is not None and energy_kwh > 0:
        end_soc = round(start_soc + (end_soc - start_soc) * result.energy_kwh / energy_kwh, 1)
    return {
        "energy_kwh": round(result.energy_kwh, 6),
        "end_time": result.end,
        "charging_end_time": result.charge_end,
        "profile": result.profile,
        "planned_end": result.planned_end,
        "end_soc": end_soc,
        "driver_opted_out": True if result.opted_out_at is not None else None,
        "driver_opt_out_at": result.opted_out_at,
    }


def apply(row: Session_, result: Capped) -> None:
    """Store ``result`` on ``row`` (only what changed: unchanged rows stay clean)."""
    for key, value in updates(result, row.energy_kwh, row.start_soc, row.end_soc).items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def reshape_ports(db: Session, root_seed: int, port_pks: Iterable[int], now: datetime) -> None:
    """Recompute the sessions of ``port_pks`` that have not ended by ``now`` under their caps
    (under the world lock: the caller took it before writing, or it is taken here)."""
    reshape_since(db, root_seed, dict.fromkeys(port_pks, now))


def reshape_since(db: Session, root_seed: int, since: Mapping[int, datetime]) -> None:
    """``reshape_ports`` with a time per port: each port's sessions not ended by its time.
    One query each for the caps, the stations and the sessions of all the ports."""
    hold_world(db)
    by_port: dict[int, list[Session_]] = {pk: [] for pk in since}
    if since:
        for row in db.scalars(
            select(ChargingSession)
            .where(ChargingSession.port_pk.in_(list(since)),
                   ChargingSession.end_time > min(since.values()))
            .order_by(ChargingSession.port_pk, ChargingSession.start_time, ChargingSession.id)
        ):
            by_port[row.port_pk].append(row)
    reshape_rows(db, root_seed, since, by_port, db.delete)


Session_ = Union["ChargingSession", "SessionRow"]  # a stored session, or one planned, not stored


def reshape_rows(
    db: Session, root_seed: int, since: Mapping[int, datetime],
    by_port: Mapping[int, Sequence[Session_]], drop: Callable[[Any], None],
) -> None:
    """Recompute each port's sessions (``by_port``: stored ones and planned rows not inserted
    yet alike, in start order) that end after its time in ``since`` under all its caps; a
    session that now starts while the port is still busy is dropped (``drop``: the driver
    drives on). Power Share reshapes the rows of a planning step before they are inserted."""
    hold_world(db)
    ports = sorted(since)
    stations = {
        port.id: station
        for port, station in db.execute(
            select(Port, Station)
            .join(Station, Port.station_pk == Station.id)
            .where(Port.id.in_(ports))
        )
    }
    kept = {
        pk: [r for r in by_port.get(pk, ()) if r.end_time is not None and r.end_time > since[pk]]
        for pk in ports
    }
    starts = [row.start_time for rows in kept.values() for row in rows]
    caps = caps_by_port(db, ports, min(starts)) if starts else {}
    for port_pk in ports:
        now = since[port_pk]
        last_end: datetime | None = None
        for row in kept[port_pk]:
            if last_end is not None and row.start_time > now and row.start_time < last_end:
                drop(row)  # the port is still busy: this driver drives on
                continue
            if row.settled:
                last_end = row.end_time
                continue
            result = capped(root_seed, row.id, wish_of(row), caps.get(port_pk, []))
            untouched = row.profile is None and row.driver_opted_out is None
            if not (untouched and result.profile is None and result.opted_out_at is None):
                apply(row, result)  # (an uncapped session that stays uncapped is left alone)
                station = stations[port_pk]
                if not station.offline:
                    late = reported_at(
                        root_seed, station.id, len(station.ports),
                        offset_minutes(station.timezone_offset), result.end,
                    )
                    if row.reported_at != late:
                        row.reported_at = late
            last_end = row.end_time
        state = db.get(SimPortState, port_pk)
        if state is not None and last_end is not None:
            state.free_at = last_end
    # Statuses must be recomputed: mark them stale in place (never delete a shared row).
    db.execute(update(WorldMeta).where(WorldMeta.key == "status_at").values(value=""))
    db.flush()
