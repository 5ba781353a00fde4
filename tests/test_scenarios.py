"""Scenario files in mockcp/data/scenarios/ run against a fresh mock, through zeep, as a
client would (mockcp.scenario, also ``mockcp run-scenario``): every check of each file holds,
and the raw readings are checked here on their own too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zeep

from mockcp import scenario as sc
from mockcp import scenario_runs as runs
from mockcp.cli import main
from mockcp.data import SCENARIOS as PACKAGED
from mockcp.data import find, names

SCENARIOS = Path(str(PACKAGED))  # the packaged scenarios (a plain folder in a checkout)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*demand-response*.yaml")), ids=str)
def test_demand_response_scenario(path: Path) -> None:
    scenario = sc.load(path)
    shed, free = sc.load_twins(scenario)  # the twin: after a reset to the start
    checks = sc.demand_response_checks(scenario, shed, free)
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]
    begins, ends = sc.event_window(scenario)
    cap = scenario["expect"]["during_port_kw_at_most"]
    during = [(when, reply) for when, reply in shed if begins <= when < ends]
    assert during and [when for when, _ in shed] == [when for when, _ in free]
    for when, reply in during:  # every port capped and marked shed at every sample
        for station in reply.stationData:
            for port in station.Port:
                assert float(port.portLoad) <= cap and port.shedState == 1, (when, port)
    before = [w for w, _ in shed if w < begins]
    assert sc.group_kw(shed, before[0], begins) == sc.group_kw(free, before[0], begins)
    assert sum(sc.group_kw(shed, begins, ends)) < sum(sc.group_kw(free, begins, ends))


@pytest.fixture(scope="module")
def depot_nights() -> dict[str, sc.DepotNight]:
    return {}


@pytest.fixture
def one_night_per_depot(
    depot_nights: dict[str, sc.DepotNight], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The night of a depot scenario (``mockcp.scenario_runs.depot_night``, behind both
    ``sc.depot_night`` and run-scenario) is computed once in this module: the scenario's own
    test and the run-scenario test read the night of the same file (the real computation, made
    by whichever of them runs first; 3-4 CPU-s each time)."""
    real = runs.depot_night

    def once(scenario: dict[str, Any], apps: runs.Apps) -> sc.DepotNight:
        key = json.dumps(scenario, sort_keys=True, default=str)
        if key not in depot_nights:
            depot_nights[key] = real(scenario, apps)
        return depot_nights[key]

    monkeypatch.setattr(runs, "depot_night", once)
    yield


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*depot*.yaml")), ids=str)
@pytest.mark.usefixtures("one_night_per_depot")
def test_depot_scenario(path: Path) -> None:
    scenario = sc.load(path)
    night = sc.depot_night(scenario)
    checks = sc.depot_checks(scenario, night)
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]
    first, *_, last = night.statuses
    assert set(first[1].values()) == {"Not Plugged In"} == set(last[1].values())
    assert any("Charging" in statuses.values() for _, statuses in night.statuses)
    assert len({r.fleetVehicleID for r in night.usage}) == scenario["vehicles"]
    for row in night.usage:
        assert row.Energy == night.session_energy[row.transactionID - 7_000_000_000] > 0


@pytest.mark.usefixtures("one_night_per_depot")
def test_run_scenario_prints_the_timeline_and_its_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run-scenario", "overnight-depot"]) == 0  # a packaged scenario, by name
    captured = capsys.readouterr()
    # not a terminal: progress is plain lines on stderr, one a stage
    assert captured.err.splitlines() == [
        "mockcp: run-scenario [1/3] the depot's night: statuses, then the night's usage",
        "mockcp: run-scenario [2/3] checking the expectations",
    ]
    out = captured.out.splitlines()
    assert out[0].startswith("scenario: Overnight depot")
    assert out[1] == "2024-03-12 22:00Z  4 Not Plugged In"
    assert out[2] == "2024-03-13 03:00Z  4 Charging"
    assert all(line.startswith("  [pass] ") for line in out[5:]) and len(out) > 10


def test_run_scenario_refuses_what_is_not_a_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing.yaml")
    assert main(["run-scenario", missing]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"mockcp: error: no scenario named or at {missing!r} (packaged: "
        f"{', '.join(names(PACKAGED))}; or the path of a YAML file)\n"
    )
    odd = tmp_path / "odd.yaml"
    odd.write_text("name: nothing to run\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a scenario"):
        sc.load(odd)
    assert main(["run-scenario", str(odd)]) == 2
    assert (
        capsys.readouterr().err
        == f"mockcp: error: {odd}: not a scenario (no event, checks or steps)\n"
    )


def test_run_scenario_finds_packaged_names_and_file_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run-scenario", "--list"]) == 0
    assert capsys.readouterr().out.split() == sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    copy = tmp_path / "overnight-depot.yaml"  # a file of the user's, named like a packaged one
    copy.write_text((SCENARIOS / "overnight-depot.yaml").read_text(encoding="utf-8"))
    assert find(PACKAGED, "overnight-depot") == PACKAGED / "overnight-depot.yaml"
    assert find(PACKAGED, str(copy)) == copy
    assert find(PACKAGED, "overnight-depot.yaml") == PACKAGED / "overnight-depot.yaml"
    assert find(PACKAGED, "no-such-scenario") is None


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*client*.yaml")), ids=str)
def test_steps_scenario_journal_expectations_hold(path: Path) -> None:
    lines, checks = sc.execute(path)
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]
    assert "2024-03-12 17:02Z  call shedLoad: Fault" in lines  # zeep on the 503 page


def test_steps_scenario_expectations_fail_when_the_client_does_not_act() -> None:
    """The same flow with a client that never sheds: the expectations say so."""
    from mockcp.scenario_steps import execute_steps

    scenario = sc.load(SCENARIOS / "utility-event-client-sheds.yaml")
    scenario["steps"] = [s for s in scenario["steps"] if "call" not in s]
    _, checks = execute_steps(scenario)
    assert [(c.measured, c.ok) for c in checks] == [("0", False), ("0", False), ("0", False)]


def test_steps_scenario_checks_a_partner_client_passed_in() -> None:
    """run_steps with the partner's own client (here: a function reacting to the clock)."""
    from mockcp.clock import ManualClock
    from mockcp.config import Settings
    from mockcp.scenario_steps import run_steps
    from mockcp.testing import MockChargePoint

    scenario = sc.load(SCENARIOS / "utility-event-client-sheds.yaml")
    scenario["steps"] = [s for s in scenario["steps"] if "call" not in s]
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"),
                         ManualClock(sc.at(scenario["clock"]))) as mock:
        service = mock.client().service
        query = {"shedGroup": {"sgID": 1002, "allowedLoadPerStation": 6}, "timeInterval": 0}

        def partner(now: object) -> None:
            if str(now).startswith("2024-03-12 17:00"):  # the utility's event: shed, retry
                for _ in range(3):
                    try:
                        if service.shedLoad(shedQuery=query).responseCode == "100":
                            break
                    except zeep.exceptions.Fault:  # the 503 page
                        continue
            if str(now).startswith("2024-03-12 17:10"):
                service.getStationStatus(searchQuery={"stationID": "1:10002"})

        _, checks = run_steps(scenario, mock.control, client=partner)
    assert [(c.measured, c.ok) for c in checks] == [("1", True), ("1", True), ("1", True)]
