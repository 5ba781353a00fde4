"""mockcp.control / mockcp.testing helpers: the same calls in process and against a URL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import requests
import zeep

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.control import ControlError, ControlPlane
from mockcp.testing import MockChargePoint
from tests.conftest import START

SHED = {"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 3}, "timeInterval": 0}


@pytest.fixture(scope="module")
def shared_mock() -> Iterator[MockChargePoint]:
    settings = Settings(database_url="sqlite://", fixture="minimal", clock_mode="frozen")
    with MockChargePoint(settings, ManualClock(START)) as mock:
        yield mock


@pytest.fixture(params=["in-process", "url"])
def control(
    request: pytest.FixtureRequest, shared_mock: MockChargePoint
) -> Iterator[ControlPlane]:
    if request.param == "in-process":
        plane = shared_mock.control
        plane.journal.clear()
        plane.faults.clear()
        yield plane
        return
    with shared_mock.serve() as url:
        plane = ControlPlane.at(url)
        plane.journal.clear()
        plane.faults.clear()
        yield plane


def test_assert_called_counts_matching_calls(
    control: ControlPlane, shared_mock: MockChargePoint
) -> None:
    client = shared_mock.client()
    client.service.shedLoad(shedQuery=SHED)
    client.service.clearShedState(shedQuery={"shedStation": {"stationID": "1:10002"}})
    (shed,) = control.journal.assert_called(
        "shedLoad", times=1, stationID="1:10002", allowedLoadPerStation=3
    )
    assert shed["responseCode"] == "100"
    control.journal.assert_called("clearShedState")
    assert control.journal.calls(stationID="1:10002") == control.journal.entries()
    with pytest.raises(AssertionError, match=r"expected shedLoad .* 1 time\(s\), found 0"):
        control.journal.assert_called("shedLoad", times=1, allowedLoadPerStation=4)
    with pytest.raises(AssertionError, match="at least once, found 0"):
        control.journal.assert_called("getLoad")
    params = {"shedQuery.shedStation.stationID": "1:10002"}
    assert len(control.journal.calls("shedLoad", params=params, org_id="1:ORG00001")) == 1


def test_force_then_see_it_fire_and_listed(
    control: ControlPlane, shared_mock: MockChargePoint
) -> None:
    armed = control.faults.force("shedLoad", code=126, count=1)
    assert (armed["code"], armed["count"], armed["fired"]) == ("CANNOT_SHED_NOW", 1, 0)
    reply = shared_mock.client().service.shedLoad(shedQuery=SHED)
    code = ResponseCode.CANNOT_SHED_NOW
    assert (reply.responseCode, reply.responseText) == (code.code, code.text)
    assert control.faults.armed()[0]["fired"] == 1
    control.journal.assert_called("shedLoad", times=1, response_code="126")
    with pytest.raises(ControlError, match="POST /_mock/faults: 400 unknown keys: colour"):
        control.faults.force(colour="red")


def test_clock_advance_moves_simulated_time(control: ControlPlane) -> None:
    before = datetime.fromisoformat(control.clock.now().replace("Z", "+00:00"))
    after = control.clock.advance("PT15M")
    assert after == (before + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert control.clock.now() == after


def test_in_process_drop_reaches_zeep_as_a_connection_error(mock: MockChargePoint) -> None:
    mock.faults.force("getCPNInstances", fault="reset")
    with pytest.raises(requests.ConnectionError, match=r"connection reset \(forced\)"):
        mock.client().service.getCPNInstances()
    assert mock.journal.calls(fault="reset")[0]["operation"] == "getCPNInstances"
    assert isinstance(mock.client().service.getCPNInstances()[0].cpnID, str)
    with pytest.raises(zeep.exceptions.Fault):
        mock.faults.force("getCPNInstances", fault="server")
        mock.client().service.getCPNInstances()


def test_stations_helpers_send_events(control: ControlPlane, shared_mock: MockChargePoint) -> None:
    assert control.stations.take_offline("1:10001")["alarms"] == ["Unreachable"]
    client = shared_mock.client()
    (row,) = client.service.getStationStatus(searchQuery={"stationID": "1:10001"}).stationData
    assert row.networkStatus == "Unreachable"
    with pytest.raises(ControlError, match="409 1:10001 is already offline"):
        control.stations.take_offline("1:10001")
    assert control.stations.bring_online("1:10001")["alarms"] == ["Reachable"]
    control.journal.assert_called("stationEvent", times=2, stationID="1:10001")
