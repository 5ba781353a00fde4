"""The dashboard's data, as JSON-ready dicts, from the functions the SOAP operations use.

Every number here is one the API answers at the same simulated time: a port's status is
``port_status`` (getStationStatus), its kW is ``station_loads`` (getLoad), a group's load is
``get_load``'s sum, a session's energy is ``search_sessions``' (getChargingSessionData).
A tenant is named by its orgID; ``None`` is the whole world (every organisation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from mockcp.clock import BUCKET, bucket_start, buckets_between
from mockcp.db.activity import Alarm, ChargingSession, PowerCap
from mockcp.db.models import Port, Station, StationGroup
from mockcp.domain.context import World
from mockcp.domain.load import twin
from mockcp.domain.load.current import LoadQuery, PortLoad, get_load, station_loads
from mockcp.domain.principal import Principal, lookup
from mockcp.domain.realm import realm_of
from mockcp.domain.sessions.charging import as_plan
from mockcp.domain.stations.query import port_status
from mockcp.domain.tenants import list_tenants
from mockcp.sim.store.engine import materialize

# Station colours, most urgent first: the first that applies wins.
CATEGORIES = ("unreachable", "faulted", "shed", "inuse", "available")


def iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def principal_for(db: Session, org_id: str) -> Principal:
    """The principal of a tenant's first credential. Raises LookupError for no such tenant."""
    for tenant in list_tenants(db):
        if tenant.org_id == org_id:
            principal = lookup(db, tenant.license_key, tenant.password)
            if principal is not None:
                return principal
    raise LookupError(f"no tenant with orgID {org_id!r}")


def _stations(db: Session, org_id: str | None) -> list[Station]:
    statement = select(Station).options(selectinload(Station.ports)).order_by(Station.id)
    if org_id is not None:
        realm = realm_of(db, principal_for(db, org_id))
        statement = statement.where(Station.id.in_(realm.station_pks))
    return list(db.scalars(statement))


def _groups(db: Session, org_id: str | None) -> list[dict[str, Any]]:
    statement = select(StationGroup).order_by(StationGroup.id)
    if org_id is not None:
        realm = realm_of(db, principal_for(db, org_id))
        statement = statement.where(StationGroup.id.in_(realm.group_ids))
    return [{"sgID": g.id, "name": g.name} for g in db.scalars(statement)]


def _cap(port: PortLoad) -> float | None:
    caps = [c for c in (port.shed.cap_kw if port.shed else None, port.event_kw) if c is not None]
    return min(caps) if caps else None


def _category(station: Station, ports: Sequence[PortLoad]) -> str:
    statuses = {port_status(station, p.port) for p in ports}
    found = {
        "unreachable": "UNREACHABLE" in statuses,
        "faulted": any(p.port.fault_reason for p in ports) or "UNKNOWN" in statuses,
        "shed": any(_cap(p) is not None for p in ports),
        "inuse": "INUSE" in statuses,
    }
    return next((c for c in CATEGORIES if found.get(c, True)), "available")


def _port(station: Station, port: PortLoad) -> dict[str, Any]:
    session = port.session
    return {
        "portNumber": str(port.port.port_number),
        "status": port_status(station, port.port),
        "kw": round(port.kw, 3),
        "maxKw": port.port.power_kw,
        "capKw": _cap(port),
        "fault": port.port.fault_reason,
        "sessionID": None if session is None else session.id,
        "userID": port.user_id,
        "sessionStart": None if session is None else iso(session.start_time),
    }


def fleet(db: Session, root_seed: int, now: datetime, org_id: str | None) -> dict[str, Any]:
    """Every station of the tenant (or the world) with ports, load, alarms and a colour."""
    materialize(db, root_seed, now)
    stations = _stations(db, org_id)
    alarms: dict[int, list[dict[str, Any]]] = {}
    for alarm in db.scalars(
        select(Alarm)
        .where(Alarm.station_pk.in_([s.id for s in stations]), Alarm.alarm_time <= now)
        .where(Alarm.cleared_at.is_(None))
        .order_by(Alarm.alarm_time, Alarm.id)
    ):
        alarms.setdefault(alarm.station_pk, []).append(
            {"type": alarm.alarm_type, "time": iso(alarm.alarm_time), "port": alarm.port_number}
        )
    rows = []
    for load in station_loads(db, stations, now):
        station = load.station
        rows.append(
            {
                "stationID": station.station_id,
                "name": station.name,
                "city": station.city,
                "lat": station.latitude,
                "lon": station.longitude,
                "network": station.network_status,
                "category": _category(station, load.ports),
                "kw": round(load.kw, 3),
                "ports": [_port(station, p) for p in load.ports],
                "alarms": alarms.get(station.id, []),
            }
        )
    return {"now": iso(now), "stations": rows, "groups": _groups(db, org_id)}


def _owner(db: Session, sg_id: int | None, station_id: str | None) -> Principal:
    """The organisation that owns a group or station (the whole-world view asks as it)."""
    org_pk = None
    if sg_id is not None:
        org_pk = db.scalar(select(StationGroup.org_pk).where(StationGroup.id == sg_id))
    elif station_id:
        org_pk = db.scalar(select(Station.org_pk).where(Station.station_id == station_id))
    for tenant in list_tenants(db):
        principal = lookup(db, tenant.license_key, tenant.password)
        if principal is not None and principal.org_pk == org_pk:
            return principal
    raise LookupError("no such group or station")


def _caps_at(caps: Iterable[PowerCap], ports: Sequence[Port], at: datetime) -> float | None:
    """The ports' total ceiling at ``at`` when a shed or event caps any of them."""
    held: dict[int, float] = {}
    for cap in caps:
        if cap.starts_at <= at and (cap.ends_at is None or cap.ends_at > at):
            held[cap.port_pk] = min(cap.cap_kw, held.get(cap.port_pk, cap.cap_kw))
    if not held:
        return None
    return round(sum(held.get(p.id, p.power_kw) for p in ports), 3)


def load(
    db: Session,
    live: tuple[int, datetime],
    org_id: str | None,
    target: tuple[int | None, str | None],
    span: tuple[int, int] = (6, 2),
) -> dict[str, Any]:
    """getLoad now for a group or station, its load every 15 minutes over the last hours
    and the simulator's plan for the next ones, its shed caps, the 15-minute energy, and
    the untouched twin beside each (``domain.load.twin``): the load without the shed and
    event caps, and the energy not drawn over the whole intervals shown (twin - actual).

    Raises: LookupError (unknown tenant, group or station); CPError from ``get_load``.
    """
    root_seed, now = live
    sg_id, station_id = target
    principal = principal_for(db, org_id) if org_id else _owner(db, sg_id, station_id)
    view = get_load(World(db, principal, root_seed, now), LoadQuery(sg_id, station_id, None))
    stations = [s.station for s in view.stations]
    ports = [p for s in stations for p in s.ports]
    begin, until = bucket_start(now - timedelta(hours=span[0])), now + timedelta(hours=span[1])
    caps = list(
        db.scalars(
            select(PowerCap)
            .where(PowerCap.port_pk.in_([p.id for p in ports]), PowerCap.kind != "share")
            .where(or_(PowerCap.ends_at.is_(None), PowerCap.ends_at > begin))
        )
    )
    rows = list(
        db.scalars(
            select(ChargingSession)
            .where(ChargingSession.port_pk.in_([p.id for p in ports]))
            .where(ChargingSession.start_time <= until)
            .where(or_(ChargingSession.end_time.is_(None), ChargingSession.end_time > begin))
            .order_by(ChargingSession.id)
        )
    )
    plans, twins = [(row, as_plan(row)) for row in rows], twin.untouched(db, root_seed, rows)
    times = sorted({*buckets_between(begin, until + BUCKET), now})
    series = [
        {
            "t": iso(at),
            "kw": round(view.kw if at == now else twin.kw_at(plans, at), 3),
            "twinKw": round(twin.kw_at(twins, at), 3),
            "capKw": _caps_at(caps, ports, at),
            "planned": at > now,
        }
        for at in times
    ]
    actual, untouched = twin.interval_kwh(plans, begin, now), twin.interval_kwh(twins, begin, now)
    intervals = [
        {"start": iso(b), "kwh": round(kwh, 6), "twinKwh": round(free, 6)}
        for (b, kwh), (_, free) in zip(actual, untouched, strict=True)
    ]
    title = view.group.name if view.group is not None else stations[0].name
    return {
        "now": iso(now),
        "title": title,
        "sgID": sg_id,
        "stationID": station_id,
        "kw": round(view.kw, 3),
        "capKw": _caps_at(caps, ports, now),
        "stations": [
            {"stationID": s.station.station_id, "name": s.station.name, "kw": round(s.kw, 3)}
            for s in view.stations
        ],
        "series": series,
        "intervals": intervals,
        "notDrawnKwh": round(sum(f for _, f in untouched) - sum(k for _, k in actual), 6),
    }
