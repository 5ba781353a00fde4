"""Every value the schema types allow or refuse gets a Client fault naming the element or
a documented code: never an HTML page, a Server fault or Python's words (issue 17)."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockcp.codes import ResponseCode
from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.soap.envelopes import SOAP_PATH, fault_of, guide_style


def event(start: str = "2024-03-12T19:00:00Z", minutes: str = "60", kw: str = "1") -> str:
    return (
        "<urn:createLoadShedEvent><shedEvent><stationID>1:10002</stationID>"
        f"<eventStartTime>{start}</eventStartTime><eventDuration>{minutes}</eventDuration>"
        f"<allowedLoadPerPort>{kw}</allowedLoadPerPort></shedEvent></urn:createLoadShedEvent>"
    )


def sessions_from(stamp: str) -> str:
    return (
        "<urn:getChargingSessionData><searchQuery>"
        f"<fromTimeStamp>{stamp}</fromTimeStamp></searchQuery></urn:getChargingSessionData>"
    )


def shed_allowed(value: str) -> str:
    return (
        "<urn:shedLoad><shedQuery><shedStation><stationID>1:10002</stationID>"
        f"<allowedLoadPerStation>{value}</allowedLoadPerStation></shedStation>"
        "<timeInterval>0</timeInterval></shedQuery></urn:shedLoad>"
    )


FAULTS = {
    "nan-decimal": (event(kw="NaN"), "Element allowedLoadPerPort: 'NaN' is not a finite number."),
    "inf-decimal": (event(kw="INF"), "Element allowedLoadPerPort: 'INF' is not a finite number."),
    "neg-inf-decimal": (
        event(kw="-Infinity"),
        "Element allowedLoadPerPort: '-Infinity' is not a finite number.",
    ),
    "overflowing-decimal": (
        event(kw="1e400"),
        "Element allowedLoadPerPort: '1e400' is not a finite number.",
    ),
    "nan-float": (
        shed_allowed("nan"),
        "Element allowedLoadPerStation: 'nan' is not a finite number.",
    ),
    "first-instant-east": (
        sessions_from("0001-01-01T00:00:00+14:00"),
        "Element fromTimeStamp: '0001-01-01T00:00:00+14:00' is outside years 1-9999 once "
        "taken to UTC.",
    ),
    "last-instant-west": (
        event(start="9999-12-31T23:59:59-14:00"),
        "Element eventStartTime: '9999-12-31T23:59:59-14:00' is outside years 1-9999 once "
        "taken to UTC.",
    ),
    "year-zero": (
        sessions_from("0000-01-01T00:00:00Z"),
        "Element fromTimeStamp: '0000-01-01T00:00:00Z' is not an ISO-8601 date-time.",
    ),
    "empty-start": (
        event(start=""),
        "Invalid createLoadShedEvent request: element 'eventStartTime' is required "
        "and must not be empty.",
    ),
    "huge-integer": (
        "<urn:get15minChargingSessionData><sessionID>99999999999999999999</sessionID>"
        "</urn:get15minChargingSessionData>",
        "Element sessionID: '99999999999999999999' is out of range (64-bit integers).",
    ),
}


def post(mock: MockChargePoint, tenant: Tenant, body: str) -> tuple[int, bytes]:
    reply = Client(mock.wsgi).post(
        SOAP_PATH, data=guide_style(tenant.license_key, tenant.password, body),
        headers={"Content-Type": "text/xml"},
    )
    return reply.status_code, reply.get_data()


@pytest.mark.parametrize("case", sorted(FAULTS))
def test_value_outside_what_the_mock_can_hold_gets_a_client_fault_naming_it(
    mock: MockChargePoint, tenant: Tenant, case: str
) -> None:
    body, expected = FAULTS[case]
    status, reply = post(mock, tenant, body)
    assert status == 500
    assert fault_of(reply) == ("soapenv:Client", expected)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (event(start="9999-12-31T23:59:59Z"), ResponseCode.INVALID_FUTURE_DATE),
        (event(start="0001-01-01T00:00:00Z"), ResponseCode.INVALID_FUTURE_DATE),
        (event(minutes="2147483647"), ResponseCode.INVALID_DURATION),
        (event(minutes="-2147483648"), ResponseCode.INVALID_DURATION),
    ],
    ids=["year-9999", "year-1", "int32-max-minutes", "int32-min-minutes"],
)
def test_value_at_the_calendar_or_integer_edge_gets_its_guide_code(
    mock: MockChargePoint, tenant: Tenant, body: str, code: ResponseCode
) -> None:
    status, reply = post(mock, tenant, body)
    assert status == 200
    assert f"<responseCode>{code.code}</responseCode>".encode() in reply
    assert f"<responseText>{code.text}</responseText>".encode() in reply
