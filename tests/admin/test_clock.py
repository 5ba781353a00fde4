"""The clock control plane: GET/POST /_mock/clock moves the simulated time for SOAP too."""

from __future__ import annotations

import json

import pytest
from werkzeug.test import Client

from mockcp.testing import MockChargePoint


def clock_call(mock: MockChargePoint, body: object | None = None) -> tuple[int, dict[str, str]]:
    client = Client(mock.wsgi)
    reply = client.get("/_mock/clock") if body is None else client.post("/_mock/clock", json=body)
    return reply.status_code, json.loads(reply.get_data())


def test_clock_reports_now_and_mode(mock: MockChargePoint) -> None:
    assert clock_call(mock) == (200, {"now": "2024-03-12T17:00:00Z", "mode": "frozen"})


def test_clock_advance_by_iso_duration(mock: MockChargePoint) -> None:
    assert clock_call(mock, {"advance": "PT15M"}) == (
        200,
        {"now": "2024-03-12T17:15:00Z", "mode": "frozen"},
    )
    assert clock_call(mock, {"advance": "P2DT1H"})[1]["now"] == "2024-03-14T18:15:00Z"


def test_clock_set_forward_only(mock: MockChargePoint) -> None:
    assert clock_call(mock, {"set": "2024-04-01T00:00:00Z"})[1]["now"] == "2024-04-01T00:00:00Z"
    status, body = clock_call(mock, {"set": "2024-01-01T00:00:00Z"})
    assert (status, body) == (400, {"error": "a clock only moves forward"})
    assert clock_call(mock)[1]["now"] == "2024-04-01T00:00:00Z"


def test_clock_mode_switches(mock: MockChargePoint) -> None:
    assert clock_call(mock, {"mode": "x60"})[1]["mode"] == "x60"
    assert clock_call(mock, {"mode": "realtime"})[1]["mode"] == "realtime"
    assert clock_call(mock, {"mode": "frozen"})[1]["mode"] == "frozen"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"advance": "15 minutes"}, "not an ISO-8601 duration of W/D/H/M/S: '15 minutes'"),
        ({"mode": "x0"}, "unknown clock mode 'x0' (frozen, realtime or xN with N > 0)"),
        ({"rewind": "PT1H"}, "unknown clock command 'rewind'"),
        (
            {"advance": "PT1H", "mode": "x2"},
            'send exactly one of {"advance": ...}, {"set": ...}, {"mode": ...}',
        ),
        ({"set": "tomorrow"}, "Invalid isoformat string: 'tomorrow'"),
    ],
)
def test_clock_bad_commands_are_400_and_change_nothing(
    mock: MockChargePoint, body: dict[str, str], error: str
) -> None:
    assert clock_call(mock, body) == (400, {"error": error})
    assert clock_call(mock) == (200, {"now": "2024-03-12T17:00:00Z", "mode": "frozen"})


def test_clock_moves_the_soap_timestamp(mock: MockChargePoint) -> None:
    from tests.soap.envelopes import SOAP_PATH, guide_style, parse

    tenant = mock.tenants()[0]
    clock_call(mock, {"advance": "PT1H"})
    data = guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>")
    root = parse(Client(mock.wsgi).post(SOAP_PATH, data=data).get_data())
    assert root.findtext(".//{*}Created") == "2024-03-12T18:00:00.000Z"
