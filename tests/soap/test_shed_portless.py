"""A station without ports (a fixture may give one: ``ports`` defaults to none) is shed and
cleared like any other: there is nothing to cap, and nothing fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
import zeep

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.data import FIXTURES, find
from mockcp.testing import MockChargePoint
from tests.conftest import START


@pytest.fixture
def portless(tmp_path: Path) -> Iterator[zeep.Client]:
    """The minimal world with 1:10001's two ports taken away, as Sunrise sees it."""
    found = find(FIXTURES, "minimal")
    assert found is not None
    world: dict[str, Any] = yaml.safe_load(found.read_text(encoding="utf-8"))
    [station] = [s for s in world["stations"] if s["station_id"] == "1:10001"]
    station["ports"] = []
    path = tmp_path / "portless.yaml"
    path.write_text(yaml.safe_dump(world), encoding="utf-8")
    settings = Settings(database_url="sqlite://", fixture=str(path))
    with MockChargePoint(settings, ManualClock(START)) as mock:
        yield mock.client(mock.tenants()[0])


def test_a_station_without_ports_is_shed_and_cleared(portless: zeep.Client) -> None:
    shed = portless.service.shedLoad(
        shedQuery={"shedStation": {"stationID": "1:10001", "allowedLoadPerStation": 10},
                   "timeInterval": 0})
    assert (shed.responseCode, shed.Success, shed.stationID) == ("100", 1, "1:10001")
    load = portless.service.getLoad(searchQuery={"stationID": "1:10001"})
    assert (load.responseCode, [s.Port for s in load.stationData]) == ("100", [[]])
    cleared = portless.service.clearShedState(shedQuery={"shedStation": {"stationID": "1:10001"}})
    assert (cleared.responseCode, cleared.Success) == ("100", 0)  # no shed was in force there
