"""Loads a fixture mapping (``mockcp/data/fixtures/*.yaml``) into a Session, through the ORM."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from sqlalchemy.orm import Session

from mockcp.data import FIXTURES as FIXTURES  # re-exported: tests read the packaged worlds
from mockcp.db.models import (
    ApiCredential,
    CpnInstance,
    GroupMember,
    Organization,
    Port,
    PricingRule,
    RightsGrant,
    RightsProfile,
    Station,
    StationGroup,
)
from mockcp.db.people import (
    Credential,
    Driver,
    DriverConnection,
    Fleet,
    FleetVehicle,
    ManagementRealm,
)

STATION_DEFAULTS: dict[str, Any] = {
    "manufacturer": "ChargePoint",
    "description": "-",
    "firmware": "4.1.2.27",
    "currency_code": "USD",
    "network_status": "Reachable",
    "warranty_service": "None",  # guide 7.1.5 names (issue 11)
}


SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FixtureError(ValueError):
    """A fixture that does not describe a valid world."""


def read_fixture(path: Traversable) -> dict[str, Any]:
    # libyaml's safe loader when PyYAML has it (the wheels do): the pure-Python one was a
    # quarter of building the minimal world, which the test suite does hundreds of times
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    if not isinstance(data, dict):
        raise FixtureError(f"{path}: a fixture is a mapping of sections")
    return data


def load(db: Session, data: dict[str, Any], epoch: datetime) -> None:
    """Add every entity of ``data`` to ``db``; ``epoch`` stamps creation times."""
    for row in data.get("cpn_instances", []):
        db.add(CpnInstance(**row))
    for name, tasks in data.get("rights_profiles", {}).items():
        db.add(RightsProfile(name=name, tasks=[list(task) for task in tasks]))
    organizations = data.get("organizations", [])
    orgs = {row["org_id"]: _org(db, row) for row in organizations}
    db.flush()  # one batched insert of every organisation, then their credentials
    for row in organizations:
        org = orgs[row["org_id"]]
        db.add(ApiCredential(org_pk=org.id, license_key=row["license_key"],
                             password=row["password"]))  # fmt: skip
    for row in data.get("groups", []):
        db.add(
            StationGroup(
                id=row["id"],
                org_pk=_get(orgs, row["org"]).id,
                name=row["name"],
                parent_id=row.get("parent"),
            )
        )
    db.flush()
    rows = data.get("stations", [])
    stations = {row["station_id"]: _station(db, row, orgs, epoch) for row in rows}
    db.flush()  # one batched insert of every station (their ids, in fixture order)
    for row in rows:
        _station_parts(db, row, stations[row["station_id"]], epoch)
    for row in data.get("rights", []):
        station = stations[row["station"]].id if "station" in row else None
        db.add(
            RightsGrant(
                grantee_org_pk=_get(orgs, row["grantee"]).id,
                group_id=row.get("group"),
                station_pk=station,
                profile=row["profile"],
            )
        )
    for row in data.get("pricing", []):
        fields = {k: v for k, v in row.items() if k != "station"}
        db.add(PricingRule(station_pk=_get(stations, row["station"]).id, **fields))
    drivers = [(row, _driver(db, row, epoch, stations)) for row in data.get("drivers", [])]
    db.flush()  # one batched insert of every driver
    for row, driver in drivers:
        _driver_parts(db, row, driver, orgs, epoch)
    for row in data.get("fleets", []):
        _fleet(db, row, orgs, epoch)
    db.flush()


def _get(index: dict[str, Any], key: str) -> Any:
    if key not in index:
        raise FixtureError(f"unknown reference {key!r}")
    return index[key]


def _org(db: Session, row: dict[str, Any]) -> Organization:
    org = Organization(
        org_id=row["org_id"],
        name=row["name"],
        company_id=row["company_id"],
        cpn_id=row.get("cpn_id", 1),
        main_phone=row.get("main_phone"),
        currency_code=row.get("currency_code", "USD"),
    )
    db.add(org)
    return org


def _station(
    db: Session, row: dict[str, Any], orgs: dict[str, Organization], epoch: datetime
) -> Station:
    fields = {
        **STATION_DEFAULTS,
        **{k: v for k, v in row.items() if k not in {"org", "groups", "ports"}},
    }
    ports = row.get("ports", [])
    fields.setdefault("max_station_kw", sum(p["power_kw"] for p in ports))
    fields.setdefault("activation_date", epoch - timedelta(days=400))
    fields.setdefault("provision_date", epoch - timedelta(days=410))
    fields.setdefault("modified_at", epoch - timedelta(days=30))
    fields.setdefault("last_communication", epoch)
    validated_days_ago = fields.pop("site_validation_day", None)  # issue 11: 7.1.3
    if validated_days_ago is not None:
        fields["site_validation_date"] = epoch - timedelta(days=validated_days_ago)
    fields.setdefault("warranty_expiration", epoch + timedelta(days=330))
    station = Station(
        org_pk=_get(orgs, row["org"]).id,
        cpn_id=int(row["station_id"].split(":")[0]),
        **fields,
    )
    db.add(station)
    return station


def _station_parts(db: Session, row: dict[str, Any], station: Station, epoch: datetime) -> None:
    """A flushed station's ports and group memberships."""
    for port in row.get("ports", []):
        db.add(
            Port(
                station_pk=station.id,
                latitude=station.latitude,
                longitude=station.longitude,
                status_time=epoch,
                **port,
            )
        )
    for group_id in row.get("groups", []):
        db.add(GroupMember(group_id=group_id, station_pk=station.id))


def _driver(
    db: Session, row: dict[str, Any], epoch: datetime, stations: dict[str, Station]
) -> Driver:
    home = row.get("home_station")
    driver = Driver(
        home_station_pk=_get(stations, home).id if home else None,
        user_id=row["user_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        modified_at=epoch - timedelta(days=7),
    )
    db.add(driver)
    return driver


def _driver_parts(
    db: Session, row: dict[str, Any], driver: Driver, orgs: dict[str, Organization],
    epoch: datetime,
) -> None:
    """A flushed driver's connections, management realms and cards."""
    for conn in row.get("connections", []):
        db.add(
            DriverConnection(
                driver_pk=driver.id,
                org_pk=_get(orgs, conn["org"]).id,
                status=conn["status"],
                requested_at=epoch - timedelta(days=60),
                custom_info=conn.get("custom_info", {}),
            )
        )
    for realm in row.get("realms", []):
        signup = epoch - timedelta(days=90) if realm["status"] == "APPROVED" else None
        db.add(
            ManagementRealm(
                driver_pk=driver.id,
                org_pk=_get(orgs, realm["org"]).id,
                status=realm["status"],
                signup_at=signup,
            )
        )
    for card in row.get("cards", []):
        db.add(Credential(credential_id=card, driver_pk=driver.id, serial_number=card))


def _fleet(
    db: Session, row: dict[str, Any], orgs: dict[str, Organization], epoch: datetime
) -> None:
    fleet = Fleet(
        org_pk=_get(orgs, row["org"]).id,
        name=row["name"],
        depot_group_id=row.get("depot_group"),
    )
    db.add(fleet)
    db.flush()
    for vehicle in row.get("vehicles", []):
        fields = {k: v for k, v in vehicle.items() if k != "cards"}
        created = epoch - timedelta(days=120)
        entity = FleetVehicle(fleet_pk=fleet.id, created_at=created, modified_at=created, **fields)
        db.add(entity)
        db.flush()
        for card in vehicle.get("cards", []):
            db.add(Credential(credential_id=card, vehicle_pk=entity.id, serial_number=card))
