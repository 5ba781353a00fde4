"""The README's operation coverage table, derived from the code rather than written down.

The guide section is the one each handler's docstring declares ("(guide 10.5)", "(9.2)";
"-" for the operations the guide does not document). The status comes from calling the
operation: ``mockcp coverage`` starts the minimal world in memory, sends every WSDL
operation its empty request through the real SOAP stack, and classifies the answer:

- a ``<operationResponse>`` with any catalogue code but 188: *implemented* (the handler ran
  and answered; an empty request is refused with the code the guide gives, never a fault);
- a response carrying 188 Operation not found: *removed* (the push framework, guide 11);
- a SOAP fault, or no answer at all: *not implemented*, with the fault's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from mockcp.app import SOAP_PATH
from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.soap.application import SERVICES
from mockcp.soap.probe import minimal_requests
from mockcp.soap.wsdl import OPERATIONS
from mockcp.testing import IN_PROCESS_BASE, InProcessTransport, MockChargePoint

TNS = "urn:dictionary:com.chargepoint.webservices"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SECTION = re.compile(r"\((?:guide )?(\d+(?:\.\d+)?)[;)]")
IMPLEMENTED = "implemented"
REMOVED = "removed in 5.1 (guide 11): answers 188 Operation not found"
PROBE_TIME = datetime(2024, 3, 12, 17, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Coverage:
    operation: str
    section: str
    status: str


def guide_sections() -> dict[str, str]:
    """operation -> the guide section its handler's docstring declares, or "-"."""
    found = {}
    for service in SERVICES:
        for name, method in service.public_methods.items():
            match = SECTION.search(method.function.__doc__ or "")
            found[name] = match.group(1) if match else "-"
    return found


def classify(operation: str, body: bytes) -> str:
    """The status an answer to ``operation``'s empty request shows (see the module doc)."""
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError:
        return "not implemented: the answer is not XML"
    fault = root.find(f".//{{{SOAP_ENV}}}Fault")
    if fault is not None:
        code, text = fault.findtext("faultcode"), fault.findtext("faultstring")
        return f"not implemented: {code} fault {text}"
    answer = root.find(f".//{{{TNS}}}{operation}Response")
    if answer is None:
        return "not implemented: no response element"
    code = answer.findtext("responseCode")
    return REMOVED if code == "188" else IMPLEMENTED


def _envelope(body: str, key: str, password: str) -> bytes:
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns:urn="{TNS}"><soapenv:Header>'
        f'<wsse:Security xmlns:wsse="{WSSE}"><wsse:UsernameToken><wsse:Username>{key}'
        f"</wsse:Username><wsse:Password>{password}</wsse:Password></wsse:UsernameToken>"
        f"</wsse:Security></soapenv:Header><soapenv:Body>{body}</soapenv:Body>"
        "</soapenv:Envelope>"
    ).encode()


def probe(operations: Iterable[str] = OPERATIONS) -> dict[str, str]:
    """operation -> its status, from each one's answer to its empty request."""
    settings = Settings(database_url="sqlite://", fixture="minimal")
    with MockChargePoint(settings, ManualClock(PROBE_TIME)) as mock:
        tenant = mock.tenants()[0]
        web, headers = InProcessTransport(mock.wsgi), {"Content-Type": "text/xml; charset=utf-8"}
        found, requests = {}, minimal_requests()
        for name in operations:
            sent = _envelope(requests[name], tenant.license_key, tenant.password)
            reply = web.post(IN_PROCESS_BASE + SOAP_PATH, sent, headers)
            found[name] = classify(name, reply.content)
        return found


def coverage() -> list[Coverage]:
    sections, statuses = guide_sections(), probe()
    return [Coverage(name, sections.get(name, "-"), statuses[name]) for name in OPERATIONS]


def coverage_table() -> str:
    """One row per WSDL operation, in portType order: its guide section and what it answers."""
    rows = ["| # | operation | guide | status |", "| --- | --- | --- | --- |"]
    for number, c in enumerate(coverage(), start=1):
        section = f"{c.section} (removed)" if c.status == REMOVED else c.section
        rows.append(f"| {number} | `{c.operation}` | {section} | {c.status} |")
    return "\n".join(rows)
