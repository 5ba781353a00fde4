"""Bad input gets a SOAP 1.1 Client fault naming the problem, and the server keeps serving."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.soap.envelopes import SOAP_PATH, fault_of, go_style, guide_style

ENV = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'


def post(mock: MockChargePoint, data: bytes) -> tuple[int, str, bytes]:
    reply = Client(mock.wsgi).post(SOAP_PATH, data=data, headers={"Content-Type": "text/xml"})
    return reply.status_code, reply.headers["Content-Type"], reply.get_data()


def assert_next_request_served(mock: MockChargePoint, tenant: Tenant) -> None:
    status, _, data = post(
        mock, guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>")
    )
    assert status == 200
    assert data.count(b"<CPN>") == 4


def cases(tenant: Tenant) -> dict[str, tuple[bytes, str]]:
    key, pw = tenant.license_key, tenant.password
    deep = "<a>" * 200 + "</a>" * 200
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f"{ENV}<soapenv:Body>&lol2;</soapenv:Body></soapenv:Envelope>"
    )
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f"{ENV}<soapenv:Body>&xxe;</soapenv:Body></soapenv:Envelope>"
    )
    return {
        "malformed": (b"<soapenv:Envelope><unclosed>", "Malformed XML: "),
        "empty": (b"", "Empty request body: a SOAP 1.1 envelope is required."),
        "not_soap": (b"<hello/>", "Expected a SOAP 1.1 Envelope, got hello."),
        "empty_body": (
            f"{ENV}<soapenv:Body/></soapenv:Envelope>".encode(),
            "The SOAP Body is missing or empty: it must hold one operation element.",
        ),
        "unknown_operation": (
            guide_style(key, pw, "<urn:getEverything/>"),
            "Unknown operation: getEverything is not an operation of the 5.1 API.",
        ),
        "wrong_type": (
            go_style(key, pw, "getLoad", "<searchQuery><sgID>twelve</sgID></searchQuery>"),
            "Invalid getLoad request: ",
        ),
        "missing_required": (
            go_style(key, pw, "getLoad", ""),
            "Invalid getLoad request: element 'searchQuery' is missing or occurs more often "
            "than the schema allows.",
        ),
        "bad_boolean": (
            go_style(
                key,
                pw,
                "get15minChargingSessionData",
                "<sessionID>1</sessionID><energyConsumedInterval>maybe</energyConsumedInterval>",
            ),
            "Element energyConsumedInterval: 'maybe' is not a boolean (true, false, 1, 0).",
        ),
        "bad_datetime": (
            go_style(
                key,
                pw,
                "getChargingSessionData",
                "<searchQuery><fromTimeStamp>yesterday</fromTimeStamp></searchQuery>",
            ),
            "Element fromTimeStamp: 'yesterday' is not an ISO-8601 date-time.",
        ),
        "dtd_xxe": (xxe.encode(), "DTDs and entity declarations are not allowed in SOAP messages."),
        "entity_expansion": (
            laughs.encode(),
            "DTDs and entity declarations are not allowed in SOAP messages.",
        ),
        "excessive_depth": (
            f"{ENV}<soapenv:Body>{deep}</soapenv:Body></soapenv:Envelope>".encode(),
            "XML nesting deeper than 64 levels is not allowed.",
        ),
        "soap12": (
            b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>',
            "SOAP 1.2 is not supported: send a SOAP 1.1 envelope.",
        ),
    }


CASES = [
    "malformed",
    "empty",
    "not_soap",
    "empty_body",
    "unknown_operation",
    "wrong_type",
    "missing_required",
    "bad_boolean",
    "bad_datetime",
    "dtd_xxe",
    "entity_expansion",
    "excessive_depth",
    "soap12",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_client_fault_then_server_still_serves(
    mock: MockChargePoint, tenant: Tenant, case: str
) -> None:
    data, expected = cases(tenant)[case]
    status, content_type, reply = post(mock, data)
    assert status == 500
    assert content_type.startswith("text/xml")
    code, text = fault_of(reply)
    assert code == "soapenv:Client"
    assert text.startswith(expected), text
    assert b"Traceback" not in reply and b"<html" not in reply.lower()
    assert_next_request_served(mock, tenant)


def test_oversized_body_is_refused_before_reading(mock: MockChargePoint, tenant: Tenant) -> None:
    limit = mock.wsgi.settings.max_body_bytes
    padding = "<!--" + "x" * (limit + 10) + "-->"
    data = guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>" + padding)
    status, _, reply = post(mock, data)
    assert status == 500
    assert fault_of(reply) == (
        "soapenv:Client",
        f"Request body exceeds the limit of {limit} bytes.",
    )
    assert_next_request_served(mock, tenant)


def test_get_on_soap_endpoint_is_a_fault_not_html(mock: MockChargePoint, tenant: Tenant) -> None:
    reply = Client(mock.wsgi).get(SOAP_PATH)
    assert reply.status_code == 405
    assert fault_of(reply.get_data()) == (
        "soapenv:Client",
        "SOAP requests must be sent with HTTP POST.",
    )


def test_unknown_path_is_a_fault_not_html(mock: MockChargePoint) -> None:
    reply = Client(mock.wsgi).post("/nowhere", data=b"<x/>")
    assert reply.status_code == 404
    assert fault_of(reply.get_data())[1] == f"No SOAP endpoint at /nowhere; use {SOAP_PATH}."
