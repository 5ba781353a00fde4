"""When each station last talked to the cloud: getStationStatus's port ``TimeStamp`` (guide 7.2).

Guide 7.2.3: "TimeStamp: Timestamp of the last communication between the station and
ChargePoint". A reachable station reports on its heartbeat, every ``HEARTBEAT`` on a
phase of its own (derived from the root seed and the station), and whenever a port
changes state; an unreachable station says nothing, so its time stays frozen at the
moment it went silent (its last Unreachable alarm; a station offline from the start
keeps the time it was last heard of in the fixture).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mockcp.db.activity import Alarm
from mockcp.domain.context import World
from mockcp.domain.stations.rows import PortRow, StationRow
from mockcp.rng import derive_seed

# A report every 15 minutes, the cadence of the guide's interval data (6.2, 15-minute
# buckets); ChargePoint publishes no heartbeat period (docs/fidelity-clients.md).
HEARTBEAT = timedelta(minutes=15)
_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def last_beat(root_seed: int, station_id: str, now: datetime) -> datetime:
    """The station's latest heartbeat at or before ``now``."""
    phase = timedelta(seconds=derive_seed(root_seed, "heartbeat", station_id) % 900)
    since = _aware(now) - (_ANCHOR + phase)
    return _aware(now) - since % HEARTBEAT


def unreachable(station: StationRow) -> bool:
    return station.offline or station.network_status.lower() == "unreachable"


def went_silent(db: Session, stations: Sequence[StationRow], now: datetime) -> dict[int, datetime]:
    """Per unreachable station (pk): when it was last heard of."""
    silent = [s for s in stations if unreachable(s)]
    if not silent:
        return {}
    latest = dict(
        db.execute(
            select(Alarm.station_pk, func.max(Alarm.alarm_time))
            .where(Alarm.station_pk.in_([s.id for s in silent]))
            .where(Alarm.alarm_type == "Unreachable", Alarm.alarm_time <= now)
            .group_by(Alarm.station_pk)
        ).all()
    )
    found: dict[int, datetime] = {}
    for station in silent:
        at = latest.get(station.id) or station.last_communication
        if at is not None:
            found[station.id] = at
    return found


def port_time_stamps(world: World, stations: Sequence[StationRow]) -> dict[int, datetime]:
    """Per port (pk): the last communication its station had with the cloud about it."""
    db, root_seed, now = world.db, world.seed, world.now
    silent = went_silent(db, stations, now)
    stamps: dict[int, datetime] = {}
    for station in stations:
        frozen = silent.get(station.id)
        beat = last_beat(root_seed, station.station_id, now)
        for port in station.ports:
            stamps[port.id] = frozen if frozen is not None else _latest(beat, port)
    return stamps


def _latest(beat: datetime, port: PortRow) -> datetime:
    changed = port.status_time
    if changed is None or _aware(changed) <= beat:
        return beat
    return changed
