"""Fleet vehicles in the simulation: live charging status and getFleetUsageData (10.4-10.5).

A fleet vehicle's sessions are the simulator's sessions started with its card (at its depot,
or anywhere else it charges). Status at the clock's now: Charging while power flows,
Charged once it stopped drawing after some charging while still plugged in, Fault when its
station is unreachable or its port faulted, Not Plugged In otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession
from mockcp.db.models import Organization, Port, Station
from mockcp.db.people import Credential, Fleet, FleetVehicle
from mockcp.domain.context import World
from mockcp.domain.fleets.facts import Payment, odometer_at, payment_of
from mockcp.domain.paging import Page, PageRequest, filtered_page
from mockcp.domain.sessions.charging import as_plan
from mockcp.domain.sessions.pricing import billed, policies
from mockcp.domain.sessions.transactions import REPORT_DELAY, REPORTED, reported
from mockcp.domain.text import has_text, same_text
from mockcp.errors import CPError
from mockcp.sim.model.ids import session_transaction_id
from mockcp.sim.model.meter import energy_at, power_at
from mockcp.sim.store.engine import LONGEST_SESSION


def charging_statuses(world: World) -> dict[int, str]:
    """vehicle pk -> its charging status at ``now`` (absent: Not Plugged In)."""
    db, now = world.db, world.now
    world.ensure_simulated()
    found: dict[int, str] = {}
    rows = db.execute(
        select(ChargingSession, Port, Station)
        .join(Port, ChargingSession.port_pk == Port.id)
        .join(Station, Port.station_pk == Station.id)
        .where(
            ChargingSession.vehicle_pk.is_not(None),
            ChargingSession.start_time <= now,
            ChargingSession.start_time > now - LONGEST_SESSION,
            ChargingSession.end_time > now,
        )
    )
    for session, port, station in rows:
        plan = as_plan(session)
        if station.network_status == "Unreachable" or port.status in {"UNKNOWN", "UNREACHABLE"}:
            status = "Fault"
        elif power_at(plan, now) > 0 or energy_at(plan, now) <= 0:
            status = "Charging"
        else:
            status = "Charged"
        found[session.vehicle_pk or 0] = status
    return found


@dataclass(frozen=True, slots=True)
class UsageQuery:
    transaction_id: int | None = None
    transaction_type: str | None = None
    fleet_vehicle_id: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # row attribute -> wanted
    from_time: datetime | None = None
    to_time: datetime | None = None
    station_id: str | None = None
    port_number: int | None = None


@dataclass(frozen=True, slots=True)
class UsageView:
    session: ChargingSession
    vehicle: FleetVehicle
    fleet: Fleet
    fleet_org: Organization
    station: Station
    station_org: Organization
    port: Port
    credential_id: str | None
    fee: float
    rule: str | None
    payment: Payment | None = None  # guide 10.5.3 (domain/fleets/facts.py)
    odometer: float | None = None

    @property
    def transaction_id(self) -> int:
        return session_transaction_id(self.session.id)

    @property
    def transaction_time(self) -> datetime:
        return reported(self.session) + REPORT_DELAY


def _text_of(view: UsageView, attr: str) -> str:
    values = {
        "fleetName": view.fleet.name, "vehicleID": view.vehicle.vehicle_id,
        "License": view.vehicle.license_plate, "fleetDriverID": view.vehicle.fleet_user_id,
        "credentialID": view.credential_id, "fleetOrgID": view.fleet_org.org_id,
        "fleetOrgName": view.fleet_org.name, "stationOrgName": view.station_org.name,
        "stationName": view.station.name, "City": view.station.city,
        "State": view.station.state, "postalCode": view.station.postal_code,
        "Country": view.station.country,
    }
    if attr == "Address":
        return view.station.address
    return values.get(attr) or ""


def _matches(view: UsageView, q: UsageQuery) -> bool:
    s = view.session
    bare = (q.fleet_vehicle_id or "").strip().split(":")[-1]
    return (
        (q.transaction_id is None or view.transaction_id == q.transaction_id)
        and (q.transaction_type is None or q.transaction_type == "Session")
        and (not bare or view.vehicle.fleet_vehicle_id == bare)
        and all(
            same_text(_text_of(view, attr), wanted)
            if attr != "Address" else has_text(_text_of(view, attr), wanted)
            for attr, wanted in q.texts.items()
        )
        and (q.from_time is None or s.start_time >= q.from_time)
        and (q.to_time is None or (s.end_time is not None and s.end_time <= q.to_time))
        and (q.station_id is None or view.station.station_id == q.station_id.strip())
        and (q.port_number is None or view.port.port_number == q.port_number)
    )


def fleet_usage(
    world: World,
    query: UsageQuery,
    paging: tuple[int | None, int | None],
) -> Page[UsageView]:
    """Finished sessions of the caller's fleet vehicles on any station, oldest first.

    Raises: 142 from after to; 160 nothing found.
    """
    db, principal, root_seed, now = world.db, world.caller, world.seed, world.now
    page = PageRequest.for_operation("getFleetUsageData", *paging)
    if query.from_time and query.to_time and query.from_time > query.to_time:
        raise CPError(ResponseCode.START_AFTER_END)
    world.ensure_simulated()
    rows = db.execute(
        select(ChargingSession, FleetVehicle, Fleet, Port, Station, Credential.credential_id)
        .join(FleetVehicle, ChargingSession.vehicle_pk == FleetVehicle.id)
        .join(Fleet, FleetVehicle.fleet_pk == Fleet.id)
        .join(Port, ChargingSession.port_pk == Port.id)
        .join(Station, Port.station_pk == Station.id)
        .outerjoin(Credential, ChargingSession.credential_pk == Credential.id)
        .where(Fleet.org_pk == principal.org_pk, now - REPORT_DELAY >= REPORTED)
        .order_by(ChargingSession.start_time, ChargingSession.id)
    ).all()
    owners = {principal.org_pk} | {row[4].org_pk for row in rows}
    orgs = {o.id: o for o in db.scalars(select(Organization).where(Organization.id.in_(owners)))}
    rules = policies(db, {row[4].id for row in rows})
    views = []
    for session, vehicle, fleet, port, station, credential in rows:
        rule, gross = billed(rules[station.id], station, session) if station.id in rules else (
            None, 0.0)
        views.append(
            UsageView(
                session,
                vehicle,
                fleet,
                orgs[fleet.org_pk],
                station,
                orgs[station.org_pk],
                port,
                credential,
                gross,
                rule.name if rule else None,
                payment_of(root_seed, vehicle, gross),
                odometer_at(root_seed, vehicle, session.start_time),
            )
        )
    return filtered_page(views, lambda v: _matches(v, query), page, ResponseCode.NO_DATA_FOUND)
