"""Stations and their ports as plain rows, read with Core selects (issue 18: large pages).

The searches read every station of a realm (and its ports) to filter them in Python. As ORM
objects each one costs an identity-map entry, an instance state and instrumented attributes;
as these named tuples it costs the driver's tuple and one copy. A row has every column of its
table under the ORM attribute's name, so code that reads a ``Station`` reads a ``StationRow``
alike (``tests/domain/test_station_rows.py`` keeps the two in step). Rows are immutable
snapshots of one request: nothing writes through them.

``REFERENCE`` (tests only) loads ORM objects instead, the path these rows replaced, so a test
can compare the two answer for answer (``tests/soap/test_page_paths.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mockcp.db.models import Port, Station

# Past this many stations a set is read whole and filtered here rather than named in an IN
# list (a bound on the statement's parameters; such a realm is most of the world anyway).
IN_LIST_LIMIT = 2000


class PortRow(NamedTuple):
    """Every column of ``port``."""

    id: int
    station_pk: int
    port_number: int
    connector: str
    connector_labels: list[str]
    level: str | None
    mode: str | None
    voltage: int
    current: int
    power_kw: float
    reservable: bool
    latitude: float
    longitude: float
    status: str
    status_time: datetime | None
    fault_reason: str | None


class StationRow(NamedTuple):
    """Every column of ``station``, and its ports in port-number order (``Station.ports``)."""

    id: int
    station_id: str
    cpn_id: int
    org_pk: int
    name: str
    description: str
    manufacturer: str
    model: str
    mac_address: str
    serial_number: str
    activation_date: datetime | None
    address: str
    city: str
    state: str
    country: str
    postal_code: str
    latitude: float
    longitude: float
    timezone_offset: str
    timezone_name: str
    currency_code: str
    main_phone: str | None
    site_type: str
    is_public: bool
    modified_at: datetime | None
    driver_name: str | None
    driver_address: str | None
    driver_email: str | None
    driver_phone: str | None
    warranty_expiration: datetime | None
    warranty_service: str | None
    service_plan_expiry: date | None
    demo_serial: str | None
    site_validated: bool | None
    site_validation_date: datetime | None
    wan_ip: str | None
    network_status: str
    offline: bool
    firmware: str
    reception: int | None
    radio_group_id: str | None
    provision_status: str
    provision_date: datetime | None
    admin_status: str
    last_communication: datetime | None
    supports_absolute_shed: bool
    supports_port_shed: bool
    panel_sharing: bool
    power_share: bool
    waitlist_enabled: bool
    waitlist_mode: str
    waitlist_timeout_min: int
    max_station_kw: float
    ports: tuple[PortRow, ...]


def _columns(row_type: Any, table: Any) -> list[Any]:
    return [table.c[name] for name in row_type._fields if name != "ports"]


# Plain Core (table columns, not ORM attributes): the result skips the ORM's loading layer.
STATIONS: Any = Station.__table__
PORTS: Any = Port.__table__
STATION_COLUMNS = _columns(StationRow, STATIONS)
PORT_COLUMNS = _columns(PortRow, PORTS)

# Tests only: load ORM objects (the replaced path) to compare answers with these rows.
REFERENCE = False


def stations_among(db: Session, station_pks: frozenset[int]) -> Sequence[StationRow]:
    """These stations with their ports, in station order."""
    if REFERENCE:
        return _orm(db, station_pks)
    statement = select(*STATION_COLUMNS).order_by(STATIONS.c.id)
    if len(station_pks) > IN_LIST_LIMIT:  # read whole, filtered here
        ports = _ports(db, None)
        wanted = (row for row in db.execute(statement).all() if row[0] in station_pks)
        return [StationRow._make((*row, ports.get(row[0], ()))) for row in wanted]
    ports = _ports(db, station_pks)
    found = db.execute(statement.where(STATIONS.c.id.in_(station_pks))).all()
    return [StationRow._make((*row, ports.get(row[0], ()))) for row in found]


def public_stations(db: Session) -> Sequence[StationRow]:
    """Every public station with its ports, in station order."""
    if REFERENCE:
        return _orm(db, None)
    ports = _ports(db, None)
    statement = select(*STATION_COLUMNS).where(STATIONS.c.is_public.is_(True))
    statement = statement.order_by(STATIONS.c.id)
    return [StationRow._make((*row, ports.get(row[0], ()))) for row in db.execute(statement).all()]


def _ports(db: Session, station_pks: frozenset[int] | None) -> dict[int, tuple[PortRow, ...]]:
    """Station pk -> its ports in port-number order; None: every station's."""
    statement = select(*PORT_COLUMNS).order_by(PORTS.c.station_pk, PORTS.c.port_number)
    if station_pks is not None:
        statement = statement.where(PORTS.c.station_pk.in_(station_pks))
    grouped: dict[int, list[PortRow]] = {}
    for row in db.execute(statement).all():
        grouped.setdefault(row[1], []).append(PortRow._make(row))
    return {pk: tuple(ports) for pk, ports in grouped.items()}


def _orm(db: Session, station_pks: frozenset[int] | None) -> Sequence[StationRow]:
    statement = select(Station).options(selectinload(Station.ports)).order_by(Station.id)
    if station_pks is None:
        found: Any = db.scalars(statement.where(Station.is_public.is_(True))).all()
    elif len(station_pks) <= IN_LIST_LIMIT:
        found = db.scalars(statement.where(Station.id.in_(station_pks))).all()
    else:
        found = [s for s in db.scalars(statement) if s.id in station_pks]
    return found  # type: ignore[no-any-return]
