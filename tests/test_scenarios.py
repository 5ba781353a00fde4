"""Scenario files in mockcp/data/scenarios/ run against a fresh mock, through zeep, as a
client would (mockcp.scenario, also ``mockcp run-scenario``): every check of each file holds,
and the raw readings are checked here on their own too."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockcp import scenario as sc
from mockcp.cli import main
from mockcp.data import SCENARIOS as PACKAGED
from mockcp.data import find, names

SCENARIOS = Path(str(PACKAGED))  # the packaged scenarios (a plain folder in a checkout)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*demand-response*.yaml")), ids=str)
def test_demand_response_scenario(path: Path) -> None:
    scenario = sc.load(path)
    shed, free = sc.load_samples(scenario, True), sc.load_samples(scenario, False)
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


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*depot*.yaml")), ids=str)
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
        == f"mockcp: error: {odd}: not a scenario (no event and no checks)\n"
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
