"""The data model of the whole ChargePoint domain (SQLAlchemy 2, ``Mapped[...]``).

Later issues add behaviour, not tables. Wire identifiers are kept as ChargePoint
prints them (``stationID`` "1:33923", ``orgID`` "1:ORG08313"); integer primary
keys are internal and give every listing a stable order.

The table modules (this one, activity, people, world_state) do without ``from __future__
import annotations``: Python evaluates each ``Mapped[...]`` as the class is made, where
SQLAlchemy would otherwise eval every string one by one at import (issue 18: a start's
import). A class named before it is defined is quoted (``Mapped[list["Port"]]``).
"""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime, TypeDecorator

from mockcp.clock import utc


class UtcDateTime(TypeDecorator[datetime]):
    """A datetime stored naive in UTC and always read back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else utc(value)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime}


class CpnInstance(Base):
    """A ChargePoint network instance (getCPNInstances: 1 USA, 2 EU, 3 AU, 4 CA)."""

    __tablename__ = "cpn_instance"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200))


class Organization(Base):
    """An organisation: owns stations and groups, holds API credentials."""

    __tablename__ = "organization"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    company_id: Mapped[str] = mapped_column(String(40))
    cpn_id: Mapped[int] = mapped_column(ForeignKey("cpn_instance.id"))
    main_phone: Mapped[str | None] = mapped_column(String(40))
    currency_code: Mapped[str] = mapped_column(String(3), default="USD")
    plan: Mapped[str] = mapped_column(String(20), default="enterprise")
    credentials: Mapped[list["ApiCredential"]] = relationship(back_populates="org")


class ApiCredential(Base):
    """An API licence key and password; each belongs to exactly one organisation."""

    __tablename__ = "api_credential"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    license_key: Mapped[str] = mapped_column(String(80), unique=True)
    password: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    org: Mapped[Organization] = relationship(back_populates="credentials")


class StationGroup(Base):
    """A custom station group; ``parent_id`` None means top level (parentGroupID "0")."""

    __tablename__ = "station_group"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("station_group.id"))


class GroupMember(Base):
    """A station's membership of a custom group (a station may be in several)."""

    __tablename__ = "group_member"
    group_id: Mapped[int] = mapped_column(ForeignKey("station_group.id"), primary_key=True)
    station_pk: Mapped[int] = mapped_column(ForeignKey("station.id"), primary_key=True)


class Station(Base):
    """A charging station with every field the 5.1 getStations response can carry."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(String(40), unique=True)
    cpn_id: Mapped[int] = mapped_column(ForeignKey("cpn_instance.id"))
    org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(400), default="-")
    manufacturer: Mapped[str] = mapped_column(String(80))
    model: Mapped[str] = mapped_column(String(80))
    mac_address: Mapped[str] = mapped_column(String(40))
    serial_number: Mapped[str] = mapped_column(String(40))
    activation_date: Mapped[datetime | None]
    address: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(20))
    latitude: Mapped[float]
    longitude: Mapped[float]
    timezone_offset: Mapped[str] = mapped_column(String(10))
    timezone_name: Mapped[str] = mapped_column(String(60), default="UTC")
    currency_code: Mapped[str] = mapped_column(String(3), default="USD")
    main_phone: Mapped[str | None] = mapped_column(String(40))
    site_type: Mapped[str] = mapped_column(String(20), default="public")
    is_public: Mapped[bool] = mapped_column(default=True)
    modified_at: Mapped[datetime | None]
    driver_name: Mapped[str | None] = mapped_column(String(200))
    driver_address: Mapped[str | None] = mapped_column(String(300))
    driver_email: Mapped[str | None] = mapped_column(String(200))
    driver_phone: Mapped[str | None] = mapped_column(String(40))
    warranty_expiration: Mapped[datetime | None]
    warranty_service: Mapped[str | None] = mapped_column(String(40))
    service_plan_expiry: Mapped[date | None]
    demo_serial: Mapped[str | None] = mapped_column(String(40))
    site_validated: Mapped[bool | None]
    site_validation_date: Mapped[datetime | None]
    wan_ip: Mapped[str | None] = mapped_column(String(45))
    network_status: Mapped[str] = mapped_column(String(20), default="Reachable")
    offline: Mapped[bool] = mapped_column(default=False)  # a station that never comes back
    firmware: Mapped[str] = mapped_column(String(40))
    reception: Mapped[int | None]
    radio_group_id: Mapped[str | None] = mapped_column(String(40))
    provision_status: Mapped[str] = mapped_column(String(20), default="Provisioned")
    provision_date: Mapped[datetime | None]
    admin_status: Mapped[str] = mapped_column(String(20), default="Active")
    last_communication: Mapped[datetime | None]
    supports_absolute_shed: Mapped[bool] = mapped_column(default=True)
    supports_port_shed: Mapped[bool] = mapped_column(default=True)
    panel_sharing: Mapped[bool] = mapped_column(default=False)
    power_share: Mapped[bool] = mapped_column(default=False)
    waitlist_enabled: Mapped[bool] = mapped_column(default=False)
    waitlist_mode: Mapped[str] = mapped_column(String(4), default="I")  # Waitlist policy I/II
    waitlist_timeout_min: Mapped[int] = mapped_column(default=15)
    max_station_kw: Mapped[float]
    ports: Mapped[list["Port"]] = relationship(order_by="Port.port_number")


class Port(Base):
    """One port (outlet) of a station: connector, level or mode, electrical rating."""

    __tablename__ = "port"
    __table_args__ = (UniqueConstraint("station_pk", "port_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    station_pk: Mapped[int] = mapped_column(ForeignKey("station.id"))
    port_number: Mapped[int]
    connector: Mapped[str] = mapped_column(String(40))
    connector_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[str | None] = mapped_column(String(4))
    mode: Mapped[str | None] = mapped_column(String(4))
    voltage: Mapped[int]
    current: Mapped[int]
    power_kw: Mapped[float]
    reservable: Mapped[bool] = mapped_column(default=False)
    latitude: Mapped[float]
    longitude: Mapped[float]
    status: Mapped[str] = mapped_column(String(20), default="AVAILABLE")
    status_time: Mapped[datetime | None]
    fault_reason: Mapped[str | None] = mapped_column(String(200))
    station: Mapped[Station] = relationship(back_populates="ports")


class RightsProfile(Base):
    """A named station-rights profile (e.g. network_manager) and its task list."""

    __tablename__ = "rights_profile"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    tasks: Mapped[list[list[str]]] = mapped_column(JSON, default=list)


class RightsGrant(Base):
    """Rights granted by an owner organisation to a grantee, on a station or a group."""

    __tablename__ = "rights_grant"
    id: Mapped[int] = mapped_column(primary_key=True)
    grantee_org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("station_group.id"))
    station_pk: Mapped[int | None] = mapped_column(ForeignKey("station.id"))
    profile: Mapped[str] = mapped_column(ForeignKey("rights_profile.name"))


class PricingRule(Base):
    """One pricing window of a station (pricingSpecification; at most two per station)."""

    __tablename__ = "pricing_rule"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_pk: Mapped[int] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="Session")
    start_time: Mapped[str] = mapped_column(String(8), default="00:00:00")
    end_time: Mapped[str] = mapped_column(String(8), default="23:59:59")
    min_price: Mapped[float | None]
    max_price: Mapped[float | None]
    initial_duration_min: Mapped[int | None]
    per_hour: Mapped[float | None]
    per_hour_thereafter: Mapped[float | None]
    per_session: Mapped[float | None]
    per_kwh: Mapped[float | None]
    idle_fee_per_hour: Mapped[float | None]
    session_time: Mapped[str | None] = mapped_column(String(20))
