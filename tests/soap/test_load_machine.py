"""A hypothesis state machine over shed / clear / event / advance / read, through zeep.

The test keeps its own model of the caps (from the guide's rules, not from the server's
tables) and checks at every step: no port draws more than its cap; the shed state getLoad
reports is the model's; getLoad, the 15-minute data and the session totals agree; and a
port with no cap in force draws at least what the same car draws in an untouched twin
world (equal when the session was never capped): clearing restores the car's own curve.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START

STATIONS = {"1:10001": 2, "1:10002": 1, "1:20001": 2}
GROUP = ("1:10001", "1:10002")  # sgID 1002
EPS = 0.0006  # loads are printed with three decimals


@dataclass
class Shed:
    mode: str
    caps: dict[int, float]
    baseline: dict[int, float]
    until: datetime | None


@dataclass
class Model:
    sheds: dict[str, Shed] = field(default_factory=dict)
    events: list[tuple[str, datetime, datetime, float]] = field(default_factory=list)
    ever_capped: set[int] = field(default_factory=set)  # session IDs that met a cap

    def shed(self, station: str, now: datetime) -> Shed | None:
        found = self.sheds.get(station)
        if found is not None and found.until is not None and now >= found.until:
            del self.sheds[station]
            return None
        return found

    def cap(self, station: str, port: int, now: datetime) -> float:
        limits = [kw for s, a, b, kw in self.events if s == station and a <= now < b]
        shed = self.shed(station, now)
        if shed is not None:
            limits.append(shed.caps[port])
        return min(limits, default=float("inf"))


BEGIN = START + timedelta(hours=1, minutes=30)
BEGUN = "begun"  # the snapshot of a world planned through BEGIN


@dataclass
class Fresh:
    """A minimal world at BEGIN, its clock and a zeep service on it."""

    mock: MockChargePoint
    clock: ManualClock
    service: Any


# Built once per module, not per example: each example gets the world back as it was at
# BEGIN by restoring the snapshot (milliseconds; a new world, its planning and its zeep
# client cost seconds). A restore brings back every table and the clock.
_WORLDS: dict[str, Fresh] = {}


def fresh(name: str) -> Fresh:
    world = _WORLDS.get(name)
    if world is None:
        clock = ManualClock(BEGIN)
        mock = MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"), clock)
        mock.__enter__()
        world = _WORLDS[name] = Fresh(mock, clock, mock.client(mock.tenants()[0]).service)
        world.service.getLoad(searchQuery={"stationID": "1:10001"})  # plans through BEGIN
        mock.wsgi.world.snapshot(BEGUN)
    else:
        world.mock.wsgi.world.restore(BEGUN)
    assert world.clock.now() == BEGIN
    return world


@pytest.fixture(scope="module", autouse=True)
def _close_worlds() -> Iterator[None]:
    yield
    for world in _WORLDS.values():
        world.mock.__exit__(None, None, None)
    _WORLDS.clear()


class LoadMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        ours, twin = fresh("ours"), fresh("twin")
        self.clock, self.twin_clock = ours.clock, twin.clock
        self.client, self.twin_client = ours.service, twin.service
        self.model = Model()

    def ports(self, client: Any, station: str) -> list[Any]:
        reply = client.getLoad(searchQuery={"stationID": station})
        assert reply.responseCode == "100"
        return list(reply.stationData[0].Port)

    def _apply(self, stations: tuple[str, ...], mode: str, value: float, minutes: int) -> None:
        now = self.clock.now()
        conflict = any(
            (s := self.model.shed(station, now)) is not None and s.mode != mode
            for station in stations
        )
        loads = {station: self.ports(self.client, station) for station in stations}
        key = "allowedLoadPerStation" if mode == "allowed" else "percentShedPerStation"
        amount = value if mode == "allowed" else int(value)
        if len(stations) > 1:
            query = {"shedGroup": {"sgID": 1002, key: amount}, "timeInterval": minutes}
        else:
            query = {
                "shedStation": {"stationID": stations[0], key: amount},
                "timeInterval": minutes,
            }
        reply = self.client.shedLoad(shedQuery=query)
        if conflict:
            assert reply.responseCode == "179"
            return
        assert reply.responseCode == "100", reply.responseText
        until = now + timedelta(minutes=minutes) if minutes else None
        for station in stations:
            previous = self.model.shed(station, now)
            baseline = (
                previous.baseline
                if previous is not None
                else {i: float(p.portLoad) for i, p in enumerate(loads[station])}
            )
            n = STATIONS[station]
            caps = {
                i: value / n if mode == "allowed" else baseline[i] * (1 - int(value) / 100)
                for i in range(n)
            }
            self.model.sheds[station] = Shed(mode, caps, baseline, until)

    @rule(
        station=st.sampled_from(sorted(STATIONS)),
        mode=st.sampled_from(["allowed", "percent"]),
        value=st.sampled_from([0.0, 1.0, 2.5, 5.0, 40.0, 90.0]),
        minutes=st.sampled_from([0, 5, 30, 120]),
    )
    def shed_station(self, station: str, mode: str, value: float, minutes: int) -> None:
        self._apply((station,), mode, value if mode == "percent" else min(value, 6.2), minutes)

    @rule(mode=st.sampled_from(["allowed", "percent"]))
    def shed_group(self, mode: str) -> None:
        self._apply(GROUP, mode, 2.0 if mode == "allowed" else 50.0, 0)

    @rule(station=st.sampled_from(sorted(STATIONS)))
    def clear(self, station: str) -> None:
        had = self.model.shed(station, self.clock.now()) is not None
        reply = self.client.clearShedState(shedQuery={"shedStation": {"stationID": station}})
        assert (reply.responseCode, reply.Success) == ("100", 1 if had else 0)
        self.model.sheds.pop(station, None)

    @rule(
        station=st.sampled_from(sorted(STATIONS)),
        lead=st.integers(1, 180),
        minutes=st.integers(5, 240),
        kw=st.sampled_from([0.5, 3.0]),
    )
    def event(self, station: str, lead: int, minutes: int, kw: float) -> None:
        start = self.clock.now() + timedelta(minutes=lead)
        reply = self.client.createLoadShedEvent(
            shedEvent={
                "stationID": station,
                "eventStartTime": start,
                "eventDuration": minutes,
                "allowOptOut": False,
                "allowedLoadPerPort": kw,
            }
        )
        assert reply.responseCode == "100", reply.responseText
        self.model.events.append((station, start, start + timedelta(minutes=minutes), kw))

    @rule(minutes=st.sampled_from([1, 4, 15, 45, 120, 300]))
    def advance(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        self.twin_clock.set(self.clock.now())

    @invariant()
    def loads_respect_caps_and_match_the_twin(self) -> None:
        now = self.clock.now()
        for station in STATIONS:
            ours, theirs = self.ports(self.client, station), self.ports(self.twin_client, station)
            for index, (port, free) in enumerate(zip(ours, theirs, strict=True)):
                cap = self.model.cap(station, index, now)
                load = float(port.portLoad)
                assert load <= cap + EPS, (station, index, load, cap)
                assert port.shedState == (1 if cap != float("inf") else 0)
                if cap != float("inf") and port.sessionID:
                    self.model.ever_capped.add(port.sessionID)
                if cap == float("inf") and port.sessionID and port.sessionID == free.sessionID:
                    assert load >= float(free.portLoad) - EPS
                    if port.sessionID not in self.model.ever_capped and not self.model.events:
                        assert load == float(free.portLoad)

    @invariant()
    def meters_agree(self) -> None:
        for station in STATIONS:
            for port in self.ports(self.client, station):
                if not port.sessionID:
                    continue
                rows = self.client.getChargingSessionData(
                    searchQuery={"sessionID": port.sessionID}
                ).ChargingSessionData
                data = self.client.get15minChargingSessionData(sessionID=port.sessionID)
                if data.responseCode == "134":  # nothing metered yet (zero energy so far)
                    assert rows[0].Energy == 0
                    continue
                assert rows[0].Energy == data.fifteenminData[-1].energyConsumed


LoadMachine.TestCase.settings = settings(max_examples=8, stateful_step_count=8, deadline=None)
test_load_state_machine = LoadMachine.TestCase
