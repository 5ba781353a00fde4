"""Scenarios as tests: timed steps (station events, faults, the client's own calls) and
expectations over the journal, e.g. "the utility's event arrives at 17:00; the client must
shed the group within 5 minutes".

    steps:
      - {at: "2024-03-12T17:00:00Z", event: {station: "1:10002", type: offline}}
      - {at: "2024-03-12T17:01:00Z", fault: {operation: shedLoad, fault: http503}}
      - {at: "2024-03-12T17:03:00Z", call: {operation: shedLoad, args: {...}}}
    journal:
      - {operation: shedLoad, params: {sgID: 1002}, from: "...17:00:00Z", minutes: 5, times: 1}

``run_steps`` drives any ``ControlPlane`` (in process or a URL) and calls ``client(now)``
after each step: a partner's pytest passes its own client there and the file's ``call``
steps can be left out. ``mockcp run-scenario`` runs the file alone, in process, with its
``call`` steps as the client.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from mockcp.control import ControlPlane
from mockcp.scenario import Check, at

Client = Callable[[datetime], None]
TIMES = "%Y-%m-%dT%H:%M:%SZ"


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


def execute_steps(scenario: dict[str, Any]) -> tuple[list[str], list[Check]]:
    """Run a steps scenario alone, in process: its ``call`` steps are the client."""
    from mockcp.clock import ManualClock
    from mockcp.config import Settings
    from mockcp.testing import MockChargePoint

    settings = Settings(database_url="sqlite://", **scenario["world"])
    with MockChargePoint(settings, ManualClock(at(scenario["clock"]))) as mock:
        tenant = next(t for t in mock.tenants() if t.org_id == scenario["tenant"])
        return run_steps(scenario, mock.control, mock.client(tenant))
