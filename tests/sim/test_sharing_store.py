"""Power Share replaces the windows of more stations at once than SQLite's expression depth
(1000) allows in one OR: a 6,000-station world's planning step reshares some 1,500 stations
(bench/bench_targets.py found it: the world failed to build with "Expression tree is too
large")."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session

from mockcp.db.activity import Alarm, PowerCap
from mockcp.db.models import Base
from mockcp.sim.store import sharing

SINCE = datetime(2024, 3, 12, 17, tzinfo=UTC)
STATIONS = 1_050  # more than 1000 OR terms, and not a multiple of the chunk


def test_windows_and_alarms_of_many_stations_are_replaced_in_one_call() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    pairs: dict[int, Any] = {
        pk: [SimpleNamespace(id=2 * pk, power_kw=7.2), SimpleNamespace(id=2 * pk + 1, power_kw=7.2)]
        for pk in range(1, STATIONS + 1)
    }
    since = {pk: SINCE + timedelta(minutes=pk % 7) for pk in pairs}
    later, earlier = timedelta(hours=1), timedelta(hours=-1)
    caps, alarms = [], []
    for pk in [*pairs, STATIONS + 1]:  # the last station is not resharing: kept
        caps += [{"port_pk": port, "starts_at": SINCE - timedelta(hours=2), "ends_at": SINCE + ends,
                  "cap_kw": 3.6, "kind": kind, "event_pk": None}
                 for port in (2 * pk, 2 * pk + 1)
                 for kind, ends in (("share", later), ("share", earlier), ("shed", later))
                 ]  # fmt: skip
        alarms += [{"station_pk": pk, "alarm_type": kind, "alarm_time": SINCE + at}
                   for kind, at in ((sharing.REDUCED, later), (sharing.RESTORED, earlier),
                                    ("Ground Fault", later))]  # fmt: skip
    new = (SINCE + timedelta(hours=2), SINCE + timedelta(hours=3), 2)
    with Session(engine) as db:
        db.execute(insert(PowerCap), caps)
        db.execute(insert(Alarm), alarms)
        sharing._store(db, pairs, {pk: [new] for pk in pairs}, since)
        by_port: dict[int, list[tuple[str, datetime | None]]] = defaultdict(list)
        rows = db.execute(select(PowerCap.port_pk, PowerCap.kind, PowerCap.ends_at))
        for port, kind, ends in rows:
            by_port[port].append((kind, ends))
        by_station: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
        found = db.execute(select(Alarm.station_pk, Alarm.alarm_type, Alarm.alarm_time))
        for pk, kind, at in found:
            by_station[pk].append((kind, at))
    # a share window ending after its station's time is replaced by the new one; others stay
    replaced = [("share", SINCE + earlier), ("share", new[1]), ("shed", SINCE + later)]
    assert all(sorted(by_port[p.id]) == replaced for ports in pairs.values() for p in ports)
    untouched = [("share", SINCE + earlier), ("share", SINCE + later), ("shed", SINCE + later)]
    assert sorted(by_port[2 * STATIONS + 2]) == sorted(by_port[2 * STATIONS + 3]) == untouched
    # so are its sharing alarms from its time on; any other alarm stays
    reshared = sorted([("Ground Fault", SINCE + later), (sharing.RESTORED, SINCE + earlier),
                       (sharing.REDUCED, new[0]), (sharing.RESTORED, new[1])])  # fmt: skip
    assert all(sorted(by_station[pk]) == reshared for pk in pairs)
    assert len(by_station[STATIONS + 1]) == 3
