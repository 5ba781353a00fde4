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

from collections.abc import Mapping
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, insert, or_, select
from sqlalchemy.orm import Session

from mockcp.db.activity import Alarm, ChargingSession, PowerCap
from mockcp.db.models import Port, Station
from mockcp.sim.store.shedding import reshape_since

REDUCED, RESTORED = "Circuit Sharing Current Reduced", "Circuit Sharing Current Restored"
PASSES = 2
OR_TERMS = 200  # stations per delete: one OR term each, and SQLite's expression depth is 1000

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


def share_power(db: Session, root_seed: int, since: Mapping[int, datetime]) -> None:
    """(Re)compute the sharing windows of these Power Share stations, each from its time.

    Every station of a planning step at once: each pass reads the sessions of all their
    ports in one query, replaces their windows and alarms in one statement each, and
    reshapes their ports together (it used to cost some 30 statements per station per
    step, the largest fixed cost of planning a step). A station whose windows did not move
    in a pass is left out of the next, as before."""
    stations = db.scalars(
        select(Station).where(Station.id.in_(list(since)), Station.power_share)
        .order_by(Station.id)
    ).all()
    pairs = {
        s.id: ports for s in stations
        if len(ports := sorted(s.ports, key=lambda p: p.port_number)) == 2
    }
    stored: dict[int, list[Window]] = {}
    for _ in range(PASSES):
        found = _windows(db, pairs, since)
        moved = {pk: w for pk, w in found.items() if pk not in stored or stored[pk] != w}
        if not moved:
            break  # the stays did not move: nothing more to share
        _store(db, {pk: pairs[pk] for pk in moved}, moved, since)
        reshape_since(db, root_seed, {p.id: since[pk] for pk in moved for p in pairs[pk]})
        stored.update(moved)
        pairs = {pk: pairs[pk] for pk in moved}


def _windows(
    db: Session, pairs: Mapping[int, list[Port]], since: Mapping[int, datetime]
) -> dict[int, list[Window]]:
    """Each station's sharing windows from its time on (one query for all their ports)."""
    if not pairs:
        return {}
    station_of = {p.id: pk for pk, ports in pairs.items() for p in ports}
    rows: dict[int, list[ChargingSession]] = {pid: [] for pid in station_of}
    earliest = min(since[pk] for pk in pairs)
    for row in db.scalars(
        select(ChargingSession)
        .where(ChargingSession.port_pk.in_(list(station_of)),
               ChargingSession.end_time > earliest)
        .order_by(ChargingSession.port_pk, ChargingSession.start_time)
    ):
        if _end(row) > since[station_of[row.port_pk]]:
            rows[row.port_pk].append(row)
    return {pk: overlaps(rows[ports[0].id], rows[ports[1].id]) for pk, ports in pairs.items()}


def _store(
    db: Session, pairs: Mapping[int, list[Port]], windows: Mapping[int, list[Window]],
    since: Mapping[int, datetime],
) -> None:
    stations = list(pairs)
    sharing = Alarm.alarm_type.in_([REDUCED, RESTORED])
    for at in range(0, len(stations), OR_TERMS):  # SQLite: an expression is < 1000 deep
        part = stations[at:at + OR_TERMS]
        share = [
            (PowerCap.kind == "share") & PowerCap.port_pk.in_([p.id for p in pairs[pk]])
            & (PowerCap.ends_at > since[pk])
            for pk in part
        ]
        db.execute(delete(PowerCap).where(or_(*share)))
        db.execute(delete(Alarm).where(sharing, or_(*[
            (Alarm.station_pk == pk) & (Alarm.alarm_time >= since[pk]) for pk in part])))
    caps: list[dict[str, object]] = []
    alarms: list[dict[str, object]] = []
    for pk, ports in pairs.items():
        for lo, hi, later in windows[pk]:
            caps.extend(
                {"port_pk": p.id, "starts_at": lo, "ends_at": hi, "cap_kw": p.power_kw / 2,
                 "event_pk": None, "kind": "share"}
                for p in ports
            )
            alarms.extend(
                {"station_pk": pk, "port_number": later, "alarm_type": kind,
                 "alarm_time": at, "cleared_at": None, "clear_reason": None}
                for at, kind in ((lo, REDUCED), (hi, RESTORED))
                if at >= since[pk]
            )
    if caps:
        db.execute(insert(cast(Table, PowerCap.__table__)), caps)
    if alarms:
        db.execute(insert(cast(Table, Alarm.__table__)), alarms)
    db.flush()
