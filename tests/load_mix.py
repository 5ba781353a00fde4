"""A mixed load on the minimal world: every tenant reads and writes while the clock moves.

Shared by the in-process thread test (tests/soap/test_concurrency.py) and the real-server
test (tests/test_load_servers.py). Each worker thread owns one zeep client of one tenant and
runs the operations of ``MIX`` round-robin from a seeded offset; every answer is classified
(ok, a response code, a Client fault, a Server fault, anything else) and every acknowledged
write is remembered so the test can check none was lost or duplicated.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import zeep
from zeep.exceptions import Fault

SUNRISE, HARBOR = "1:ORG00001", "1:ORG00002"
OWN_STATIONS = {SUNRISE: ["1:10001", "1:10002"], HARBOR: ["1:20001"]}
# What each tenant may see: its own stations and those another granted it rights on.
VISIBLE = {
    SUNRISE: {"1:10001", "1:10002", "1:10003", "1:20001", "1:20002"},
    HARBOR: {"1:20001", "1:20002", "1:10002"},
}


@dataclass
class Tally:
    """What the workers saw (all fields guarded by ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    classes: Counter[str] = field(default_factory=Counter)
    by_operation: Counter[tuple[str, str]] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    seconds_by_operation: Counter[str] = field(default_factory=Counter)
    vehicles: dict[str, list[str]] = field(default_factory=dict)  # tenant -> acknowledged IDs
    events: list[tuple[str, int]] = field(default_factory=list)  # (tenant, eventId)
    server_faults: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # a tenant saw another's station

    def add(self, operation: str, outcome: str, seconds: float) -> None:
        with self.lock:
            self.classes[outcome.split(":")[0]] += 1
            self.by_operation[(operation, outcome)] += 1
            self.latencies.append(seconds)
            self.seconds_by_operation[operation] += seconds

    def slowest(self, count: int = 5) -> list[tuple[str, float]]:
        """The operations with the highest mean latency, in seconds."""
        calls: Counter[str] = Counter()
        for (operation, _), n in self.by_operation.items():
            calls[operation] += n
        means = {op: self.seconds_by_operation[op] / n for op, n in calls.items()}
        return sorted(means.items(), key=lambda item: -item[1])[:count]

    def p99(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[int(len(ordered) * 0.99)] if ordered else 0.0


def _station_ids(reply: Any) -> list[str]:
    return [s.stationID for s in (getattr(reply, "stationData", None) or [])]


class Worker:
    """One client thread: a tenant's zeep client and a seeded walk through ``MIX``."""

    def __init__(
        self, index: int, org_id: str, client: zeep.Client, now: Callable[[], datetime]
    ) -> None:
        self.index, self.org_id, self.client, self.now = index, org_id, client, now
        self.rng = random.Random(index)
        self.serial = itertools.count(1)

    def run(self, tally: Tally, stop: threading.Event) -> None:
        calls = list(MIX)
        # Worker i starts at operation i: with at least as many workers as operations, every
        # operation runs even when a loaded machine lets each worker make one call only.
        for position in itertools.count(self.index % len(calls)):
            if stop.is_set():
                return
            name, call = calls[position % len(calls)]
            began = time.perf_counter()
            try:
                reply = call(self)
                outcome = f"code:{reply.responseCode}" if hasattr(reply, "responseCode") else "ok"
                self._remember(name, reply, tally)
            except Fault as fault:
                outcome = f"fault:{fault.code}"
                if "Server" in (fault.code or ""):
                    with tally.lock:
                        tally.server_faults.append(f"{name}: {fault.message}")
            except Exception as exc:  # HTML pages, broken connections: counted, never hidden
                outcome = "other"
                with tally.lock:
                    tally.other.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
            tally.add(name, outcome, time.perf_counter() - began)

    def _remember(self, name: str, reply: Any, tally: Tally) -> None:
        if name == "addFleetVehicle" and reply.responseCode == "100":
            with tally.lock:
                tally.vehicles.setdefault(self.org_id, []).extend(reply.fleetVehicleID or [])
        if name == "createLoadShedEvent" and reply.responseCode == "100":
            with tally.lock:
                tally.events.append((self.org_id, int(reply.eventId)))
        if name in {"getStations", "getLoad", "getStationStatus"}:
            seen = set(_station_ids(reply))
            if seen - VISIBLE[self.org_id]:
                with tally.lock:
                    tally.foreign.append(f"{self.org_id} saw {sorted(seen - VISIBLE[self.org_id])}")

    @property
    def station(self) -> str:
        return self.rng.choice(OWN_STATIONS[self.org_id])

    def vehicle(self) -> dict[str, Any]:
        n = next(self.serial)
        tag = f"{self.index:02d}{n:06d}"
        return {
            "chargePointCards": {"chargePointCardSn": [f"CPFL07{tag}"]},
            "fleetName": "sunrise delivery fleet", "vehicleID": f"LOAD-{tag}",
            "licensePlate": f"LD-{tag}", "vin": f"1FTBW3XM5{tag}",
            "make": "Ford", "model": "E-Transit", "year": "2024",
        }


def _s(w: Worker) -> Any:
    return w.client.service


MIX: list[tuple[str, Callable[[Worker], Any]]] = [
    ("getStations", lambda w: _s(w).getStations(searchQuery={})),
    ("getStationStatus", lambda w: _s(w).getStationStatus(searchQuery={})),
    ("getLoad", lambda w: _s(w).getLoad(searchQuery={"stationID": w.station})),
    ("getChargingSessionData", lambda w: _s(w).getChargingSessionData(searchQuery={})),
    ("getTransactionData", lambda w: _s(w).getTransactionData(searchQuery={})),
    ("getAlarms", lambda w: _s(w).getAlarms(searchQuery={})),
    ("getOrgsAndStationGroups", lambda w: _s(w).getOrgsAndStationGroups(searchQuery={})),
    ("getStationGroups", lambda w: _s(w).getStationGroups(orgID=w.org_id)),
    ("getStationRights", lambda w: _s(w).getStationRights(searchQuery={})),
    ("getCPNInstances", lambda w: _s(w).getCPNInstances()),
    ("getUsers", lambda w: _s(w).getUsers(searchQuery={})),
    ("getPublicStations", lambda w: _s(w).getPublicStations(searchQuery={})),
    ("getStationActiveFaults", lambda w: _s(w).getStationActiveFaults(
        searchQuery={"stationIDs": {"stationID": [w.station]}})),
    ("getFleetVehicles", lambda w: _s(w).getFleetVehicles(searchQuery={})),
    ("getFleetUsageData", lambda w: _s(w).getFleetUsageData(searchQuery={})),
    ("shedLoad", lambda w: _s(w).shedLoad(shedQuery={
        "shedStation": {"stationID": w.station, "percentShedPerStation": 30},
        "timeInterval": w.rng.choice([0, 15, 60])})),
    ("clearShedState", lambda w: _s(w).clearShedState(
        shedQuery={"shedStation": {"stationID": w.station}})),
    ("createLoadShedEvent", lambda w: _s(w).createLoadShedEvent(shedEvent={
        "stationID": w.station, "eventStartTime": w.now() + timedelta(minutes=30),
        "eventDuration": 60, "allowOptOut": True, "percentShedPerStation": 40})),
    ("clearAlarms", lambda w: _s(w).clearAlarms(searchQuery={
        "orgID": w.org_id,
        "organizationName": "Sunrise Energy Co-op" if w.org_id == SUNRISE
        else "Harbor City Parking"})),
    ("addFleetVehicle", lambda w: _s(w).addFleetVehicle(vehicle=w.vehicle())),
]
WRITES = {"shedLoad", "clearShedState", "createLoadShedEvent", "clearAlarms", "addFleetVehicle"}


def run_load(
    workers: list[Worker], seconds: float, move_clock: Callable[[], None], every: float
) -> Tally:
    """Run ``workers`` for ``seconds`` while ``move_clock`` runs every ``every`` seconds."""
    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=w.run, args=(tally, stop), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            time.sleep(min(every, max(0.0, deadline - time.monotonic())))
            move_clock()
    finally:  # a failing clock move must not leave the clients running
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    return tally


def check_world(url: str, tally: Tally) -> list[str]:
    """What is wrong in the stored world after a load (an empty list when it held):
    every acknowledged vehicle and event stored exactly once and nothing unacknowledged;
    a port INUSE iff a session is plugged in at the time the stored statuses are for
    (``status_at``: make a status read after the load, so that it is set)."""
    from sqlalchemy import select

    from mockcp.db.activity import ChargingSession, LoadShedEvent, WorldMeta
    from mockcp.db.engine import make_engine, make_sessionmaker
    from mockcp.db.models import Port
    from mockcp.db.people import FleetVehicle

    problems: list[str] = []
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            stored = db.scalars(
                select(FleetVehicle.fleet_vehicle_id).where(FleetVehicle.vehicle_id.like("LOAD-%"))
            ).all()
            acknowledged = [v.split(":", 1)[1] for vs in tally.vehicles.values() for v in vs]
            if sorted(stored) != sorted(acknowledged):
                problems.append(f"{len(stored)} vehicles stored, {len(acknowledged)} acknowledged")
            if len(set(acknowledged)) != len(acknowledged):
                problems.append("a vehicle ID was acknowledged twice")
            events = {e.id: e for e in db.scalars(select(LoadShedEvent))}
            ids = [event_id for _, event_id in tally.events]
            if len(set(ids)) != len(ids) or not set(ids) <= set(events):
                problems.append(f"events: {len(ids)} acknowledged, {len(events)} stored")
            if len(events) != len(ids):
                problems.append(f"{len(events) - len(ids)} events stored but never acknowledged")
            stamp = db.scalar(select(WorldMeta.value).where(WorldMeta.key == "status_at"))
            if not stamp:
                return [*problems, "the statuses are stale: no status read after the load"]
            now = datetime.fromisoformat(stamp)
            active = set(
                db.scalars(
                    select(ChargingSession.port_pk).where(
                        ChargingSession.start_time <= now, ChargingSession.end_time > now
                    )
                )
            )
            for port in db.scalars(select(Port).where(Port.status.in_(["AVAILABLE", "INUSE"]))):
                if (port.status == "INUSE") != (port.id in active):
                    problems.append(f"port {port.id} is {port.status} at {now.isoformat()}")
    finally:
        engine.dispose()
    return problems
