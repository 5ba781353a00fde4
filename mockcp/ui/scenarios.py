"""Scenario files run from the dashboard: the runner of ``mockcp.scenario``, as a chart.

A demand-response scenario runs twice in its own world, once with its event and once
without (the untouched twin); the page draws both, the event's cap, and the energy the
group did not draw. Other scenarios answer the runner's printed lines. Needs zeep (the
runner is a SOAP client): ``pip install mockcp[test]``.

Each run's worlds are built by ``apps``, the factory the running app hands down
(``mockcp.app_parts``): the dashboard sits inside the app, so it never imports the module
that builds one (``mockcp.scenario`` binds ``mockcp.app.create_app``; ``scenario_runs`` does not).
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

from mockcp.data import SCENARIOS, names
from mockcp.ui.views import iso

if TYPE_CHECKING:
    from mockcp.scenario_runs import Apps


def scenario_names() -> list[str]:
    """The packaged scenario files, by name (``mockcp.data``: the one place they live)."""
    return names(SCENARIOS)


def scenario_path(name: str) -> Traversable:
    """The file of a scenario named by its stem. Raises LookupError for no such scenario."""
    if name not in scenario_names():
        raise LookupError(f"no scenario named {name!r}; known: {', '.join(scenario_names())}")
    return SCENARIOS / f"{name}.yaml"


def run(name: str, apps: Apps) -> dict[str, Any]:
    """Run one scenario file in worlds ``apps`` builds: samples with the twin, checks, and
    the energy not drawn."""
    from mockcp import scenario_runs as runner  # (zeep: the test extra)

    path = scenario_path(name)
    plan = runner.load(path)
    if "event" not in plan:
        lines, checks = runner.execute(path, apps)
        return {"name": plan["name"], "lines": lines, "checks": _checks(checks)}
    shed, free = runner.load_twins(plan, apps)
    begins, ends = runner.event_window(plan)
    per_port = plan["event"].get("allowedLoadPerPort")
    step_h = plan["sample"]["every_minutes"] / 60
    series: list[dict[str, Any]] = []
    for (when, reply), (_, twin) in zip(shed, free, strict=True):
        ports = sum(len(s.Port) for s in reply.stationData)
        during = begins <= when < ends and per_port is not None
        series.append(
            {
                "t": iso(when),
                "kw": float(reply.sgLoad),
                "twinKw": float(twin.sgLoad),
                "capKw": round(float(per_port) * ports, 3) if during else None,
            }
        )
    not_drawn = (
        sum(
            max(float(twin.sgLoad) - float(reply.sgLoad), 0.0)
            for (_, reply), (_, twin) in zip(shed, free, strict=True)
        )
        * step_h
    )
    return {
        "name": plan["name"],
        "sgID": plan["event"].get("sgID"),
        "eventStart": iso(begins),
        "eventEnd": iso(ends),
        "stepMinutes": plan["sample"]["every_minutes"],
        "series": series,
        "notDrawnKwh": round(not_drawn, 3),
        "checks": _checks(runner.demand_response_checks(plan, shed, free)),
        "window": [iso(shed[0][0]), iso(shed[-1][0])],
    }


def _checks(checks: list[Any]) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "target": c.target, "measured": c.measured, "ok": c.ok} for c in checks
    ]
