"""Scenario files run in process through zeep, as a client would, in worlds that ``apps``
builds: the demand-response twins, the depot's night, the timed steps, and their checks.

``mockcp.scenario`` and ``mockcp.scenario_steps`` are these functions with ``apps`` bound to
``mockcp.app.create_app`` (the public API, ``mockcp run-scenario``); the dashboard
(``mockcp.ui.scenarios``) passes the factory its running app hands down. So this module never
imports the module that builds the app it runs in. Needs zeep: ``pip install mockcp[test]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from mockcp.clock import ManualClock, SimClock, utc
from mockcp.config import Settings
from mockcp.control import ControlPlane
from mockcp.in_process import App, InProcessMock
from mockcp.sim.model.ids import transaction_session

Apps = Callable[[Settings, SimClock | None], App]  # builds the app a scenario runs in
Mock = InProcessMock[App]
Client = Callable[[datetime], None]  # a partner's client, told the time after each step
TIMES = "%Y-%m-%dT%H:%M:%SZ"

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
def _world(scenario: dict[str, Any], apps: Apps) -> Iterator[tuple[Any, ManualClock, Mock]]:
    """The scenario's world, built by ``apps`` in process: its tenant's service, its clock."""
    clock = ManualClock(at(scenario["clock"]))
    settings = Settings(database_url="sqlite://", **scenario["world"])
    with InProcessMock(apps, settings, clock) as mock:
        tenant = next(t for t in mock.tenants() if t.org_id == scenario["tenant"])
        yield mock.client(tenant).service, clock, mock


@contextmanager
def _service(scenario: dict[str, Any], apps: Apps) -> Iterator[tuple[Any, ManualClock]]:
    with _world(scenario, apps) as (service, clock, _):
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
    scenario: dict[str, Any], apps: Apps, step: Callable[[str], None] | None = None
) -> tuple[Samples, Samples]:
    """getLoad on the event's group every few minutes from the scenario's clock, with the
    event scheduled through createLoadShedEvent, then (the twin) without it. One world is
    built: the twin runs after a reset to its start (the world as built, clock included)."""
    with _world(scenario, apps) as (service, clock, mock):
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


def depot_night(scenario: dict[str, Any], apps: Apps) -> DepotNight:
    """Each fleet vehicle's vehicleChargingStatus at each check time of a depot scenario,
    then its sessions in getFleetUsageData and getChargingSessionData."""
    with _service(scenario, apps) as (service, clock):
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


def quiet(stage: str) -> None:
    """No progress shown (the default ``step`` of ``execute``)."""


def execute(
    path: Traversable, apps: Apps, step: Callable[[str], None] = quiet
) -> tuple[list[str], list[Check]]:
    """Run one scenario file: the lines that tell what happened, and its checks.

    ``step`` hears each stage begin (three at most) (``mockcp run-scenario`` shows progress)."""
    scenario = load(path)
    lines = [f"scenario: {scenario['name']} ({path})"]
    if "steps" in scenario:  # timed steps and journal expectations (run_steps below)
        step("the timed steps")
        timeline, checks = execute_steps(scenario, apps)
        lines += timeline
    elif "event" in scenario:
        shed, free = load_twins(scenario, apps, step)
        begins, ends = event_window(scenario)
        lines.append(f"{'time (UTC)':<17} {'group kW':>9} {'twin kW':>9}")
        for (when, reply), (_, twin) in zip(shed, free, strict=True):
            mark = "  <- event" if begins <= when < ends else ""
            kw, twin_kw = float(reply.sgLoad), float(twin.sgLoad)
            lines.append(f"{when:%Y-%m-%d %H:%M}  {kw:9.3f} {twin_kw:9.3f}{mark}")
        checks = demand_response_checks(scenario, shed, free)
    else:
        step("the depot's night: statuses, then the night's usage")
        night = depot_night(scenario, apps)
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


# Timed steps (``steps:``) and journal expectations (``journal:``): mockcp.scenario_steps.


def run_steps(
    scenario: dict[str, Any], control: ControlPlane, soap: Any = None, client: Client | None = None
) -> tuple[list[str], list[Check]]:
    """Apply each step at its simulated time, then check the journal expectations."""
    lines = []
    for step in sorted(scenario["steps"], key=lambda s: at(s["at"])):
        when = at(step["at"])
        control.clock.set(when.strftime(TIMES))
        lines.append(f"{when:%Y-%m-%d %H:%M}Z  {_apply(step, control, soap)}")
        if client is not None:
            client(when)
    return lines, [_check(expect, control) for expect in scenario.get("journal", [])]


def _apply(step: dict[str, Any], control: ControlPlane, soap: Any) -> str:
    if "event" in step:
        event = dict(step["event"])
        station = str(event.pop("station"))
        kind = str(event.pop("type"))
        control.stations.event(station, kind, **event)
        return f"event {kind} on {station}"
    if "fault" in step:
        armed = control.faults.force(**step["fault"])
        return f"fault {armed.get('fault') or armed.get('code')} on {armed['operation']}"
    if "call" in step:
        if soap is None:
            raise ValueError("a call step needs a SOAP client (run in process)")
        operation = str(step["call"]["operation"])
        try:
            reply = getattr(soap.service, operation)(**step["call"].get("args", {}))
            outcome = getattr(reply, "responseCode", "answered")
        except Exception as exc:  # the client sees a fault or a broken connection
            outcome = type(exc).__name__
        return f"call {operation}: {outcome}"
    raise ValueError(f"a step needs event, fault or call: {sorted(step)}")


def _check(expect: dict[str, Any], control: ControlPlane) -> Check:
    """One journal expectation: ``times`` (exactly) or ``at_least`` matching calls, in the
    window ``from`` + ``minutes`` of simulated time when given."""
    fields = {k: expect[k] for k in ("org_id", "response_code", "fault") if k in expect}
    found = control.journal.calls(expect["operation"], params=expect.get("params"), **fields)
    if "from" in expect:
        lo = at(expect["from"])
        span = timedelta(minutes=float(expect["minutes"])) if "minutes" in expect else None
        found = [
            e for e in found
            if lo <= at(e["simTime"]) and (span is None or at(e["simTime"]) <= lo + span)
        ]
    window = f" from {expect['from']} for {expect['minutes']} min" if "minutes" in expect else ""
    shown = " ".join(f"{k}={v}" for k, v in {**fields, **(expect.get("params") or {})}.items())
    name = f"{expect['operation']} {shown}{window}".replace("  ", " ")
    if "times" in expect:
        return Check(name, f"= {expect['times']}", str(len(found)), len(found) == expect["times"])
    least = int(expect.get("at_least", 1))
    return Check(name, f">= {least}", str(len(found)), len(found) >= least)


def execute_steps(scenario: dict[str, Any], apps: Apps) -> tuple[list[str], list[Check]]:
    """Run a steps scenario alone, in process: its ``call`` steps are the client."""
    settings = Settings(database_url="sqlite://", **scenario["world"])
    with InProcessMock(apps, settings, ManualClock(at(scenario["clock"]))) as mock:
        tenant = next(t for t in mock.tenants() if t.org_id == scenario["tenant"])
        return run_steps(scenario, mock.control, mock.client(tenant))
