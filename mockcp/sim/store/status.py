"""Port and network status brought to an instant, and how long that status holds (issue 18).

Statuses are columns (``port.status``, ``station.network_status``) the readers read. They
change only at events: a session starts or ends, a connectivity alarm is raised, a write
(an event, a shed, a fault) sets them. So a refresh at ``now`` also records the next
instant at which any refresh could answer differently (``status_until``: the next session
start or end, the next connectivity alarm, the planned horizon). A read at ``until`` in
``[status_at, status_until)`` finds the statuses exactly as a refresh at ``until`` would
leave them, so it neither refreshes nor writes: under the live clock most reads write
nothing and take no lock.

The interval is only recorded by a read that commits right after its refresh
(``locking.publishes``); a write's transaction may change sessions after refreshing, so it
records none, and every write forgets the interval (``forget_interval``): the next read at
another instant refreshes, exactly as before this module existed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from mockcp.clock import utc
from mockcp.db.activity import Alarm, ChargingSession, WorldMeta
from mockcp.db.models import Port, Station
from mockcp.sim.store.locking import hold_world, publishes

STATUS_AT = "status_at"  # the instant the statuses were brought to (isoformat)
STATUS_UNTIL = "status_until"  # they hold until this instant ("": only at status_at)
# No plan stays plugged in longer (charging <= ~31 h at 3.3 kW + idle <= 72 h): bounds the
# status queries to recent rows, so a read costs the same whatever the length of history.
LONGEST_SESSION = timedelta(days=5)
RECENT = timedelta(days=30)
CONNECTIVITY = ("Unreachable", "Reachable")
INTERVALS = True  # False: refresh at every new instant, as before (the comparison test's old path)


def _instant(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return utc(datetime.fromisoformat(raw))
    except ValueError:
        return None


def status_fresh(meta: dict[str, str], until: datetime, stamp: str) -> bool:
    """Whether the stored statuses are those of ``until`` (``meta``: the world_meta values)."""
    if meta.get(STATUS_AT) == stamp:
        return True
    if not INTERVALS:  # the old path: fresh only at the very instant
        return False
    since, holds = _instant(meta.get(STATUS_AT)), _instant(meta.get(STATUS_UNTIL))
    return since is not None and holds is not None and since <= until < holds


def bring_status(db: Session, now: datetime, horizon: datetime | None) -> None:
    """Statuses at ``now`` (the caller holds the world lock), and how long they hold."""
    _update_network_status(db, now)
    _update_port_status(db, now)
    remember(db, STATUS_AT, now.isoformat())
    settled = publishes(db) or bool(db.info.get(_SETTLED))
    holds = next_change(db, now, horizon) if INTERVALS and settled else None
    remember(db, STATUS_UNTIL, "" if holds is None else holds.isoformat())


_SETTLED = "mockcp.status_settled"


def settles_after_refresh(db: Session) -> None:
    """Mark ``db`` as a transaction that changes no session, alarm or status after its
    refresh (a world build, which saves its image next): it may record the interval too."""
    db.info[_SETTLED] = True


def forget_interval(db: Session) -> None:
    """A write changed the world: statuses hold at ``status_at`` only (taken under the lock)."""
    hold_world(db)
    db.execute(update(WorldMeta).where(WorldMeta.key == STATUS_UNTIL).values(value=""))


def remember(db: Session, key: str, value: str) -> None:
    """Set a ``WorldMeta`` value in place (the caller holds the world lock)."""
    done = db.execute(update(WorldMeta).where(WorldMeta.key == key).values(value=value))
    if getattr(done, "rowcount", 1) == 0:
        db.execute(insert(WorldMeta).values(key=key, value=value))


def next_change(db: Session, now: datetime, horizon: datetime | None) -> datetime | None:
    """The first instant after ``now`` at which a refresh could change a status."""
    session = ChargingSession
    active = (session.start_time <= now, session.start_time > now - LONGEST_SESSION)
    found = [
        horizon,
        db.scalar(select(func.min(session.start_time)).where(session.start_time > now)),
        db.scalar(select(func.min(session.end_time)).where(*active, session.end_time > now)),
        db.scalar(
            select(func.min(Alarm.alarm_time)).where(
                Alarm.alarm_type.in_(CONNECTIVITY), Alarm.alarm_time > now
            )
        ),
    ]
    oldest = db.scalar(select(func.min(session.start_time)).where(*active, session.end_time > now))
    if oldest is not None:  # an active session leaves the status window here
        found.append(utc(oldest) + LONGEST_SESSION)
    instants = [utc(t) for t in found if t is not None]
    return min(instants) if instants else None


def _update_network_status(db: Session, now: datetime) -> None:
    """A station is Unreachable between an Unreachable alarm and the next Reachable one."""
    latest: dict[int, str] = {}
    recent = db.scalars(
        select(Alarm)
        .where(Alarm.alarm_type.in_(CONNECTIVITY), Alarm.alarm_time <= now)
        .where(Alarm.alarm_time > now - RECENT)
        .order_by(Alarm.alarm_time, Alarm.id)
    )
    for alarm in recent:
        latest[alarm.station_pk] = alarm.alarm_type
    for station in db.scalars(
        select(Station)
        .where(Station.id.in_(list(latest)), ~Station.offline)
        .execution_options(populate_existing=True)
    ):
        if station.network_status != latest[station.id]:
            station.network_status = latest[station.id]
    db.flush()


def _update_port_status(db: Session, now: datetime) -> None:
    """INUSE while a session is plugged in, else AVAILABLE; faulted (UNKNOWN) ports stay so."""
    active = {
        row.port_pk: row.start_time
        for row in db.scalars(
            select(ChargingSession).where(
                ChargingSession.start_time <= now,
                ChargingSession.start_time > now - LONGEST_SESSION,
                ChargingSession.end_time > now,
            )
        )
    }
    last_end = dict(
        db.execute(
            select(ChargingSession.port_pk, func.max(ChargingSession.end_time))
            .where(
                ChargingSession.start_time > now - RECENT,
                ChargingSession.start_time <= now,
                ChargingSession.end_time <= now,
            )
            .group_by(ChargingSession.port_pk)
        ).all()
    )
    ports = select(Port).where(Port.status.in_(["AVAILABLE", "INUSE"]))
    for port in db.scalars(ports.execution_options(populate_existing=True)):
        status = "INUSE" if port.id in active else "AVAILABLE"
        since = active.get(port.id) or last_end.get(port.id) or port.status_time
        if (port.status, port.status_time) != (status, since):
            port.status, port.status_time = status, since
    db.flush()
