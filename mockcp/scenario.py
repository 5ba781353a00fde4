"""Scenario files (``mockcp/data/scenarios/*.yaml``) run in process through zeep, as a client would.

``mockcp run-scenario PATH`` prints what happens (a partner demo: the group's load with the
event beside an untouched twin world, or the depot vans' status through the night) and
checks the file's expectations, exiting 0 when they hold. ``tests/test_scenarios.py`` runs
every file through the same functions. Needs the test extra (zeep): ``pip install mockcp[test]``.

The runs themselves are ``mockcp.scenario_runs``; here each world is built by
``mockcp.app.create_app``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import Any

from mockcp import scenario_runs as runs
from mockcp.app import create_app
from mockcp.scenario_runs import (
    Check,
    DepotNight,
    Samples,
    at,
    demand_response_checks,
    depot_checks,
    event_window,
    group_kw,
    load,
)

__all__ = [
    "Check",
    "DepotNight",
    "Samples",
    "at",
    "demand_response_checks",
    "depot_checks",
    "depot_night",
    "event_window",
    "execute",
    "group_kw",
    "load",
    "load_twins",
    "run",
]


def load_twins(
    scenario: dict[str, Any], step: Callable[[str], None] | None = None
) -> tuple[Samples, Samples]:
    """getLoad on the event's group every few minutes from the scenario's clock, with the
    event scheduled through createLoadShedEvent, then (the twin) without it. One world is
    built: the twin runs after a reset to its start (the world as built, clock included)."""
    return runs.load_twins(scenario, create_app, step)


def depot_night(scenario: dict[str, Any]) -> DepotNight:
    """Each fleet vehicle's vehicleChargingStatus at each check time of a depot scenario,
    then its sessions in getFleetUsageData and getChargingSessionData."""
    return runs.depot_night(scenario, create_app)


def execute(
    path: Traversable, step: Callable[[str], None] = runs.quiet
) -> tuple[list[str], list[Check]]:
    """Run one scenario file: the lines that tell what happened, and its checks.

    ``step`` hears each stage begin (three at most) (``mockcp run-scenario`` shows progress)."""
    return runs.execute(path, create_app, step)


def run(path: Traversable) -> int:
    """``mockcp run-scenario``: print what happened and the checks; 0 when they all hold."""
    lines, checks = execute(path)
    print("\n".join(lines))
    return 0 if all(c.ok for c in checks) else 1
