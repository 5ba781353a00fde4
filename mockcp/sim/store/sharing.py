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

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, or_, select
from sqlalchemy.orm import Session

from mockcp.db.activity import Alarm, ChargingSession, PowerCap
from mockcp.db.models import Port, Station
from mockcp.sim.store.rows import SessionRow, insert_dicts
from mockcp.sim.store.shedding import Session_, reshape_rows

REDUCED, RESTORED = "Circuit Sharing Current Reduced", "Circuit Sharing Current Restored"
PASSES = 2
OR_TERMS = 200  # stations per delete: one OR term each, and SQLite's expression depth is 1000

Window = tuple[datetime, datetime, int]  # (from, to, port number of the second arrival)


def overlaps(first: Sequence[Session_], second: Sequence[Session_]) -> list[Window]:
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


def _end(row: Session_) -> datetime:
    return row.end_time or row.start_time


def share_power(
    db: Session, root_seed: int, since: Mapping[int, datetime],
    planned: Sequence[SessionRow] = (),
) -> set[int]:
    """(Re)compute the sharing windows of these Power Share stations, each from its time;
    the IDs of the ``planned`` rows dropped (a driver who found the port still busy).

    ``planned``: the rows of a planning step, not inserted yet: they are shared and reshaped
    in memory together with the stored sessions (read once), and inserted after, as they
    came out (it used to insert them, read them back twice a pass and update them).
    Every station of a planning step at once: each pass replaces their windows and alarms in
    one statement each and reshapes their ports together. A station whose windows did not
    move in a pass is left out of the next."""
    stations = db.scalars(
        select(Station).where(Station.id.in_(list(since)), Station.power_share)
        .order_by(Station.id)
    ).all()
    pairs = {
        s.id: ports for s in stations
        if len(ports := sorted(s.ports, key=lambda p: p.port_number)) == 2
    }
    rows = _sessions(db, pairs, since, planned)
    dropped: set[int] = set()

    def drop(row: Session_) -> None:
        rows[row.port_pk].remove(row)
        if isinstance(row, ChargingSession):
            db.delete(row)
        else:
            dropped.add(row.id)

    stored: dict[int, list[Window]] = {}
    for _ in range(PASSES):
        found = _windows(rows, pairs, since)
        moved = {pk: w for pk, w in found.items() if pk not in stored or stored[pk] != w}
        if not moved:
            break  # the stays did not move: nothing more to share
        _store(db, {pk: pairs[pk] for pk in moved}, moved, since)
        again = {p.id: since[pk] for pk in moved for p in pairs[pk]}
        reshape_rows(db, root_seed, again, {pk: list(rows[pk]) for pk in again}, drop)
        stored.update(moved)
        pairs = {pk: pairs[pk] for pk in moved}
    return dropped


def _sessions(
    db: Session, pairs: Mapping[int, list[Port]], since: Mapping[int, datetime],
    planned: Sequence[SessionRow],
) -> dict[int, list[Session_]]:
    """port pk -> its sessions that end after its station's time, stored (one query for all
    the ports) and planned, in start order."""
    station_of = {p.id: pk for pk, ports in pairs.items() for p in ports}
    rows: dict[int, list[Session_]] = {pid: [] for pid in station_of}
    if not pairs:
        return rows
    earliest = min(since[pk] for pk in pairs)
    for row in db.scalars(
        select(ChargingSession)
        .where(ChargingSession.port_pk.in_(list(station_of)),
               ChargingSession.end_time > earliest)
    ):
        rows[row.port_pk].append(row)
    for new in planned:
        if new.port_pk in rows:
            rows[new.port_pk].append(new)
    for pid, found in rows.items():
        limit = since[station_of[pid]]
        found[:] = sorted((r for r in found if _end(r) > limit), key=_order)
    return rows


def _order(row: Session_) -> tuple[datetime, int]:
    return row.start_time, row.id


def _windows(
    rows: Mapping[int, list[Session_]], pairs: Mapping[int, list[Port]],
    since: Mapping[int, datetime],
) -> dict[int, list[Window]]:
    """Each station's sharing windows from its time on, from its ports' sessions now."""
    found = {}
    for pk, (one, two) in pairs.items():
        first = [r for r in rows[one.id] if _end(r) > since[pk]]
        second = [r for r in rows[two.id] if _end(r) > since[pk]]
        found[pk] = overlaps(first, second)
    return found


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
    insert_dicts(db, cast(Table, PowerCap.__table__), caps)
    insert_dicts(db, cast(Table, Alarm.__table__), alarms)
    db.flush()
