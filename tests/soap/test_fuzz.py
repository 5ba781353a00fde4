"""A seeded fuzz over the WSDL's request types (issue 17).

hypothesis builds requests for all 32 operations from the app's own type declarations:
every element present or absent, repeated or not, and each simple value drawn from what
its type allows and what it refuses (NaN, infinities, calendar edges with offsets, huge
integers, empty and long strings, markup-looking text). Each request goes through the
in-process app; the answer is never an HTML page, never a Server fault, never Python's
words in a fault, and always a SOAP envelope.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from spyne import ComplexModelBase
from spyne.model.primitive import Boolean, Date, DateTime, Decimal, Double, Float, Integer
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.soap.wire import original
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.soap.envelopes import SOAP_PATH, guide_style

# Examples per CI run, each sent by both tenants (seeded: the same ones every run).
EXAMPLES = int(os.environ.get("MOCKCP_FUZZ_EXAMPLES", "1000"))
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
# Python's words: what an exception's text would carry into a fault.
PYTHON_TEXT = re.compile(
    r"Traceback|File \"|NoneType|object has no attribute|invalid literal|"
    r"unsupported operand|not subscriptable|KeyError|IndexError|TypeError|ValueError|"
    r"OverflowError|InvalidOperation|sqlite3|psycopg|sqlalchemy|decimal\.",
)

ANY_TEXT = ["", " ", "0", "-1", "x" * 300, "<b>&amp;</b>", "Ω≈ç√", "1:10002", "1:ORG00001"]
INTEGERS = ["0", "1", "-1", "2147483647", "-2147483648", "2147483648", "9223372036854775807",
            "99999999999999999999999", "1e3", "0x10", "+5", " 7 ", "NaN"]
DECIMALS = ["0", "0.0", "-0", "3.6", "-5", "100", "101", "1e308", "1e400", "-1e400", "NaN",
            "nan", "INF", "-INF", "Infinity", "1,5", ".5", "5."]
DATETIMES = ["2024-03-12T19:00:00Z", "2024-03-12T10:00:00-07:00", "2024-03-12T19:00:00",
             "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
             "9999-12-31T23:59:59-14:00", "2024-02-30T00:00:00Z", "2024-03-12", "tomorrow",
             "2024-03-12T24:00:00Z", "1970-01-01T00:00:00+00:00"]
BOOLEANS = ["true", "false", "1", "0", "TRUE", "yes", "2"]


def simple_values(member: Any) -> st.SearchStrategy[str]:
    if issubclass(member, Boolean):
        pool = BOOLEANS
    elif issubclass(member, DateTime | Date):
        pool = DATETIMES
    elif issubclass(member, Integer):
        pool = INTEGERS
    elif issubclass(member, Decimal | Double | Float):
        pool = DECIMALS
    else:
        values = [str(v) for v in (member.Attributes.values or ())]
        pool = values + ANY_TEXT
    return st.sampled_from(pool + ANY_TEXT[:2]) | st.text(max_size=12)


@functools.cache
def element(name: str, member: Any, depth: int) -> st.SearchStrategy[str]:
    """One element ``name`` of type ``member`` (a few levels deep at most)."""
    if issubclass(member, ComplexModelBase):
        if depth > 3:
            return st.just(f"<{name}/>")
        return body(member, depth + 1).map(lambda inner: f"<{name}>{inner}</{name}>")
    return simple_values(member).map(lambda text: f"<{name}>{escape(text)}</{name}>")


@functools.cache
def body(cls: Any, depth: int = 0) -> st.SearchStrategy[str]:
    """The children of ``cls``: each absent, once, or repeated (in declared order)."""
    parts = []
    for name, member in original(cls).get_flat_type_info(original(cls)).items():
        many = 3 if member.Attributes.max_occurs > 1 else 2
        parts.append(st.lists(element(name, member, depth), max_size=many).map("".join))
    return st.tuples(*parts).map("".join) if parts else st.just("")


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[tuple[MockChargePoint, dict[str, Any]]]:
    settings_ = Settings(database_url="sqlite://", fixture="minimal")
    with MockChargePoint(settings_, ManualClock(START)) as mock:
        methods = mock.wsgi.soap.interface.service_method_map
        operations = {
            etree.QName(key).localname: descriptors[0].in_message
            for key, descriptors in methods.items()
        }
        yield mock, operations


def wrapped(op: str, cls: Any) -> st.SearchStrategy[str]:
    return body(cls).map(lambda inner: f"<urn:{op}>{inner}</urn:{op}>")


def requests(operations: dict[str, Any]) -> st.SearchStrategy[str]:
    return st.one_of([wrapped(op, operations[op]) for op in sorted(operations)])


@pytest.mark.slow
def test_fuzzed_requests_never_get_html_server_faults_or_python_text(
    fuzzed: tuple[MockChargePoint, dict[str, Any]],
) -> None:
    mock, operations = fuzzed
    tenants = mock.tenants()
    client = Client(mock.wsgi)

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(operations))
    def check(request: str) -> None:
        for tenant in tenants:
            answered(guide_style(tenant.license_key, tenant.password, request), request)

    def answered(data: bytes, request: str) -> None:
        reply = client.post(SOAP_PATH, data=data, headers={"Content-Type": "text/xml"})
        text = reply.get_data()
        assert b"<html" not in text.lower(), request
        root = etree.fromstring(text)  # always a SOAP envelope
        assert root.tag == f"{{{SOAP_ENV}}}Envelope"
        fault = root.find(f".//{{{SOAP_ENV}}}Fault")
        if fault is None:
            assert reply.status_code == 200
            return
        assert reply.status_code == 500
        code, words = fault.findtext("faultcode") or "", fault.findtext("faultstring") or ""
        assert code != "soapenv:Server", (request, words)
        assert not PYTHON_TEXT.search(words), (request, words)

    check()
