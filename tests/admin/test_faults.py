"""Forced answers through /_mock/faults: any catalogue code by name or number, a Server
fault, for N calls (exactly N across apps sharing a store), a span of wall or simulated time,
or a probability; per operation and tenant. Transport faults: tests/test_server.py."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import zeep
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds import stores

SHED = {"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 3}, "timeInterval": 0}
LOAD = {"stationID": "1:10002"}
UNKNOWN = ResponseCode.UNKNOWN_ERROR.code


def post(mock: MockChargePoint, body: object) -> tuple[int, Any]:
    reply = Client(mock.wsgi).post("/_mock/faults", json=body)
    assert reply.headers["Content-Type"] == "application/json"
    return reply.status_code, json.loads(reply.get_data())


def armed(mock: MockChargePoint) -> Any:
    return json.loads(Client(mock.wsgi).get("/_mock/faults").get_data())


def test_forced_code_answers_the_next_calls_then_the_real_one(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    status, listed = post(mock, {"operation": "shedLoad", "code": "CANNOT_SHED_NOW", "count": 2})
    assert status == 201
    assert listed == [
        {"id": 1, "operation": "shedLoad", "code": "CANNOT_SHED_NOW", "responseCode": "126",
         "count": 2, "fired": 0, "active": True},
    ]
    assert client.service.getLoad(searchQuery=LOAD).responseCode == "100"  # another operation
    for left in (1, 0):
        reply = client.service.shedLoad(shedQuery=SHED)
        code = ResponseCode.CANNOT_SHED_NOW
        assert (reply.responseCode, reply.responseText) == (code.code, code.text)
        (fault,) = armed(mock)
        assert (fault["count"], fault["fired"], fault["active"]) == (left, 2 - left, left > 0)
    port = client.service.getLoad(searchQuery=LOAD).stationData[0].Port[0]
    assert port.shedState == 0  # the forced answers changed nothing
    assert client.service.shedLoad(shedQuery=SHED).responseCode == "100"
    journal = json.loads(Client(mock.wsgi).get("/_mock/journal?operation=shedLoad").get_data())
    assert [r["responseCode"] for r in journal] == ["126", "126", "100"]


@pytest.mark.parametrize("number", ["126", 126])
def test_a_code_by_number_is_the_same_as_by_name(
    mock: MockChargePoint, client: zeep.Client, number: object
) -> None:
    assert post(mock, {"operation": "shedLoad", "code": number})[0] == 201
    reply = client.service.shedLoad(shedQuery=SHED)
    code = ResponseCode.CANNOT_SHED_NOW
    assert (reply.responseCode, reply.responseText) == (code.code, code.text)


def test_forced_templated_code_and_tenant_scope(mock: MockChargePoint) -> None:
    sunrise, harbor = (mock.client(t) for t in mock.tenants())
    body = {
        "operation": "getStations", "code": "PAGE_SIZE_EXCEEDED", "orgID": "1:ORG00002",
        "fields": {"maximum": "500"},
    }
    assert post(mock, body)[0] == 201
    assert sunrise.service.getStations(searchQuery={}).responseCode == "100"  # not its tenant
    reply = harbor.service.getStations(searchQuery={})
    code = ResponseCode.PAGE_SIZE_EXCEEDED
    assert (reply.responseCode, reply.responseText) == (code.code, code.render(maximum="500"))
    assert reply.stationData == []


def test_forced_server_fault_on_any_operation(mock: MockChargePoint, client: zeep.Client) -> None:
    assert post(mock, {"operation": "*", "fault": "server"})[0] == 201
    with pytest.raises(zeep.exceptions.Fault) as fault:
        client.service.getCPNInstances()
    assert fault.value.code == "soapenv:Server"
    assert fault.value.message == "Forced fault in getCPNInstances (/_mock/faults)."
    assert client.service.getCPNInstances()[0].cpnID == "1"
    (entry,) = json.loads(Client(mock.wsgi).get("/_mock/journal?fault=server").get_data())
    assert (entry["httpStatus"], entry["operation"]) == (500, "getCPNInstances")


def test_simulated_duration_ends_with_the_clock(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    post(mock, {"operation": "getLoad", "code": "UNKNOWN_ERROR", "simulated": "PT15M"})
    for _ in range(3):  # no count: every call inside the span
        assert client.service.getLoad(searchQuery=LOAD).responseCode == UNKNOWN
    clock.advance(timedelta(minutes=16))
    assert client.service.getLoad(searchQuery=LOAD).responseCode == "100"
    (fault,) = armed(mock)
    assert (fault["fired"], fault["active"], fault["untilSimulated"]) == (
        3, False, "2024-03-12T17:15:00Z",
    )


def test_wall_duration_is_listed_and_active(mock: MockChargePoint, client: zeep.Client) -> None:
    post(mock, {"operation": "getLoad", "code": "UNKNOWN_ERROR", "seconds": 600})
    assert client.service.getLoad(searchQuery=LOAD).responseCode == UNKNOWN
    (fault,) = armed(mock)
    assert fault["active"] and fault["count"] is None and fault["untilWall"].endswith("Z")


def test_probability_fires_on_a_seeded_share_and_repeats(tmp_path: Path) -> None:
    def run() -> list[str]:
        with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"),
                             ManualClock(START)) as mock:
            post(mock, {"operation": "getLoad", "code": "UNKNOWN_ERROR", "probability": 0.5})
            client = mock.client()
            return [client.service.getLoad(searchQuery=LOAD).responseCode for _ in range(40)]

    first = run()
    assert 5 <= first.count(UNKNOWN) <= 35 and set(first) == {UNKNOWN, "100"}
    assert run() == first  # the draw comes from derived seeds, not from chance


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return stores.store_url(request.param, tmp_path)


def test_a_count_fires_exactly_n_times_across_apps_sharing_a_store(store_url: str) -> None:
    shared = Settings(database_url=store_url, fixture="minimal")
    with (
        MockChargePoint(shared, ManualClock(START)) as one,
        MockChargePoint(shared, ManualClock(START)) as two,
    ):
        body = {"operation": "getCPNInstances", "code": "UNKNOWN_ERROR", "count": 7}
        assert post(one, body)[0] == 201
        codes: list[str] = []
        lock = threading.Lock()

        def call(mock: MockChargePoint) -> None:
            client = mock.client()
            for _ in range(6):
                try:
                    client.service.getCPNInstances()
                    answer = "100"
                except zeep.exceptions.Fault as fault:  # a list reply has no code: a fault
                    answer = fault.message.split(":")[0]
                with lock:
                    codes.append(answer)

        threads = [threading.Thread(target=call, args=(m,)) for m in (one, two, one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert codes.count(UNKNOWN) == 7 and len(codes) == 24
        assert armed(two)[0]["fired"] == 7


def test_delete_and_reset_drop_the_faults(mock: MockChargePoint, client: zeep.Client) -> None:
    post(mock, {"operation": "getLoad", "code": "UNKNOWN_ERROR", "count": 5})
    assert Client(mock.wsgi).delete("/_mock/faults").status_code == 200
    assert armed(mock) == []
    post(mock, {"operation": "getLoad", "code": "UNKNOWN_ERROR"})
    Client(mock.wsgi).post("/_mock/reset")
    assert armed(mock) == []
    assert client.service.getLoad(searchQuery=LOAD).responseCode == "100"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"operation": "startSession", "code": "UNKNOWN_ERROR"},
         "'startSession' is not an operation of the API"),
        ({"code": "NOPE"}, "'NOPE' is neither a ResponseCode name nor a code (see `mockcp codes`)"),
        ({"code": "100"}, "OK is not an error to force"),
        ({"code": "PAGE_SIZE_EXCEEDED"}, "PAGE_SIZE_EXCEEDED needs the fields ['maximum']"),
        ({"code": "UNKNOWN_ERROR", "count": 0}, "count must be a whole number from 1 to 1000000"),
        ({"code": "UNKNOWN_ERROR", "fault": "server"},
         'send exactly one of "code" (a ResponseCode name or number) and "fault"'),
        ({"fault": "client"}, "fault must be one of server, latency, drop, reset, http503, "
                              "truncated, malformed, hang"),
        ({"fault": "latency"}, "latencyMs must be milliseconds from 0 to 300000, or [min, max]"),
        ({"fault": "latency", "latencyMs": [300, 100]},
         "latencyMs: the minimum is above the maximum"),
        ({"fault": "drop", "latencyMs": 5},
         "latencyMs goes with the latency fault, hangMs with the hang fault"),
        ({"fault": "hang", "hangMs": 400_000},
         "hangMs must be milliseconds from 0 to 300000, or [min, max]"),
        ({"fault": "drop", "probability": 1.5},
         "probability must be a number above 0 and at most 1"),
        ({"fault": "drop", "seconds": 0}, "seconds must be above 0 and at most 86400"),
        ({"fault": "drop", "simulated": "soon"},
         "simulated: not an ISO-8601 duration of W/D/H/M/S: 'soon'"),
        ({"code": "UNKNOWN_ERROR", "delay": 3}, "unknown keys: delay"),
        ([1, 2], "send a JSON object"),
    ],
)
def test_bad_requests_are_refused_and_arm_nothing(
    mock: MockChargePoint, body: object, error: str
) -> None:
    assert post(mock, body) == (400, {"error": error})
    assert armed(mock) == []
