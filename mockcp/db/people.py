"""Drivers, their connections and credentials; fleets, vehicles and cards."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mockcp.db.models import Base


class Driver(Base):
    """A driver (getUsers userData): identity and the home station of home programs."""

    __tablename__ = "driver"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200))
    home_station_pk: Mapped[int | None] = mapped_column(ForeignKey("station.id"))
    modified_at: Mapped[datetime]


class DriverConnection(Base):
    """A driver's connection to an organisation (APPROVED, NOT CONNECTED, REJECTED, PENDING)."""

    __tablename__ = "driver_connection"
    id: Mapped[int] = mapped_column(primary_key=True)
    driver_pk: Mapped[int] = mapped_column(ForeignKey("driver.id"))
    org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    status: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime | None]
    custom_info: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class ManagementRealm(Base):
    """A driver's membership of an organisation's management realm (APPROVED, NOT MANAGED)."""

    __tablename__ = "management_realm"
    id: Mapped[int] = mapped_column(primary_key=True)
    driver_pk: Mapped[int] = mapped_column(ForeignKey("driver.id"))
    org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    status: Mapped[str] = mapped_column(String(20))
    signup_at: Mapped[datetime | None]


class Credential(Base):
    """A driver or fleet credential: RFID card serial, MIFARE ID, or app credential."""

    __tablename__ = "credential"
    id: Mapped[int] = mapped_column(primary_key=True)
    credential_id: Mapped[str] = mapped_column(String(40), unique=True)
    driver_pk: Mapped[int | None] = mapped_column(ForeignKey("driver.id"))
    vehicle_pk: Mapped[int | None] = mapped_column(ForeignKey("fleet_vehicle.id"))
    serial_number: Mapped[str | None] = mapped_column(String(40))
    mifare_id: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default="RFID")


class Fleet(Base):
    """A named fleet of an organisation."""

    __tablename__ = "fleet"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[str] = mapped_column(String(100))
    depot_group_id: Mapped[int | None] = mapped_column(ForeignKey("station_group.id"))


class FleetVehicle(Base):
    """A fleet vehicle (getFleetVehicles row) with its charging characteristics."""

    __tablename__ = "fleet_vehicle"
    id: Mapped[int] = mapped_column(primary_key=True)
    fleet_vehicle_id: Mapped[str] = mapped_column(String(40), unique=True)
    fleet_pk: Mapped[int] = mapped_column(ForeignKey("fleet.id"))
    vehicle_id: Mapped[str] = mapped_column(String(40))
    vin: Mapped[str | None] = mapped_column(String(17))
    license_plate: Mapped[str | None] = mapped_column(String(20))
    color: Mapped[str | None] = mapped_column(String(40))
    make: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(60))
    year: Mapped[int]
    fleet_user_id: Mapped[str | None] = mapped_column(String(40))
    battery_kwh: Mapped[float]
    onboard_charger_kw: Mapped[float]
    port_macs: Mapped[list[str]] = mapped_column(JSON, default=list)
    telematics_provider: Mapped[str | None] = mapped_column(String(60))
    telematics_status: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]
    modified_at: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(default=False)
