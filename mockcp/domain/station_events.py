"""Station events on demand (``POST /_mock/stations/{stationID}/events``), at the clock's now.

Each event writes what the simulator's own events write, so every read shows it the way it
shows theirs:

- ``offline``: an ``Unreachable`` alarm; the station's network status and its ports read
  UNREACHABLE; its sessions that have not ended are held (``reported_at`` far ahead): one
  that ends meanwhile still reads as active and reaches transactions only when it is back.
- ``online``: a ``Reachable`` alarm; the held sessions that ended meanwhile are reported now
  (late, as the simulator's own connectivity drops do), the others when they end.
- ``portFault`` (``port``, ``fault``): the port is out of service (UNKNOWN, the fault as its
  reason and as an active fault, an alarm of that name); the sessions planned on it that
  have not started are dropped. Refused on a port with a session plugged in.
- ``faultCleared`` (``port``): a ``Fault Cleared`` alarm; the port is AVAILABLE again (new
  sessions from the next planned day on).
- ``reboot``: ``Powered Off`` then ``Bootup Due to POWER ON`` alarms.
- ``plugIn`` (``port``, ``energyKWh`` default 15, ``hours`` of stay, ``driver`` a userID): a
  session starts now at the port's power; planned sessions it overlaps drive on; sheds cap
  it. Refused on a busy or faulted port.
- ``unplug`` (``port``): the session plugged in ends now with the energy it has taken (its
  power curve cut here); the port is AVAILABLE. Refused on a free port.

FIDELITY: sessions planned while a station is offline (the clock crossing a local midnight)
are not held; a plugged-in car draws the port's full power (then the AC taper): no vehicle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from mockcp.db.activity import Alarm, ChargingSession, MeterInterval, SimPortState
from mockcp.db.models import Organization, Port, Station
from mockcp.db.people import Driver
from mockcp.domain.context import World
from mockcp.domain.sessions.charging import as_plan
from mockcp.sim.model.capping import natural_points
from mockcp.sim.model.ids import session_id
from mockcp.sim.model.meter import energy_at
from mockcp.sim.model.plan import AC_TAPER_HOURS, TAPER_FLOOR
from mockcp.sim.store.shedding import reshape_ports
from mockcp.sim.store.status import forget_interval

EVENTS = ("offline", "online", "portFault", "faultCleared", "reboot", "plugIn", "unplug")
HELD = datetime(9999, 1, 1, tzinfo=UTC)  # reported_at of a session whose station is offline


class EventRefused(ValueError):
    """The event cannot happen now (the reason is the message)."""


@dataclass(frozen=True, slots=True)
class Applied:
    """What an event did: for the control plane's answer and the journal."""

    station_id: str
    org_id: str
    event: str
    at: datetime
    alarms: tuple[str, ...]
    sessions: int  # sessions held, released or dropped


def apply_event(world: World, station_id: str, body: dict[str, object]) -> Applied:
    """Apply one event to ``station_id`` at the world's now (the world first brought up to
    now); LookupError for an unknown station, ValueError (or EventRefused) saying why not."""
    db, root_seed, now = world.db, world.seed, world.now
    station = db.scalar(select(Station).where(Station.station_id == station_id))
    if station is None:
        raise LookupError(f"no station {station_id}")
    kind = body.get("type")
    if kind not in EVENTS:
        raise ValueError(f"type must be one of {', '.join(EVENTS)}")
    allowed = {"type"} | ({"port", "fault"} if kind == "portFault" else set())
    allowed |= {"port"} if kind in {"faultCleared", "unplug"} else set()
    allowed |= {"port", "energyKWh", "hours", "driver"} if kind == "plugIn" else set()
    unknown = set(body) - allowed
    if unknown:
        raise ValueError(f"unknown keys for {kind}: {', '.join(sorted(unknown))}")
    world.ensure_simulated()
    forget_interval(db)  # the event changes statuses and sessions (sim/store/status.py)
    if kind == "offline":
        alarms, count = _offline(db, station, now)
    elif kind == "online":
        alarms, count = _online(db, station, now)
    elif kind == "reboot":
        alarms, count = ("Powered Off", "Bootup Due to POWER ON"), 0
        for name in alarms:
            _alarm(db, station, name, now)
    else:
        port = _port(station, body.get("port"))
        if kind == "portFault":
            alarms, count = _fault(db, station, port, body.get("fault"), now)
        elif kind == "unplug":
            alarms, count = _unplug(db, port, now)
        elif kind == "plugIn":
            alarms, count = _plug_in(db, root_seed, station, port, body, now)
        else:
            alarms, count = _cleared(db, station, port, now)
    db.flush()
    org = db.get(Organization, station.org_pk)
    return Applied(station_id, org.org_id if org else "", str(kind), now, alarms, count)


def _alarm(
    db: Session, station: Station, name: str, now: datetime, port: int | None = None
) -> None:
    db.add(Alarm(station_pk=station.id, port_number=port, alarm_type=name, alarm_time=now))


def _offline(db: Session, station: Station, now: datetime) -> tuple[tuple[str, ...], int]:
    if station.network_status.lower() == "unreachable":
        raise EventRefused(f"{station.station_id} is already offline")
    _alarm(db, station, "Unreachable", now)
    station.network_status = "Unreachable"
    held = db.execute(
        update(ChargingSession)
        .where(ChargingSession.port_pk.in_(_port_pks(station)))
        .where(ChargingSession.start_time <= now, ChargingSession.end_time > now)
        .values(reported_at=HELD)
        .execution_options(synchronize_session=False)
    )
    return ("Unreachable",), int(held.rowcount)  # type: ignore[attr-defined]


def _online(db: Session, station: Station, now: datetime) -> tuple[tuple[str, ...], int]:
    if station.network_status.lower() != "unreachable":
        raise EventRefused(f"{station.station_id} is not offline")
    _alarm(db, station, "Reachable", now)
    station.network_status = "Reachable"
    station.last_communication = now
    ports = _port_pks(station)
    late = db.execute(
        update(ChargingSession)
        .where(ChargingSession.port_pk.in_(ports), ChargingSession.reported_at == HELD)
        .where(ChargingSession.end_time <= now)
        .values(reported_at=now)
        .execution_options(synchronize_session=False)
    )
    db.execute(
        update(ChargingSession)
        .where(ChargingSession.port_pk.in_(ports), ChargingSession.reported_at == HELD)
        .values(reported_at=None)
        .execution_options(synchronize_session=False)
    )
    return ("Reachable",), int(late.rowcount)  # type: ignore[attr-defined]


def _port(station: Station, number: object) -> Port:
    if not isinstance(number, int) or isinstance(number, bool):
        raise ValueError("port must be the port number (1, 2...)")
    port = next((p for p in station.ports if p.port_number == number), None)
    if port is None:
        raise ValueError(f"{station.station_id} has no port {number}")
    return port


def _in_port_at(port: Port, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """The session plugged into ``port`` at ``now``, as WHERE clauses."""
    return (
        ChargingSession.port_pk == port.id,
        ChargingSession.start_time <= now,
        ChargingSession.end_time > now,
    )


def _plugged_in(db: Session, port: Port, now: datetime) -> int | None:
    """The id of the session plugged into ``port`` at ``now``, if any."""
    return db.scalar(select(ChargingSession.id).where(*_in_port_at(port, now)))


def _fault(
    db: Session, station: Station, port: Port, fault: object, now: datetime
) -> tuple[tuple[str, ...], int]:
    if not isinstance(fault, str) or not fault.strip() or len(fault) > 200:
        raise ValueError('fault must be the fault\'s name, e.g. "GFCI Trip"')
    if port.fault_reason:
        raise EventRefused(f"port {port.port_number} already has a fault ({port.fault_reason})")
    busy = _plugged_in(db, port, now)
    if busy is not None:
        raise EventRefused(
            f"port {port.port_number} has session {busy} plugged in: a fault while charging "
            "is not modelled"
        )
    port.status, port.status_time, port.fault_reason = "UNKNOWN", now, fault.strip()
    _alarm(db, station, fault.strip(), now, port.port_number)
    planned = list(
        db.scalars(
            select(ChargingSession.id).where(
                ChargingSession.port_pk == port.id, ChargingSession.start_time > now
            )
        )
    )
    if planned:
        db.execute(delete(MeterInterval).where(MeterInterval.session_pk.in_(planned)))
        db.execute(
            delete(ChargingSession)
            .where(ChargingSession.id.in_(planned))
            .execution_options(synchronize_session=False)
        )
    return (fault.strip(),), len(planned)


def _cleared(
    db: Session, station: Station, port: Port, now: datetime
) -> tuple[tuple[str, ...], int]:
    if not port.fault_reason:
        raise EventRefused(f"port {port.port_number} has no fault to clear")
    port.status, port.status_time, port.fault_reason = "AVAILABLE", now, None
    _alarm(db, station, "Fault Cleared", now, port.port_number)
    return ("Fault Cleared",), 0


def _unplug(db: Session, port: Port, now: datetime) -> tuple[tuple[str, ...], int]:
    """The driver unplugs now: the session ends with the energy it has, its power curve cut
    at now (the meter reads it as any capped session's), and the port is free."""
    row = db.scalar(select(ChargingSession).where(*_in_port_at(port, now)))
    if row is None:
        raise EventRefused(f"port {port.port_number} has no car plugged in")
    plan = as_plan(row)
    if now < plan.charge_end:  # still charging: stop the curve here
        hours = (now - row.start_time).total_seconds() / 3600
        energy = energy_at(plan, now)
        natural = natural_points(row.power_kw, row.flat_hours, row.taper_hours)
        curve = [(float(h), float(kw)) for h, kw in row.profile] if row.profile else list(natural)
        if row.start_soc is not None and row.end_soc is not None and row.energy_kwh > 0:
            share = energy / row.energy_kwh
            row.end_soc = round(row.start_soc + (row.end_soc - row.start_soc) * share, 1)
        row.profile = [list(point) for point in cut_curve(curve, hours)]
        row.energy_kwh, row.charging_end_time = round(energy, 6), now
    row.end_time, row.ended_by = now, "Plug Out at Vehicle"
    if row.reported_at != HELD:
        row.reported_at = None
    port.status, port.status_time = "AVAILABLE", now
    return (), 1


def _plug_in(
    db: Session, root_seed: int, station: Station, port: Port, body: dict[str, object],
    now: datetime,
) -> tuple[tuple[str, ...], int]:
    """A car plugs in now and charges ``energyKWh`` at the port's power (the simulator's AC
    taper at the end), staying ``hours``
    (default: until charged, plus an hour). Planned sessions it overlaps drive on; the port's
    sheds and events cap it as they cap any session."""
    energy = _number(body.get("energyKWh", 15), "energyKWh", 200)
    stay = timedelta(hours=_number(body["hours"], "hours", 72)) if "hours" in body else None
    driver_pk = _driver(db, body.get("driver"))
    if port.fault_reason:
        raise EventRefused(f"port {port.port_number} is out of service ({port.fault_reason})")
    busy = _plugged_in(db, port, now)
    if busy is not None:
        raise EventRefused(f"port {port.port_number} is busy (session {busy})")
    flat, taper = _shape(energy, port.power_kw)
    charging = timedelta(hours=flat + taper)
    state = db.get(SimPortState, port.id)
    if state is None:
        raise EventRefused(f"port {port.port_number} has no simulation state yet")
    row = ChargingSession(
        id=session_id(port.id, state.sessions), port_pk=port.id, driver_pk=driver_pk,
        start_time=now, end_time=now + (stay or charging + timedelta(hours=1)),
        charging_end_time=now + min(charging, stay or charging), energy_kwh=round(energy, 6),
        ended_by="Plug Out at Vehicle", power_kw=port.power_kw, flat_hours=flat,
        taper_hours=taper,
        reported_at=HELD if station.network_status.lower() == "unreachable" else None,
    )
    if stay is not None and stay < charging:  # leaves before the car is full
        natural = list(natural_points(port.power_kw, flat, taper))
        curve = cut_curve(natural, stay.total_seconds() / 3600)
        row.profile = [list(point) for point in curve]
        row.energy_kwh = round(curve_kwh(curve), 6)
    state.sessions += 1
    db.add(row)
    db.flush()
    reshape_ports(db, root_seed, [port.id], now)
    port.status, port.status_time = "INUSE", now
    return (), 1


def _shape(energy: float, power: float) -> tuple[float, float]:
    """Flat and taper hours of ``energy`` at ``power``: the simulator's AC taper at the end."""
    tapered = power * AC_TAPER_HOURS * (1 + TAPER_FLOOR) / 2
    if energy <= tapered:
        return 0.0, energy / (power * (1 + TAPER_FLOOR) / 2)
    return (energy - tapered) / power, AC_TAPER_HOURS


def curve_kwh(points: list[tuple[float, float]]) -> float:
    """The energy under a piecewise-linear power curve."""
    return sum((h1 - h0) * (p0 + p1) / 2 for (h0, p0), (h1, p1) in pairwise(points))


def _number(value: object, key: str, most: float) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= most:
        raise ValueError(f"{key} must be a number above 0 and at most {most:g}")
    return float(value)


def _driver(db: Session, user_id: object) -> int | None:
    if user_id is None:
        return None
    found = db.scalar(select(Driver.id).where(Driver.user_id == str(user_id)))
    if found is None:
        raise ValueError(f"no driver with userID {user_id}")
    return int(found)


def cut_curve(points: list[tuple[float, float]], hours: float) -> list[tuple[float, float]]:
    """A piecewise-linear power curve that stops at ``hours`` (power 0 after it)."""
    kept = [(h, kw) for h, kw in points if h < hours]
    for (h0, p0), (h1, p1) in zip(points, points[1:], strict=False):
        if h0 <= hours < h1:
            return [*kept, (hours, p0 + (p1 - p0) * (hours - h0) / (h1 - h0))]
    return list(points)


def _port_pks(station: Station) -> list[int]:
    return [p.id for p in station.ports]
