"""Forced responses through /_mock/faults: any catalogue code, or a Server fault, on demand."""

from __future__ import annotations

import json
from typing import Any

import pytest
import zeep
from werkzeug.test import Client

from mockcp.codes import ResponseCode
from mockcp.testing import MockChargePoint

SHED = {"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 3}, "timeInterval": 0}


def post(mock: MockChargePoint, body: object) -> tuple[int, Any]:
    reply = Client(mock.wsgi).post("/_mock/faults", json=body)
    assert reply.headers["Content-Type"] == "application/json"
    return reply.status_code, json.loads(reply.get_data())


def pending(mock: MockChargePoint) -> Any:
    return json.loads(Client(mock.wsgi).get("/_mock/faults").get_data())


def test_forced_code_answers_the_next_calls_then_the_real_one(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    status, queued = post(mock, {"operation": "shedLoad", "code": "CANNOT_SHED_NOW", "count": 2})
    assert status == 201
    assert queued == [
        {"operation": "shedLoad", "count": 2, "code": "CANNOT_SHED_NOW", "responseCode": "126"}
    ]
    other = client.service.getLoad(searchQuery={"stationID": "1:10002"})  # another operation
    assert other.responseCode == "100"
    for left in (1, 0):
        reply = client.service.shedLoad(shedQuery=SHED)
        code = ResponseCode.CANNOT_SHED_NOW
        assert (reply.responseCode, reply.responseText) == (code.code, code.text)
        assert len(pending(mock)) == left
    port = client.service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0].Port[0]
    assert port.shedState == 0  # the forced answers changed nothing
    assert client.service.shedLoad(shedQuery=SHED).responseCode == "100"
    journal = json.loads(Client(mock.wsgi).get("/_mock/journal").get_data())
    assert [r["response_code"] for r in journal if r["operation"] == "shedLoad"] == [
        "126", "126", "100",
    ]  # fmt: skip


def test_forced_templated_code_and_tenant_scope(mock: MockChargePoint) -> None:
    sunrise, harbor = (mock.client(t) for t in mock.tenants())
    body = {
        "operation": "getStations", "code": "PAGE_SIZE_EXCEEDED", "orgID": "1:ORG00002",
        "fields": {"maximum": "500"},
    }  # fmt: skip
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


def test_delete_and_reset_drop_the_queue(mock: MockChargePoint, client: zeep.Client) -> None:
    post(mock, {"operation": "getLoad", "code": "UNKNOWN_ERROR", "count": 5})
    assert Client(mock.wsgi).delete("/_mock/faults").status_code == 200
    assert pending(mock) == []
    post(mock, {"operation": "getLoad", "code": "UNKNOWN_ERROR"})
    Client(mock.wsgi).post("/_mock/reset")
    assert pending(mock) == []
    assert client.service.getLoad(searchQuery={"stationID": "1:10002"}).responseCode == "100"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"operation": "startSession", "code": "UNKNOWN_ERROR"},
         "'startSession' is not an operation of the 5.1 API"),
        ({"code": "NOPE"}, "'NOPE' is not a ResponseCode name (see `mockcp codes`)"),
        ({"code": "OK"}, "OK is not an error to force"),
        ({"code": "PAGE_SIZE_EXCEEDED"}, "PAGE_SIZE_EXCEEDED needs the fields ['maximum']"),
        ({"code": "UNKNOWN_ERROR", "count": 0}, "count must be a whole number from 1 to 10000"),
        ({"code": "UNKNOWN_ERROR", "fault": "server"},
         'send exactly one of "code" (a ResponseCode name) and "fault"'),
        ({"fault": "client"}, 'the only forced fault is "server"'),
        ({"code": "UNKNOWN_ERROR", "delay": 3}, "unknown keys: delay"),
        ([1, 2], "send a JSON object"),
    ],
)  # fmt: skip
def test_bad_requests_are_refused_and_queue_nothing(
    mock: MockChargePoint, body: object, error: str
) -> None:
    assert post(mock, body) == (400, {"error": error})
    assert pending(mock) == []
