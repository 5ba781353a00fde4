"""The pre-parse guard (soap/guard.py): a request's shape is bounded before spyne sees it.

Each bound is refused with a Client fault naming it, a request at the bound is served, and
a refused request does less work than a plain one (statements counted, never timed).
"""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockcp.domain.tenants import Tenant
from mockcp.soap import guard
from mockcp.testing import MockChargePoint
from tests.soap.envelopes import SOAP_PATH, fault_of, guide_style
from tests.soap.work import forget_kept, work_of

DTD_REFUSAL = "DTDs and entity declarations are not allowed in SOAP messages."


def post(mock: MockChargePoint, data: bytes) -> tuple[int, bytes]:
    reply = Client(mock.wsgi).post(SOAP_PATH, data=data, headers={"Content-Type": "text/xml"})
    return reply.status_code, reply.get_data()


def with_attributes(tenant: Tenant, count: int) -> bytes:
    attributes = " ".join(f'a{i}="{i}"' for i in range(count))
    body = f"<urn:getCPNInstances {attributes}/>"
    return guide_style(tenant.license_key, tenant.password, body)


def with_elements(tenant: Tenant, count: int) -> bytes:
    """A getStations whose searchQuery carries ``count`` unknown (ignored) children."""
    filler = "<x/>" * count
    body = f"<urn:getStations><searchQuery>{filler}</searchQuery></urn:getStations>"
    return guide_style(tenant.license_key, tenant.password, body)


def refused(mock: MockChargePoint, data: bytes) -> str:
    status, reply = post(mock, data)
    assert status == 500
    code, text = fault_of(reply)
    assert code == "soapenv:Client"
    return text


def test_guard_attributes_on_one_element_above_the_bound_get_a_client_fault(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    text = refused(mock, with_attributes(tenant, 40_000))
    assert text == (
        "An element of the request has 40000 attributes; at most "
        f"{guard.MAX_ELEMENT_ATTRIBUTES} are allowed on one element."
    )


def test_guard_attributes_at_the_bound_are_served(mock: MockChargePoint, tenant: Tenant) -> None:
    status, reply = post(mock, with_attributes(tenant, guard.MAX_ELEMENT_ATTRIBUTES))
    assert status == 200
    assert reply.count(b"<CPN>") == 4


def test_guard_attributes_in_all_above_the_bound_get_a_client_fault(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    many = guard.MAX_ATTRIBUTES // 10 + 1
    filler = '<x a="1" b="1" c="1" d="1" e="1" f="1" g="1" h="1" i="1" j="1"/>' * many
    body = f"<urn:getStations><searchQuery>{filler}</searchQuery></urn:getStations>"
    data = guide_style(tenant.license_key, tenant.password, body)
    total = guard.shape_of(guard.etree.fromstring(data)).attributes
    assert total > guard.MAX_ATTRIBUTES
    assert refused(mock, data) == (
        f"The request has {total} attributes; at most {guard.MAX_ATTRIBUTES} are allowed."
    )


def test_guard_elements_above_the_bound_get_a_client_fault(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    data = with_elements(tenant, guard.MAX_ELEMENTS)
    total = guard.shape_of(guard.etree.fromstring(data)).elements
    assert refused(mock, data) == (
        f"The request has {total} elements; at most {guard.MAX_ELEMENTS} are allowed."
    )


def test_guard_elements_at_the_bound_are_served(mock: MockChargePoint, tenant: Tenant) -> None:
    data = with_elements(tenant, 10)
    extra = guard.MAX_ELEMENTS - guard.shape_of(guard.etree.fromstring(data)).elements
    data = with_elements(tenant, 10 + extra)
    assert guard.shape_of(guard.etree.fromstring(data)).elements == guard.MAX_ELEMENTS
    status, reply = post(mock, data)
    assert status == 200, reply
    assert b"<responseCode>100</responseCode>" in reply


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-32"])
def test_guard_refuses_a_dtd_whatever_the_encoding(
    mock: MockChargePoint, tenant: Tenant, encoding: str
) -> None:
    envelope = guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>")
    declared = "utf-16" if encoding == "utf-16-le" else encoding
    document = (
        f'<?xml version="1.0" encoding="{declared}"?>'
        '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + envelope.decode()
    )
    data = document.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data  # a byte-order mark, as Windows clients send it
    assert b"<!DOCTYPE" not in data or encoding == "utf-8"
    assert refused(mock, data) == DTD_REFUSAL


def test_guard_refused_wide_request_does_less_work_than_a_plain_one(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    """Counted, not timed: the refusal sends no statement but the call's one read of the
    store's state (the clock, for the journal's instant) and its journal row (no caller
    looked up, no operation run), fewer than the plainest call."""
    plain = guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>")
    wide = with_attributes(tenant, 40_000)  # ~430 KB: spyne alone spent seconds on it
    post(mock, plain)
    forget_kept(mock.wsgi)  # each call reads the store's state (not kept from the last one)
    plain_work, _ = work_of(mock, lambda: post(mock, plain))
    forget_kept(mock.wsgi)
    wide_work, (status, _) = work_of(mock, lambda: post(mock, wide))
    assert status == 500
    assert wide_work.statements == 2 < plain_work.statements  # state read + journal row
    assert wide_work.rows_written == 1


def test_guard_and_size_refusals_are_journaled_without_their_body(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    """Every SOAP call is in the journal (issue 14), refused ones too: the guard's and the
    size limit's, with their Client fault and no parameters (the body is never parsed again)."""
    refused(mock, with_attributes(tenant, 40_000))
    oversized = b"<x>" + b" " * (mock.wsgi.settings.max_body_bytes + 1) + b"</x>"
    assert post(mock, oversized)[0] == 500
    entries = Client(mock.wsgi).get("/_mock/journal").get_json()
    assert [(e["httpStatus"], e["fault"], e["operation"], e["params"]) for e in entries] == [
        (500, "soapenv:Client", None, None),
        (500, "soapenv:Client", None, None),
    ]
