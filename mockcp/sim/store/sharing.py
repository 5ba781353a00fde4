"""Power Share on dual-port stations: two cars plugged in share one circuit (domain.md 4.5).

One car alone gets its port's full power; while both ports have a car plugged in, each port
is held to half its rating (7.2 kW -> 3.6 kW each). The sharing is stored as ``PowerCap``
windows of kind ``share`` and applied like any cap, so getLoad, the 15-minute data and the
session totals all show it; each window is announced by the real alarm pair "Circuit Sharing
Current Reduced" (on the port whose car arrived second) and "Circuit Sharing Current
Restored". Overlaps are computed from the sessions' departures in two passes: once from the
planned stays, once more from the stays the first pass produced (a shared car may stay on
to finish charging).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from mockcp.db.activity import Alarm, ChargingSession, PowerCap
from mockcp.db.models import Port, Station
from mockcp.sim.store.shedding import reshape_ports

REDUCED, RESTORED = "Circuit Sharing Current Reduced", "Circuit Sharing Current Restored"
PASSES = 2

Window = tuple[datetime, datetime, int]  # (from, to, port number of the second arrival)


def overlaps(first: list[ChargingSession], second: list[ChargingSession]) -> list[Window]:
    """Intervals in which a session of each port is plugged in (both lists by start).

    Sessions on one port never overlap, so one sweep over both lists finds every pair.
    """
    found: list[Window] = []
    i = j = 0
    while i < len(first) and j < len(second):
        a, b = first[i], second[j]
        lo, hi = max(a.start_time, b.start_time), min(_end(a), _end(b))
        if lo < hi:
            found.append((lo, hi, 2 if b.start_time >= a.start_time else 1))
        if _end(a) <= _end(b):
            i += 1
        else:
            j += 1
    return found


def _end(row: ChargingSession) -> datetime:
    return row.end_time or row.start_time


def share_power(db: Session, root_seed: int, station_pks: Iterable[int], since: datetime) -> None:
    """(Re)compute the sharing windows of these Power Share stations from ``since`` on."""
    stations = db.scalars(
        select(Station).where(Station.id.in_(list(station_pks)), Station.power_share)
    ).all()
    for station in stations:
        ports = sorted(station.ports, key=lambda p: p.port_number)
        if len(ports) != 2:
            continue
        stored: list[Window] | None = None
        for _ in range(PASSES):
            windows = _windows(db, ports, since)
            if windows == stored:
                break  # the stays did not move: nothing more to share
            _store(db, station, ports, windows, since)
            reshape_ports(db, root_seed, [p.id for p in ports], since)
            stored = windows


def _windows(db: Session, ports: list[Port], since: datetime) -> list[Window]:
    rows = [
        db.scalars(
            select(ChargingSession)
            .where(ChargingSession.port_pk == port.id, ChargingSession.end_time > since)
            .order_by(ChargingSession.start_time)
        ).all()
        for port in ports
    ]
    return overlaps(list(rows[0]), list(rows[1]))


def _store(
    db: Session, station: Station, ports: list[Port], windows: list[Window], since: datetime
) -> None:
    pks = [p.id for p in ports]
    share = (PowerCap.kind == "share") & PowerCap.port_pk.in_(pks)
    db.execute(delete(PowerCap).where(share, PowerCap.ends_at > since))
    db.execute(
        delete(Alarm).where(
            Alarm.station_pk == station.id,
            Alarm.alarm_type.in_([REDUCED, RESTORED]),
            Alarm.alarm_time >= since,
        )
    )
    caps: list[dict[str, object]] = []
    alarms: list[dict[str, object]] = []
    for lo, hi, later in windows:
        caps.extend(
            {"port_pk": p.id, "starts_at": lo, "ends_at": hi, "cap_kw": p.power_kw / 2,
             "event_pk": None, "kind": "share"}
            for p in ports
        )
        alarms.extend(
            {"station_pk": station.id, "port_number": later, "alarm_type": kind,
             "alarm_time": at, "cleared_at": None, "clear_reason": None}
            for at, kind in ((lo, REDUCED), (hi, RESTORED))
            if at >= since
        )
    if caps:
        db.execute(insert(cast(Table, PowerCap.__table__)), caps)
    if alarms:
        db.execute(insert(cast(Table, Alarm.__table__)), alarms)
    db.flush()
