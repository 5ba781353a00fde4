"""Fleet vehicles (guide 10.1-10.4): add, update, delete, search, with live charging status.

A caller manages the vehicles of its own organisation's fleets. Vehicle types are checked
against a catalogue (make, model, first model year; battery and on-board charger carry over
to the simulation, where the vehicle charges at its fleet's depot with its own card). The
guide's specific errors are answered as code 171 whose text carries the guide's words
("Invalid Vehicle Type", "Invalid RFID card provided", "Fleet not found").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.models import Organization
from mockcp.db.people import Credential, Fleet, FleetVehicle
from mockcp.domain.context import World
from mockcp.domain.paging import Page, PageRequest, filtered_page
from mockcp.domain.principal import Principal
from mockcp.domain.text import same_text
from mockcp.errors import CPError
from mockcp.sim.model.ids import added_vehicle_id
from mockcp.sim.model.vehicles import find

SERIAL = re.compile(r"^[A-Z]{4}\d{10}$")  # printed ChargePoint card serial, e.g. CNCP0000481668
MIFARE = re.compile(r"^(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{14})$")  # 4- or 7-byte UID in hex


def _specific(text: str) -> CPError:
    return CPError(ResponseCode.INVALID_PARAMETERS, params=f"({text})")


def vehicle_type(make: str, model: str, year: str) -> tuple[int, float, float]:
    """(year, battery, charger) of a catalogue vehicle (sim/model/vehicles.py), or 171
    (Invalid Vehicle Type)."""
    try:
        model_year = int(year.strip())
    except ValueError:
        raise _specific("Invalid Vehicle Type") from None
    found = find(make, model, model_year)
    if found is None:
        raise _specific("Invalid Vehicle Type")
    return model_year, found.battery_kwh, found.ac_kw


@dataclass(frozen=True, slots=True)
class VehicleFields:
    """The elements an add or update sent (None: not sent)."""

    license_plate: str | None = None
    fleet_name: str | None = None
    vehicle_id: str | None = None
    vin: str | None = None
    color: str | None = None
    make: str | None = None
    model: str | None = None
    year: str | None = None
    company_code: str | None = None
    driver_id: str | None = None
    port_macs: tuple[str, ...] | None = None
    card_serials: tuple[str, ...] | None = None
    card_mifares: tuple[str, ...] | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _fleet(db: Session, principal: Principal, name: str) -> Fleet:
    fleet = db.scalars(
        select(Fleet).where(Fleet.org_pk == principal.org_pk).order_by(Fleet.id)
    ).all()
    for candidate in fleet:
        if same_text(candidate.name, name):
            return candidate
    raise _specific("Fleet not found")


def _cards(db: Session, sent: VehicleFields, vehicle_pk: int | None) -> list[Credential]:
    """The cards to link: known unassigned cards or new well-formed ones (else 171)."""
    serials, mifares = list(sent.card_serials or ()), list(sent.card_mifares or ())
    if not serials and not mifares:
        raise CPError(ResponseCode.MANDATORY_FIELDS_MISSING)
    found: list[Credential] = []
    for value, pattern, kind in [(s, SERIAL, "serial") for s in serials] + [
        (m, MIFARE, "mifare") for m in mifares
    ]:
        value = value.strip()
        column = Credential.serial_number if kind == "serial" else Credential.mifare_id
        card = db.scalars(select(Credential).where(column == value)).first()
        if card is None:
            if not pattern.match(value):
                raise _specific("Invalid RFID card provided")
            card = Credential(
                credential_id=value,
                serial_number=value if kind == "serial" else None,
                mifare_id=value if kind == "mifare" else None,
            )
            db.add(card)
        elif card.driver_pk is not None or card.vehicle_pk not in (None, vehicle_pk):
            raise _specific("Invalid RFID card provided")
        found.append(card)
    return found


def add_vehicles(world: World, sent: list[VehicleFields]) -> list[str]:
    """Add the vehicles of one addFleetVehicle call in order (guide 10.1: several per call);
    their ``CPNID:fleetVehicleID``s. A card can go on one of them only; the first refused
    vehicle raises, and the caller's rollback then keeps none of the call.

    Raises: as ``add_vehicle``.
    """
    db, principal, now = world.db, world.caller, world.now
    return [add_vehicle(db, principal, now, vehicle) for vehicle in sent]


# Vehicles added through the API are numbered from here (fixtures and seeded worlds below).


def add_vehicle(db: Session, principal: Principal, now: datetime, sent: VehicleFields) -> str:
    """Add one vehicle to a fleet of the caller; returns its ``CPNID:fleetVehicleID``."""
    fleet = _fleet(db, principal, sent.fleet_name or "")
    year, battery, charger = vehicle_type(sent.make or "", sent.model or "", sent.year or "")
    cards = _cards(db, sent, None)
    vehicle = FleetVehicle(
        fleet_vehicle_id="pending", fleet_pk=fleet.id, vehicle_id=(sent.vehicle_id or "").strip(),
        vin=sent.vin, license_plate=sent.license_plate, color=sent.color,
        make=(sent.make or "").strip(), model=(sent.model or "").strip(), year=year,
        fleet_user_id=sent.driver_id, battery_kwh=battery, onboard_charger_kw=charger,
        port_macs=list(sent.port_macs or ()), created_at=now, modified_at=now,
    )
    db.add(vehicle)
    db.flush()
    vehicle.fleet_vehicle_id = added_vehicle_id(vehicle.id)  # numeric: guide 10.4.5 1:7890
    for card in cards:
        card.vehicle_pk = vehicle.id
    db.flush()
    return external_id(db, vehicle)


def external_id(db: Session, vehicle: FleetVehicle) -> str:
    org = db.scalar(
        select(Organization)
        .join(Fleet, Fleet.org_pk == Organization.id)
        .where(Fleet.id == vehicle.fleet_pk)
    )
    return f"{org.cpn_id if org else 1}:{vehicle.fleet_vehicle_id}"


def own_vehicle(db: Session, principal: Principal, fleet_vehicle_id: str) -> FleetVehicle:
    """A live vehicle of the caller's fleets by ``CPNID:id`` or bare id (160 otherwise)."""
    bare = fleet_vehicle_id.strip()
    if ":" in bare and bare.split(":", 1)[0].isdigit():
        bare = bare.split(":", 1)[1]
    vehicle = db.scalars(
        select(FleetVehicle)
        .join(Fleet, FleetVehicle.fleet_pk == Fleet.id)
        .where(FleetVehicle.fleet_vehicle_id == bare, Fleet.org_pk == principal.org_pk)
        .where(~FleetVehicle.deleted)
    ).first()
    if vehicle is None:
        raise CPError(ResponseCode.NO_DATA_FOUND)
    return vehicle


def update_vehicle(
    world: World, fleet_vehicle_id: str, sent: VehicleFields
) -> FleetVehicle:
    """Change only the elements sent; the type is checked on the result."""
    db, principal, now = world.db, world.caller, world.now
    vehicle = own_vehicle(db, principal, fleet_vehicle_id)
    if sent.fleet_name is not None:
        vehicle.fleet_pk = _fleet(db, principal, sent.fleet_name).id
    make = sent.make if sent.make is not None else vehicle.make
    model = sent.model if sent.model is not None else vehicle.model
    year = sent.year if sent.year is not None else str(vehicle.year)
    if (sent.make, sent.model, sent.year) != (None, None, None):
        vehicle.year, vehicle.battery_kwh, vehicle.onboard_charger_kw = vehicle_type(
            make, model, year
        )
        vehicle.make, vehicle.model = make.strip(), model.strip()
    if sent.card_serials is not None or sent.card_mifares is not None:
        cards = _cards(db, sent, vehicle.id)
        for old in db.scalars(select(Credential).where(Credential.vehicle_pk == vehicle.id)):
            old.vehicle_pk = None
        for card in cards:
            card.vehicle_pk = vehicle.id
    for attr, value in (
        ("license_plate", sent.license_plate), ("vehicle_id", sent.vehicle_id),
        ("vin", sent.vin), ("color", sent.color), ("fleet_user_id", sent.driver_id),
    ):
        if value is not None:
            setattr(vehicle, attr, value)
    if sent.port_macs is not None:
        vehicle.port_macs = list(sent.port_macs)
    vehicle.modified_at = now
    db.flush()
    return vehicle


def delete_vehicle(world: World, fleet_vehicle_id: str) -> None:
    db, principal, now = world.db, world.caller, world.now
    vehicle = own_vehicle(db, principal, fleet_vehicle_id)
    vehicle.deleted = True
    vehicle.modified_at = now
    for card in db.scalars(select(Credential).where(Credential.vehicle_pk == vehicle.id)):
        card.vehicle_pk = None
    db.flush()


def cards_of(db: Session, vehicle_pks: list[int]) -> dict[int, list[Credential]]:
    found: dict[int, list[Credential]] = {}
    statement = select(Credential).where(Credential.vehicle_pk.in_(vehicle_pks))
    for card in db.scalars(statement.order_by(Credential.id)):
        found.setdefault(card.vehicle_pk or 0, []).append(card)
    return found


@dataclass(frozen=True, slots=True)
class VehicleQuery:
    fleet_vehicle_id: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # attribute -> wanted (exact, any case)
    year: int | None = None
    credential_id: str | None = None
    org_id: str | None = None
    organization_name: str | None = None
    modified_since: datetime | None = None
    created_on: date | None = None
    charging_status: str | None = None


@dataclass(frozen=True, slots=True)
class VehicleView:
    vehicle: FleetVehicle
    fleet: Fleet
    org: Organization
    cards: tuple[str, ...]
    charging_status: str


def search_vehicles(
    world: World,
    statuses: dict[int, str],
    query: VehicleQuery,
    paging: tuple[int | None, int | None],
) -> Page[VehicleView]:
    """The caller's fleet vehicles matching ``query``, 100 a page (guide 10.4). 160 if none."""
    db, principal = world.db, world.caller
    page = PageRequest.for_operation("getFleetVehicles", *paging)
    rows = db.execute(
        select(FleetVehicle, Fleet, Organization)
        .join(Fleet, FleetVehicle.fleet_pk == Fleet.id)
        .join(Organization, Fleet.org_pk == Organization.id)
        .where(Fleet.org_pk == principal.org_pk, ~FleetVehicle.deleted)
        .order_by(FleetVehicle.id)
    ).all()
    cards = cards_of(db, [v.id for v, _, _ in rows])
    views = [
        VehicleView(v, f, o, tuple(c.credential_id for c in cards.get(v.id, [])),
                    statuses.get(v.id, "Not Plugged In"))
        for v, f, o in rows
    ]
    return filtered_page(views, lambda v: _matches(v, query), page, ResponseCode.NO_DATA_FOUND)


def _matches(view: VehicleView, q: VehicleQuery) -> bool:
    v = view.vehicle
    bare = (q.fleet_vehicle_id or "").strip()
    own = same_text(v.fleet_vehicle_id, bare) or bare.endswith(f":{v.fleet_vehicle_id}")
    if bare and not own:
        return False
    return (
        all(same_text(view.fleet.name if attr == "fleet_name" else getattr(v, attr), wanted)
            for attr, wanted in q.texts.items())
        and (q.year is None or v.year == q.year)
        and (q.credential_id is None or q.credential_id.strip() in view.cards)
        and (q.org_id is None or same_text(view.org.org_id, q.org_id))
        and (q.organization_name is None or same_text(view.org.name, q.organization_name))
        and (q.modified_since is None or v.modified_at >= q.modified_since)
        and (q.created_on is None or v.created_at.date() == q.created_on)
        and (q.charging_status is None or same_text(view.charging_status, q.charging_status))
    )


def fleet_name(db: Session, vehicle: FleetVehicle) -> str:
    fleet = db.get(Fleet, vehicle.fleet_pk)
    return fleet.name if fleet is not None else ""
