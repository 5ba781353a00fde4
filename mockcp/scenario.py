"""Scenario files (``mockcp/data/scenarios/*.yaml``) run in process through zeep, as a client would.

``mockcp run-scenario PATH`` prints what happens (a partner demo: the group's load with the
event beside an untouched twin world, or the depot vans' status through the night) and
checks the file's expectations, exiting 0 when they hold. ``tests/test_scenarios.py`` runs
every file through the same functions. Needs the test extra (zeep): ``pip install mockcp[test]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from mockcp.clock import ManualClock, utc
from mockcp.config import Settings
from mockcp.sim.model.ids import transaction_session
from mockcp.testing import MockChargePoint

Samples = list[tuple[datetime, Any]]  # (time, getLoad reply)


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation of a scenario, as measured."""

    name: str
    target: str
    measured: str
    ok: bool


def load(path: Traversable) -> dict[str, Any]:
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(scenario, dict) or not ({"event", "checks", "steps"} & set(scenario)):
        raise ValueError(f"{path}: not a scenario (no event, checks or steps)")
    return scenario


def at(text: str) -> datetime:
    return utc(datetime.fromisoformat(str(text).replace("Z", "+00:00")))


@contextmanager
def _world(scenario: dict[str, Any]) -> Iterator[tuple[Any, ManualClock, MockChargePoint]]:
    clock = ManualClock(at(scenario["clock"]))
    settings = Settings(database_url="sqlite://", **scenario["world"])
    with MockChargePoint(settings, clock) as mock:
        tenant = next(t for t in mock.tenants() if t.org_id == scenario["tenant"])
        yield mock.client(tenant).service, clock, mock


@contextmanager
def _service(scenario: dict[str, Any]) -> Iterator[tuple[Any, ManualClock]]:
    with _world(scenario) as (service, clock, _):
        yield service, clock


def _sampled(
    scenario: dict[str, Any], service: Any, clock: ManualClock, with_event: bool
) -> Samples:
    event = dict(scenario["event"])
    if with_event:
        event["eventStartTime"] = at(event["eventStartTime"])
        reply = service.createLoadShedEvent(shedEvent=event)
        if reply.responseCode != "100":
            raise RuntimeError(f"createLoadShedEvent: {reply.responseText}")
    found: Samples = []
    step = timedelta(minutes=scenario["sample"]["every_minutes"])
    while clock.now() <= at(scenario["sample"]["until"]):
        reply = service.getLoad(searchQuery={"sgID": int(event["sgID"])})
        if reply.responseCode != "100":
            raise RuntimeError(f"getLoad: {reply.responseText}")
        found.append((clock.now(), reply))
        clock.advance(step)
    return found


def load_twins(
    scenario: dict[str, Any], step: Callable[[str], None] | None = None
) -> tuple[Samples, Samples]:
    """getLoad on the event's group every few minutes from the scenario's clock, with the
    event scheduled through createLoadShedEvent, then (the twin) without it. One world is
    built: the twin runs after a reset to its start (the world as built, clock included)."""
    with _world(scenario) as (service, clock, mock):
        if step is not None:
            step("the world with the event")
        shed = _sampled(scenario, service, clock, True)
        mock.wsgi.reset()
        if clock.now() != at(scenario["clock"]):
            raise RuntimeError(f"the reset left the clock at {clock.now()}")
        if step is not None:
            step("its twin without the event")
        return shed, _sampled(scenario, service, clock, False)


def event_window(scenario: dict[str, Any]) -> tuple[datetime, datetime]:
    begins = at(scenario["event"]["eventStartTime"])
    return begins, begins + timedelta(minutes=scenario["event"]["eventDuration"])


def group_kw(samples: Samples, lo: datetime, hi: datetime) -> list[float]:
    return [float(reply.sgLoad) for when, reply in samples if lo <= when < hi]


def demand_response_checks(scenario: dict[str, Any], shed: Samples, free: Samples) -> list[Check]:
    """The expectations of a demand-response scenario, measured on the two runs."""
    expect = scenario["expect"]
    begins, ends = event_window(scenario)
    hour_before, later = begins - timedelta(hours=1), datetime.max.replace(tzinfo=begins.tzinfo)
    before, during = group_kw(shed, hour_before, begins), group_kw(shed, begins, ends)
    uncapped, after = group_kw(free, begins, ends), group_kw(shed, ends, later)
    ports = [
        float(port.portLoad)
        for when, reply in shed
        if begins <= when < ends
        for station in reply.stationData
        for port in station.Port
    ]
    share = _mean(during) / _mean(uncapped) if _mean(uncapped) else 0.0
    still = before == group_kw(free, hour_before, begins)
    recovery = max(after) / max(group_kw(free, ends, later))
    return [
        Check("peak in the hour before (kW)", f">= {expect['before_peak_kw_at_least']}",
              f"{max(before):.3f}", max(before) >= expect["before_peak_kw_at_least"]),
        Check("nothing moves before the event", "= twin", "same" if still else "differs", still),
        Check("highest port during (kW)", f"<= {expect['during_port_kw_at_most']}",
              f"{max(ports):.3f}", max(ports) <= expect["during_port_kw_at_most"]),
        Check("mean during / twin's mean", f"<= {expect['during_share_of_uncapped_at_most']}",
              f"{share:.2f}", share <= expect["during_share_of_uncapped_at_most"]),
        Check("peak after / twin's peak after",
              f">= {expect['after_share_of_uncapped_peak_at_least']}", f"{recovery:.2f}",
              recovery >= expect["after_share_of_uncapped_peak_at_least"]),
    ]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass(frozen=True, slots=True)
class DepotNight:
    """What a depot scenario read: statuses at each check time, then the night's usage."""

    statuses: list[tuple[datetime, dict[str, str]]]
    usage: list[Any]  # getFleetUsageData rows from the first check on
    session_energy: dict[int, float]  # sessionID -> Energy from getChargingSessionData


def depot_night(scenario: dict[str, Any]) -> DepotNight:
    """Each fleet vehicle's vehicleChargingStatus at each check time of a depot scenario,
    then its sessions in getFleetUsageData and getChargingSessionData."""
    with _service(scenario) as (service, clock):
        statuses = []
        for check in scenario["checks"]:
            clock.set(at(check["at"]))
            reply = service.getFleetVehicles(searchQuery={"fleetName": scenario["fleet"]})
            if reply.responseCode != "100":
                raise RuntimeError(f"getFleetVehicles: {reply.responseText}")
            found = {v.fleetVehicleID: v.vehicleChargingStatus for v in reply.fleetVehicle}
            statuses.append((clock.now(), found))
        clock.set(at(scenario["usage_after"]))
        since = at(scenario["checks"][0]["at"])
        usage = service.getFleetUsageData(searchQuery={"fromTimeStamp": since})
        if usage.responseCode != "100":
            raise RuntimeError(f"getFleetUsageData: {usage.responseText}")
        rows = list(usage.fleetUsageData)
        energy = {}
        for row in rows:
            sid = transaction_session(row.transactionID)
            found_session = service.getChargingSessionData(searchQuery={"sessionID": sid})
            energy[sid] = found_session.ChargingSessionData[0].Energy
        return DepotNight(statuses, rows, energy)


def depot_checks(scenario: dict[str, Any], night: DepotNight) -> list[Check]:
    """The expectations of a depot scenario, measured on its night."""
    found = []
    for check, (when, statuses) in zip(scenario["checks"], night.statuses, strict=True):
        values = sorted(statuses.values())
        kinds = ", ".join(sorted(set(values)))
        found.append(Check(f"{when:%H:%M}Z vehicles", str(scenario["vehicles"]), str(len(values)),
                           len(values) == scenario["vehicles"]))
        if "all" in check:
            found.append(Check(f"{when:%H:%M}Z all", check["all"], kinds,
                               set(values) == {check["all"]}))
        if "any" in check:
            found.append(Check(f"{when:%H:%M}Z any of", ", ".join(check["any"]), kinds,
                               set(values) <= set(check["any"])))
        for status, least in check.get("at_least", {}).items():
            count = values.count(status)
            found.append(
                Check(f"{when:%H:%M}Z {status}", f">= {least}", str(count), count >= least)
            )
    charged = {r.fleetVehicleID for r in night.usage}
    agree = all(
        r.Energy == night.session_energy[transaction_session(r.transactionID)] and r.Energy > 0
        for r in night.usage
    )
    return [
        *found,
        Check("vehicles with a session in usage", str(scenario["vehicles"]), str(len(charged)),
              len(charged) == scenario["vehicles"]),
        Check("usage energy = session energy, > 0", "all", "all" if agree else "not all", agree),
    ]


def _quiet(stage: str) -> None:
    """No progress shown (the default ``step`` of ``execute``)."""


def execute(
    path: Traversable, step: Callable[[str], None] = _quiet
) -> tuple[list[str], list[Check]]:
    """Run one scenario file: the lines that tell what happened, and its checks.

    ``step`` hears each stage begin (three at most) (``mockcp run-scenario`` shows progress)."""
    scenario = load(path)
    lines = [f"scenario: {scenario['name']} ({path})"]
    if "steps" in scenario:  # timed steps and journal expectations (mockcp.scenario_steps)
        from mockcp.scenario_steps import execute_steps

        step("the timed steps")
        timeline, checks = execute_steps(scenario)
        lines += timeline
    elif "event" in scenario:
        shed, free = load_twins(scenario, step)
        begins, ends = event_window(scenario)
        lines.append(f"{'time (UTC)':<17} {'group kW':>9} {'twin kW':>9}")
        for (when, reply), (_, twin) in zip(shed, free, strict=True):
            mark = "  <- event" if begins <= when < ends else ""
            kw, twin_kw = float(reply.sgLoad), float(twin.sgLoad)
            lines.append(f"{when:%Y-%m-%d %H:%M}  {kw:9.3f} {twin_kw:9.3f}{mark}")
        checks = demand_response_checks(scenario, shed, free)
    else:
        step("the depot's night: statuses, then the night's usage")
        night = depot_night(scenario)
        for when, statuses in night.statuses:
            values = list(statuses.values())
            counts = ", ".join(f"{values.count(s)} {s}" for s in sorted(set(values)))
            lines.append(f"{when:%Y-%m-%d %H:%M}Z  {counts}")
        checks = depot_checks(scenario, night)
    step("checking the expectations")
    for check in checks:
        verdict = "pass" if check.ok else "FAIL"
        lines.append(f"  [{verdict}] {check.name}: {check.measured} (target {check.target})")
    return lines, checks


def run(path: Traversable) -> int:
    """``mockcp run-scenario``: print what happened and the checks; 0 when they all hold."""
    lines, checks = execute(path)
    print("\n".join(lines))
    return 0 if all(c.ok for c in checks) else 1
