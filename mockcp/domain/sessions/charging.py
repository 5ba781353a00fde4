"""Charging sessions as the clock sees them (guide 6.1 getChargingSessionData, 6.2 15-min data).

Sessions come from the simulator (``sim.store.engine.materialize``) and are read at the clock's
now: a session that has not started is invisible; one still plugged in is active (no end
time, energy and durations so far).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession
from mockcp.db.models import Port, Station
from mockcp.db.people import Credential, Driver
from mockcp.domain.context import World
from mockcp.domain.paging import Page, PageRequest, page_query
from mockcp.domain.sessions.plan_choice import session_port, walks_in_time_order
from mockcp.domain.stations.query import StationQuery, station_filters, validate_ids
from mockcp.domain.stations.search import check_references, world_index
from mockcp.errors import CPError
from mockcp.sim.model.meter import Reading, energy_at, readings
from mockcp.sim.model.plan import SessionPlan
from mockcp.sim.model.vehicles import PUBLIC_MIX


@dataclass(frozen=True, slots=True)
class SessionSearch:
    """getChargingSessionData filters beyond the station ones."""

    stations: StationQuery
    session_id: int | None = None
    user_id: str | None = None
    from_time: datetime | None = None
    to_time: datetime | None = None
    active_only: bool = False


@dataclass(frozen=True, slots=True)
class SessionView:
    """One session at the clock's now."""

    session: ChargingSession
    station: Station
    port: Port
    user_id: str | None
    credential_id: str | None
    energy_kwh: float
    end: datetime | None
    charging_seconds: int
    session_seconds: int


def as_plan(row: ChargingSession) -> SessionPlan:
    """The stored session as the meter's plan (the meter needs no vehicle: any will do)."""
    points = None if row.profile is None else tuple((h, kw) for h, kw in row.profile)
    return SessionPlan(
        row.port_pk, row.start_time, row.energy_kwh, row.power_kw, row.flat_hours, row.taper_hours,
        row.end_time or row.start_time, PUBLIC_MIX[0], 0.0, 0.0, row.ended_by or "",
        points, row.charging_end_time if points is not None else None,
    )


def _view(
    row: ChargingSession,
    station: Station,
    port: Port,
    who: tuple[str | None, str | None],
    now: datetime,
) -> SessionView:
    plan = as_plan(row)
    end = row.end_time if row.end_time is not None and row.end_time <= now else None
    if end is not None and row.reported_at is not None and row.reported_at > now:
        end = None  # ended while its station was unreachable: the cloud does not know yet
    upto = min(now, plan.end)
    charging = (min(upto, plan.charge_end) - row.start_time).total_seconds()
    return SessionView(
        row, station, port, who[0], who[1], energy_at(plan, upto), end,
        int(max(charging, 0)), int((upto - row.start_time).total_seconds()),
    )


def search_sessions(
    world: World,
    search: SessionSearch,
    start_record: int | None,
) -> Page[SessionView]:
    """Sessions on the caller's stations, oldest first, 100 a page (guide 6.1).

    Raises: 142 from after to; 194/152/131 station IDs; 133 a session outside the realm;
    171 bad location parameters; 136 nothing found.
    """
    db, now = world.db, world.now
    page = PageRequest.for_operation("getChargingSessionData", start_record, None)
    if search.from_time and search.to_time and search.from_time > search.to_time:
        raise CPError(ResponseCode.START_AFTER_END)
    world.ensure_simulated()
    realm = world.realm
    check_references(world, validate_ids(search.stations), False)
    if search.session_id is not None:
        owner = db.scalar(
            select(Port.station_pk)
            .join(ChargingSession, ChargingSession.port_pk == Port.id)
            .where(ChargingSession.id == search.session_id)
        )
        if owner is not None and owner not in realm.station_pks:
            raise CPError(ResponseCode.SESSIONS_OUTSIDE_REALM)
    ports = _matching_ports(world, search.stations)
    # The page is cut on the session table alone, in (start_time, id) order; only its rows
    # are joined afterwards. A caller holding much of the world walks the time-ordered index
    # (a page reads an index range whatever the length of history), a small one reads its
    # own sessions through the port index (domain/sessions/plan_choice.py).
    port = session_port(walks_in_time_order(db, ports))
    ids = select(ChargingSession.id).where(ChargingSession.start_time <= now, port.in_(ports))
    if search.session_id is not None:
        ids = ids.where(ChargingSession.id == search.session_id)
    if search.user_id is not None:
        drivers = select(Driver.id).where(Driver.user_id == search.user_id.strip())
        ids = ids.where(ChargingSession.driver_pk.in_(drivers.scalar_subquery()))
    ids = _time_window(ids, search, now).order_by(ChargingSession.start_time, ChargingSession.id)
    cut = page_query(db, ids, page)
    if not cut.rows:
        raise CPError(ResponseCode.NO_SESSION_DATA)
    found = {
        r[0].id: r
        for r in db.execute(
            select(ChargingSession, Port, Station, Driver.user_id, Credential.credential_id)
            .join(Port, ChargingSession.port_pk == Port.id)
            .join(Station, Port.station_pk == Station.id)
            .outerjoin(Driver, ChargingSession.driver_pk == Driver.id)
            .outerjoin(Credential, ChargingSession.credential_pk == Credential.id)
            .where(ChargingSession.id.in_([sid for _, sid in cut.rows]))
        )
    }
    return cut.map(lambda sid: _view(found[sid][0], found[sid][2], found[sid][1],
                                     (found[sid][3], found[sid][4]), now))


def _matching_ports(world: World, query: StationQuery) -> list[int]:
    """The ports of the realm's stations that pass the station filters (filtered in Python;
    the stations, their ports and owners from the caller's station index, kept while the
    world is unchanged: domain/kept.py). No group filter here: sgID is not one of
    this search's keys."""
    index = world_index(world)
    predicates = station_filters(query, index.orgs, {}, {}, index.gazetteer)
    return sorted(
        port.id for s in index.stations if all(p(s) for p in predicates) for port in s.ports
    )


def _time_window(statement, search: SessionSearch, now: datetime):  # type: ignore[no-untyped-def]
    if search.from_time is not None:
        statement = statement.where(ChargingSession.start_time >= search.from_time)
    if search.to_time is not None:
        # FIDELITY (guide 6.1.2): "toTimeStamp: Session time < from timestamp in UTC indicating
        # the end of the charging session", the mirror of fromTimeStamp's "... indicating the
        # start": it bounds the session's END (as 10.5.2 says outright for getFleetUsageData).
        # A session whose end the cloud does not know yet (in progress, not yet reported)
        # has no end before any time: it is not returned.
        statement = statement.where(
            ChargingSession.end_time < search.to_time,
            ChargingSession.end_time <= now,
            or_(ChargingSession.reported_at.is_(None), ChargingSession.reported_at <= now),
        )
    if search.active_only:  # (not yet reported is still in progress for the cloud)
        statement = statement.where(
            or_(ChargingSession.end_time > now, ChargingSession.reported_at > now)
        )
    return statement


@dataclass(frozen=True, slots=True)
class FifteenMinutes:
    session_id: int
    station_id: str
    port_number: int
    rows: tuple[Reading, ...]


def fifteen_minute_data(world: World, session_id: int, delta: bool) -> FifteenMinutes:
    """The 15-minute meter data of one session, cumulative or per interval (guide 6.2).

    Raises: 132 unknown session; 133 outside the realm; 134 no 15-minute data.
    """
    db, now = world.db, world.now
    world.ensure_simulated()
    found = db.execute(
        select(ChargingSession, Port, Station)
        .join(Port, ChargingSession.port_pk == Port.id)
        .join(Station, Port.station_pk == Station.id)
        .where(ChargingSession.id == session_id, ChargingSession.start_time <= now)
    ).first()
    if found is None:
        raise CPError(ResponseCode.INVALID_SESSION_ID)
    row, port, station = found
    if station.id not in world.realm.station_pks:
        raise CPError(ResponseCode.SESSIONS_OUTSIDE_REALM)
    data = readings(as_plan(row), now, cumulative=not delta)
    if not data:
        raise CPError(ResponseCode.NO_15MIN_DATA)
    return FifteenMinutes(row.id, station.station_id, port.port_number, tuple(data))
