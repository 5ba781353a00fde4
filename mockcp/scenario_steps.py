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

The steps run in ``mockcp.scenario_runs``; ``execute_steps`` here builds the world with
``mockcp.app.create_app``.
"""

from __future__ import annotations

from typing import Any

from mockcp.app import create_app
from mockcp.scenario_runs import TIMES, Check, Client, run_steps
from mockcp.scenario_runs import execute_steps as _execute_steps

__all__ = ["TIMES", "Client", "execute_steps", "run_steps"]


def execute_steps(scenario: dict[str, Any]) -> tuple[list[str], list[Check]]:
    """Run a steps scenario alone, in process: its ``call`` steps are the client."""
    return _execute_steps(scenario, create_app)
