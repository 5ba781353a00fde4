"""A seeded fuzz over the WSDL's request types (issue 17).

Requests for all 32 operations are built from the app's own type declarations: every element
present or absent, repeated or not, and each simple value drawn from what its type allows and
what it refuses (NaN, infinities, calendar edges with offsets, huge integers, empty and long
strings, markup-looking text, any short unicode text). Each request goes through the in-process
app; the answer is never an HTML page, never a Server fault, never Python's words in a fault,
and always a SOAP envelope.

hypothesis draws one seeded ``random.Random`` per example (``st.randoms``) and the request is
built from it by plain choices over per-type value pools: the same requests every run (seeded),
a different one per example, and the drawing costs a fraction of composing a strategy tree per
element (which was over half of this test's time).
"""

from __future__ import annotations

import functools
import os
import random
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
# Code point bands of free text (as hypothesis' text(): any character but a surrogate):
# printable ASCII most often, then controls (NUL included), then the rest of unicode.
BANDS = [(0x20, 0x7E)] * 6 + [(0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0xD7FF), (0xE000, 0xFFFD),
                              (0x10000, 0x10FFFF)]


@functools.cache
def pool(member: Any) -> tuple[str, ...]:
    """The values a simple type's element is drawn from (besides free text)."""
    if issubclass(member, Boolean):
        values = BOOLEANS
    elif issubclass(member, DateTime | Date):
        values = DATETIMES
    elif issubclass(member, Integer):
        values = INTEGERS
    elif issubclass(member, Decimal | Double | Float):
        values = DECIMALS
    else:
        values = [str(v) for v in (member.Attributes.values or ())] + ANY_TEXT
    return tuple(values + ANY_TEXT[:2])


def free_text(rnd: random.Random) -> str:
    """Up to 12 characters of any kind but a surrogate."""
    return "".join(chr(rnd.randint(*rnd.choice(BANDS))) for _ in range(rnd.randint(0, 12)))


@functools.cache
def fields(cls: Any) -> tuple[tuple[str, Any, int], ...]:
    """``cls``'s children in declared order, each with how often it may repeat."""
    return tuple(
        (name, member, 3 if member.Attributes.max_occurs > 1 else 2)
        for name, member in original(cls).get_flat_type_info(original(cls)).items()
    )


def element(rnd: random.Random, name: str, member: Any, depth: int) -> str:
    """One element ``name`` of type ``member`` (a few levels deep at most)."""
    if issubclass(member, ComplexModelBase):
        if depth > 3:
            return f"<{name}/>"
        return f"<{name}>{body(rnd, member, depth + 1)}</{name}>"
    text = rnd.choice(pool(member)) if rnd.random() < 0.5 else free_text(rnd)
    return f"<{name}>{escape(text)}</{name}>"


def body(rnd: random.Random, cls: Any, depth: int = 0) -> str:
    """The children of ``cls``: each absent, once, or repeated (in declared order)."""
    return "".join(
        element(rnd, name, member, depth)
        for name, member, many in fields(cls)
        for _ in range(rnd.randint(0, many))
    )


def request(rnd: random.Random, operations: dict[str, Any]) -> str:
    op = rnd.choice(sorted(operations))
    return f"<urn:{op}>{body(rnd, operations[op])}</urn:{op}>"


def new_request(rnd: random.Random, operations: dict[str, Any], sent: set[str]) -> str:
    """A request not sent yet, as hypothesis never repeats an example (if one comes in a
    few tries: the small operations have only a few forms)."""
    built = request(rnd, operations)
    for _ in range(20):
        if built not in sent:
            break
        built = request(rnd, operations)
    sent.add(built)
    return built


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


@pytest.mark.slow
def test_fuzzed_requests_never_get_html_server_faults_or_python_text(
    fuzzed: tuple[MockChargePoint, dict[str, Any]],
) -> None:
    mock, operations = fuzzed
    tenants = mock.tenants()
    client = Client(mock.wsgi)
    sent: set[str] = set()

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.randoms(use_true_random=True))
    def check(rnd: random.Random) -> None:
        built = new_request(rnd, operations, sent)
        for tenant in tenants:
            answered(guide_style(tenant.license_key, tenant.password, built), built)

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
    # The seeded plan really varies: every example is a request of its own, over every
    # operation.
    assert len(sent) == EXAMPLES
    assert {r.split(">", 1)[0].removeprefix("<urn:") for r in sent} == set(operations)
