"""What happens on the network: sessions, meter intervals, money, alarms, sheds; the
control plane's armed faults (its journal has a database of its own: ``db.journal_table``)."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from mockcp.db.models import Base


class ChargingSession(Base):
    """A charging session on one port; ``end_time`` None while it is active."""

    __tablename__ = "charging_session"
    # Session pages are cut in (start_time, id) order (domain.sessions): one index range;
    # transaction pages in (reported, id) order (domain.transactions), reported being
    # coalesce(reported_at, end_time): an expression index (SQLite and PostgreSQL).
    __table_args__ = (
        Index("ix_charging_session_start_id", "start_time", "id"),
        Index(
            "ix_charging_session_reported_id",
            func.coalesce(text("reported_at"), text("end_time")),
            "id",
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    port_pk: Mapped[int] = mapped_column(ForeignKey("port.id"), index=True)
    driver_pk: Mapped[int | None] = mapped_column(ForeignKey("driver.id"))
    credential_pk: Mapped[int | None] = mapped_column(ForeignKey("credential.id"))
    vehicle_pk: Mapped[int | None] = mapped_column(ForeignKey("fleet_vehicle.id"))
    start_time: Mapped[datetime] = mapped_column(index=True)
    end_time: Mapped[datetime | None]
    charging_end_time: Mapped[datetime | None]
    energy_kwh: Mapped[float] = mapped_column(default=0.0)
    start_soc: Mapped[float | None]
    end_soc: Mapped[float | None]
    ended_by: Mapped[str | None] = mapped_column(String(60))
    vehicle_make: Mapped[str | None] = mapped_column(String(60))
    vehicle_model: Mapped[str | None] = mapped_column(String(60))
    vehicle_year: Mapped[str | None] = mapped_column(String(4))
    vehicle_type: Mapped[str | None] = mapped_column(String(20))
    vehicle_port_mac: Mapped[str | None] = mapped_column(String(40))
    driver_opted_out: Mapped[bool | None]
    driver_opt_out_at: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]
    power_kw: Mapped[float] = mapped_column(default=0.0)
    flat_hours: Mapped[float] = mapped_column(default=0.0)
    taper_hours: Mapped[float] = mapped_column(default=0.0)
    # Set once a cap changed the session: the uncapped departure, and the power curve
    # as [hours since plug-in, kW] corners (power_kw/flat/taper keep the car's wish).
    planned_end: Mapped[datetime | None]
    profile: Mapped[list[list[float]] | None] = mapped_column(JSON)
    settled: Mapped[bool] = mapped_column(default=False)  # ended by an operation: not re-run
    reserved: Mapped[bool] = mapped_column(default=False)  # has a Reservation Usage Addendum


class SimPortState(Base):
    """How far the simulator has planned one port: local days done, and when it frees up."""

    __tablename__ = "sim_port_state"
    port_pk: Mapped[int] = mapped_column(ForeignKey("port.id"), primary_key=True)
    planned_through: Mapped[date]
    free_at: Mapped[datetime | None]
    sessions: Mapped[int] = mapped_column(default=0)


class MeterInterval(Base):
    """One 15-minute meter reading of a session (get15minChargingSessionData)."""

    __tablename__ = "meter_interval"
    session_pk: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("charging_session.id"), primary_key=True
    )
    start: Mapped[datetime] = mapped_column(primary_key=True)
    end: Mapped[datetime]
    energy_kwh: Mapped[float]
    peak_kw: Mapped[float]


class Transaction(Base):
    """A stored Reservation or Reservation Cancel transaction (Session transactions and usage
    addenda are computed from the sessions they bill)."""

    __tablename__ = "transaction"
    __table_args__ = (Index("ix_transaction_reported_id", "reported_at", "id"),)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    port_pk: Mapped[int] = mapped_column(ForeignKey("port.id"))
    # the reserved session; not a key: a shed may make its driver drive on
    session_pk: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    reported_at: Mapped[datetime]
    window_start: Mapped[datetime]
    window_end: Mapped[datetime | None]
    gross_amount: Mapped[float]


class Alarm(Base):
    """A station or port alarm; ``cleared_at`` set moves it to history (clearAlarms)."""

    __tablename__ = "alarm"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_pk: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    port_number: Mapped[int | None]
    alarm_type: Mapped[str] = mapped_column(String(120))
    alarm_time: Mapped[datetime]
    cleared_at: Mapped[datetime | None]
    clear_reason: Mapped[str | None] = mapped_column(String(200))


class ShedState(Base):
    """The shed in force on one port: as requested (station or port level) and its cap."""

    __tablename__ = "shed_state"
    station_pk: Mapped[int] = mapped_column(ForeignKey("station.id"), primary_key=True)
    port_number: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # group | station | port
    mode: Mapped[str] = mapped_column(String(10))  # allowed | percent
    allowed_kw: Mapped[float | None]  # the value requested (per station or per port)
    percent: Mapped[int | None]
    baseline_kw: Mapped[float | None]  # the port's power at the first shed call
    cap_kw: Mapped[float]
    started_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("station_group.id"))


class PowerCap(Base):
    """A ceiling on one port's power over a time window: the physics of sheds and events."""

    __tablename__ = "power_cap"
    id: Mapped[int] = mapped_column(primary_key=True)
    port_pk: Mapped[int] = mapped_column(ForeignKey("port.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    cap_kw: Mapped[float]
    event_pk: Mapped[int | None] = mapped_column(ForeignKey("load_shed_event.id"))
    kind: Mapped[str] = mapped_column(String(8), default="shed")  # shed | event | share


class LoadShedEvent(Base):
    """A scheduled demand-response event (createLoadShedEvent)."""

    __tablename__ = "load_shed_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_pk: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    station_pk: Mapped[int | None] = mapped_column(ForeignKey("station.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("station_group.id"))
    starts_at: Mapped[datetime]
    duration_min: Mapped[int]
    allow_opt_out: Mapped[bool] = mapped_column(default=True)
    allowed_kw_per_port: Mapped[float | None]
    percent_per_station: Mapped[float | None]
    removed: Mapped[bool] = mapped_column(default=False)


class ForcedFault(Base):
    """A fault armed through /_mock/faults (domain.forced), shared by every process.

    ``remaining`` counts down atomically (None: no count limit); ``until_wall`` and
    ``until_sim`` end it in wall or simulated time; ``probability`` fires it on a share of
    the matching calls (``seen`` numbers the calls it was asked about, for the seeded draw).
    """

    __tablename__ = "forced_fault"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    operation: Mapped[str] = mapped_column(String(80))
    org_id: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(60))
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    remaining: Mapped[int | None]
    until_wall: Mapped[datetime | None]
    until_sim: Mapped[datetime | None]
    probability: Mapped[float | None]
    latency_ms: Mapped[list[int]] = mapped_column(JSON, default=list)
    seen: Mapped[int] = mapped_column(default=0)
    fired: Mapped[int] = mapped_column(default=0)


class WorldMeta(Base):
    """Key/value facts about the loaded world (fixture, seed, watermark)."""

    __tablename__ = "world_meta"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(400))
