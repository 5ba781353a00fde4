"""What the ports draw now, and getLoad (guide 5.3).

A port's load is the meter's power of the session plugged into it at the clock's now
(0 when idle or idle-tailing); the shed columns come from the port's ``ShedState`` while
it is in force. Battery percentage is reported where the station and car support it: DC
fast chargers, whose cars report state of charge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, inspect, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession, PowerCap, ShedState
from mockcp.db.models import Port, Station, StationGroup
from mockcp.db.people import Credential, Driver
from mockcp.domain.context import World
from mockcp.domain.realm import check_station_id, members_of
from mockcp.domain.sessions.charging import as_plan
from mockcp.errors import CPError
from mockcp.sim.model.meter import energy_at, power_at


@dataclass(frozen=True, slots=True)
class PortLoad:
    """One port at the clock's now."""

    port: Port
    session: ChargingSession | None
    user_id: str | None
    credential_id: str | None
    kw: float
    battery_percent: float
    shed: ShedState | None
    event_kw: float | None  # the cap of a load-shed event in force, if any


@dataclass(frozen=True, slots=True)
class StationLoad:
    station: Station
    ports: tuple[PortLoad, ...]

    @property
    def kw(self) -> float:
        return sum(p.kw for p in self.ports)


@dataclass(frozen=True, slots=True)
class LoadView:
    """getLoad's answer: the group fields only for a group query."""

    group: StationGroup | None
    stations: tuple[StationLoad, ...]

    @property
    def kw(self) -> float:
        return sum(s.kw for s in self.stations)


def forget_ended(db: Session, station_pks: Iterable[int], now: datetime) -> None:
    """Delete the sheds of these stations that ran out by ``now`` (they no longer count)."""
    db.execute(
        delete(ShedState).where(
            ShedState.station_pk.in_(list(station_pks)),
            ShedState.ends_at.is_not(None),
            ShedState.ends_at <= now,
        )
    )


def shed_rows(db: Session, station_pks: Iterable[int]) -> dict[tuple[int, int], ShedState]:
    """Every shed row of these stations, in force or not, by (station pk, port number)."""
    found = db.scalars(select(ShedState).where(ShedState.station_pk.in_(list(station_pks))))
    return {(s.station_pk, s.port_number): s for s in found}


def in_force(
    rows: dict[tuple[int, int], ShedState], ports: Iterable[Port], at: datetime
) -> dict[int, ShedState]:
    """port pk -> its shed in force at ``at``, among ``rows`` (``shed_rows``)."""
    found = {}
    for port in ports:
        state = rows.get((port.station_pk, port.port_number))
        if state is not None and state.started_at <= at and (
            state.ends_at is None or state.ends_at > at
        ):
            found[port.id] = state
    return found


def active_sheds(
    db: Session, station_pks: Iterable[int], at: datetime, ports: Iterable[Port] | None = None
) -> dict[int, ShedState]:
    """port pk -> its shed in force at ``at`` (``ports``: those stations' ports, if loaded)."""
    pks = list(station_pks)
    rows = shed_rows(db, pks)
    if not rows:
        return {}
    if ports is None:
        ports = db.scalars(select(Port).where(Port.station_pk.in_(pks)))
    return in_force(rows, ports, at)


def with_ports(db: Session, stations: Sequence[Station]) -> list[Port]:
    """Load the ports of every station of ``stations`` whose ``ports`` are not loaded yet, in
    one query (each station's in port order, as ``Station.ports``), so that walking them
    costs no query per station (a group's getLoad or shedLoad: N + 1 before); every port of
    ``stations``, in station then port order."""
    missing = [s for s in stations if "ports" in inspect(s).unloaded]
    if missing:
        found: dict[int, list[Port]] = {s.id: [] for s in missing}
        for port in db.scalars(
            select(Port)
            .where(Port.station_pk.in_(list(found)))
            .order_by(Port.station_pk, Port.port_number)
        ):
            found[port.station_pk].append(port)
        for station in missing:
            set_committed_value(station, "ports", found[station.id])
    return [port for station in stations for port in station.ports]


def station_loads(db: Session, stations: Sequence[Station], now: datetime) -> list[StationLoad]:
    """Every port of ``stations`` at ``now`` (the world must be materialised up to ``now``)."""
    pks = [s.id for s in stations]
    sheds = active_sheds(db, pks, now, with_ports(db, stations))
    events: dict[int, float] = {}
    for cap in db.scalars(
        select(PowerCap)
        .join(Port, PowerCap.port_pk == Port.id)
        .where(Port.station_pk.in_(pks), PowerCap.event_pk.is_not(None))
        .where(PowerCap.starts_at <= now, PowerCap.ends_at > now)
    ):
        events[cap.port_pk] = min(cap.cap_kw, events.get(cap.port_pk, cap.cap_kw))
    active = {
        row[0].port_pk: row
        for row in db.execute(
            select(ChargingSession, Driver.user_id, Credential.credential_id)
            .join(Port, ChargingSession.port_pk == Port.id)
            .outerjoin(Driver, ChargingSession.driver_pk == Driver.id)
            .outerjoin(Credential, ChargingSession.credential_pk == Credential.id)
            .where(Port.station_pk.in_(pks), ChargingSession.start_time <= now)
            .where(or_(ChargingSession.end_time > now, ChargingSession.end_time.is_(None)))
        )
    }
    found = []
    for station in stations:
        ports = []
        for port in station.ports:
            row = active.get(port.id)
            if row is None:
                ports.append(
                    PortLoad(
                        port, None, None, None, 0.0, 0.0, sheds.get(port.id), events.get(port.id)
                    )
                )
                continue
            session, user_id, credential_id = row
            plan = as_plan(session)
            battery = _battery(session, energy_at(plan, now)) if _reports_soc(port) else 0.0
            ports.append(
                PortLoad(
                    port,
                    session,
                    user_id,
                    credential_id,
                    power_at(plan, now),
                    battery,
                    sheds.get(port.id),
                    events.get(port.id),
                )
            )
        found.append(StationLoad(station, tuple(ports)))
    return found


def _reports_soc(port: Port) -> bool:
    return port.level == "DC" or port.mode == "4"


def _battery(session: ChargingSession, delivered: float) -> float:
    if session.start_soc is None or session.end_soc is None or session.energy_kwh <= 0:
        return session.start_soc or 0.0
    share = delivered / session.energy_kwh
    return round(session.start_soc + (session.end_soc - session.start_soc) * share, 1)


@dataclass(frozen=True, slots=True)
class LoadQuery:
    sg_id: int | None
    station_id: str | None
    session_id: int | None


def get_load(world: World, query: LoadQuery) -> LoadView:
    """The load of one station, one group, or the station of one session (guide 5.3).

    Raises: 182 no key; 160 unknown group, station or session (the real service's answer);
    152 malformed station ID; 125/131/133 outside the realm.
    """
    db, now = world.db, world.now
    if query.sg_id is None and not query.station_id and query.session_id is None:
        raise CPError(ResponseCode.LOAD_SEARCH_KEY_MISSING)
    world.ensure_simulated()
    realm = world.realm
    group, stations = None, None
    if query.session_id is not None:
        station = db.scalar(
            select(Station)
            .join(Port, Port.station_pk == Station.id)
            .join(ChargingSession, ChargingSession.port_pk == Port.id)
            .where(ChargingSession.id == query.session_id, ChargingSession.start_time <= now)
        )
        if station is None:
            raise CPError(ResponseCode.NO_DATA_FOUND)
        if station.id not in realm.station_pks:
            raise CPError(ResponseCode.SESSIONS_OUTSIDE_REALM)
        stations = [station]
    if query.sg_id is not None:
        group = db.get(StationGroup, query.sg_id)
        if group is None:
            raise CPError(ResponseCode.NO_DATA_FOUND)
        if group.id not in realm.group_ids:
            raise CPError(ResponseCode.OWN_STATION_GROUP_ONLY)
        stations = _narrow(stations, members_of(db, group.id))
    if query.station_id:
        station_id = check_station_id(query.station_id)
        station = db.scalars(select(Station).where(Station.station_id == station_id)).first()
        if station is None:
            raise CPError(ResponseCode.NO_DATA_FOUND)
        if station.id not in realm.station_pks:
            raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
        stations = _narrow(stations, [station])
    return LoadView(group, tuple(station_loads(db, stations or [], now)))


def _narrow(found: list[Station] | None, more: Sequence[Station]) -> list[Station]:
    """Several keys narrow each other: the stations all of them name (160 when none)."""
    if found is None:
        return list(more)
    keep = {s.id for s in more}
    narrowed = [s for s in found if s.id in keep]
    if not narrowed:
        raise CPError(ResponseCode.NO_DATA_FOUND)
    return narrowed
