"""Empty elements (issue 11): one rule for every element of every request, read from the WSDL.

What SOAP stacks send for an unset field (suds: an empty element for a required one left
unset; Go structs without ``omitempty`` and request templates: every field, empty):
an empty optional element answers exactly what its absence answers, an empty required
element of a simple type is a ``Client`` fault naming it, and nothing is a Server fault.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.conftest import REFERENCE_WSDL, SHARED, START
from tests.soap import wsdl_requests
from tests.soap.envelopes import SOAP_PATH, guide_style

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
REQUESTS = wsdl_requests.requests(REFERENCE_WSDL) if REFERENCE_WSDL.is_file() else {}
CASES = [
    pytest.param(op, path, node, id=f"{op}:{'/'.join(path)}")
    for op, request in REQUESTS.items()
    for path, node in wsdl_requests.paths(request)
]

Answer = tuple[int, str, str]  # HTTP status, responseCode or faultcode, responseText or faultstring


def call(
    mock: MockChargePoint, tenant: Tenant, op: str, inner: str, path: str = SOAP_PATH
) -> Answer:
    body = f"<urn:{op}>{inner}</urn:{op}>"
    reply = Client(mock.wsgi).post(
        path,
        data=guide_style(tenant.license_key, tenant.password, body),
        headers={"Content-Type": "text/xml"},
    )
    root = etree.fromstring(reply.get_data())
    fault = root.find(f".//{{{SOAP_ENV}}}Fault")
    if fault is not None:
        return (
            reply.status_code,
            fault.findtext("faultcode") or "",
            fault.findtext("faultstring") or "",
        )
    payload = root.find(f"{{{SOAP_ENV}}}Body")[0]  # type: ignore[index]
    return (
        reply.status_code,
        payload.findtext("responseCode") or "",
        payload.findtext("responseText") or "",
    )


class Worlds:
    """One minimal world, planned through START once and kept as the snapshot ``planned``.
    Each operation gets it back as it was when its first call comes (a restore of the
    image, milliseconds, where a new world per operation cost its build and its planning):
    a call that changes the world changes only its own operation's."""

    def __init__(self) -> None:
        settings = Settings(database_url="sqlite://", fixture="minimal")
        self.mock = MockChargePoint(settings, ManualClock(START)).__enter__()
        status, code, _ = call(self.mock, self.mock.tenants()[0], "getStationStatus",
                               "<searchQuery/>")  # a read plans the world through START
        assert (status, code) == (200, "100")
        self.mock.wsgi.world.snapshot(PLANNED)
        self.current: str | None = None

    def world_for(self, op: str) -> MockChargePoint:
        if op != self.current:
            self.mock.wsgi.world.restore(PLANNED)
            self.current = op
        return self.mock


PLANNED = "planned"


@pytest.fixture(scope="module")
def worlds() -> Iterator[Worlds]:
    opened = Worlds()
    yield opened
    opened.mock.__exit__(None, None, None)


def world_for(op: str, worlds: Worlds) -> MockChargePoint:
    return worlds.world_for(op)


@pytest.mark.parametrize(("op", "path", "node"), CASES)
def test_empty_element_is_absent_or_a_client_fault_naming_it(
    worlds: Worlds, op: str, path: tuple[str, ...], node: wsdl_requests.Node
) -> None:
    request = REQUESTS[op]
    mock = world_for(op, worlds)
    tenant = mock.tenants()[0]

    def answer(choices: dict[tuple[str, ...], str]) -> Answer:
        return call(mock, tenant, op, wsdl_requests.render(request, choices))

    emptied = wsdl_requests.with_ancestors(path, wsdl_requests.EMPTY)
    empty = answer(emptied)
    placeholder = wsdl_requests.blank_optional_ancestor(request, path, emptied)
    if placeholder is not None:
        # The optional parent holds no text at all: a placeholder, absent as a whole.
        assert empty == answer(wsdl_requests.with_ancestors(placeholder, wsdl_requests.ABSENT))
    elif node.optional:
        assert empty[0] == 200, empty
        assert empty == answer(wsdl_requests.with_ancestors(path, wsdl_requests.ABSENT))
    elif node.xsd == "string" and not node.enumeration:
        # "" is a valid xsd:string: schema validation passes it, the operation answers it.
        assert empty[0] == 200, empty
        assert empty[1].isdigit(), empty
    elif node.xsd is not None:
        assert empty == (
            500,
            "soapenv:Client",
            f"Invalid {op} request: element '{node.name}' is required and must not be empty.",
        )
    else:  # an empty required complex element: the schema's or the guide's answer, never a 500
        assert empty[0] in {200, 500}
        assert empty[1] == "soapenv:Client" or empty[1].isdigit(), empty


# Guide 10.4.4, the getFleetVehicles sample input as printed (the OCR-garbled ``license`` and
# ``year`` restored), with the minimal world's fleet name for the sample's "Delivery Fleet".
# ``fleetDriverID``, ``companyCode``, ``paymentType`` and ``paymentStatus`` are in the sample
# but not in the WSDL: a lenient reader ignores them.
GUIDE_10_4_4 = """
<searchQuery>
  <fleetVehicleID></fleetVehicleID>
  <fleetName>Sunrise Delivery Fleet</fleetName>
  <vehicleID></vehicleID>
  <VIN></VIN>
  <license></license>
  <color></color>
  <make></make>
  <model></model>
  <year></year>
  <fleetDriverID></fleetDriverID>
  <credentialID></credentialID>
  <orgID></orgID>
  <organizationName></organizationName>
  <telematicsProvider></telematicsProvider>
  <telematicsStatus></telematicsStatus>
  <companyCode></companyCode>
  <paymentType></paymentType>
  <paymentStatus></paymentStatus>
  <startRecord></startRecord>
  <numRecords></numRecords>
  <modifiedSince></modifiedSince>
</searchQuery>
"""


def test_guide_10_4_4_sample_with_twenty_empty_elements_returns_rows(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    assert GUIDE_10_4_4.count("></") == 20
    reply = Client(mock.wsgi).post(
        SOAP_PATH,
        data=guide_style(
            tenant.license_key,
            tenant.password,
            f"<urn:getFleetVehicles>{GUIDE_10_4_4}</urn:getFleetVehicles>",
        ),
    )
    assert reply.status_code == 200
    root = etree.fromstring(reply.get_data())
    assert root.findtext(".//responseCode") == "100"
    rows = root.findall(".//fleetVehicle")
    assert [row.findtext("vehicleID") for row in rows] == ["VAN-01", "CAR-01"]
    assert {row.findtext("fleetName") for row in rows} == {"Sunrise Delivery Fleet"}


@pytest.mark.parametrize(
    ("op", "inner", "expected"),
    [
        (
            "shedLoad",
            "<shedQuery><shedGroup><sgID>1001</sgID></shedGroup><timeInterval/></shedQuery>",
            "timeInterval",
        ),
        ("getStationGroupDetails", "<sgID/>", "sgID"),
        ("getStationRightsProfile", "<sgID/>", "sgID"),
    ],
)
def test_issue_11_empty_required_elements_are_client_faults(
    mock: MockChargePoint, tenant: Tenant, op: str, inner: str, expected: str
) -> None:
    """suds sends ``<timeInterval/>``, ``<sgID/>`` for an unset field: a Client fault, not 500."""
    assert call(mock, tenant, op, inner) == (
        500,
        "soapenv:Client",
        f"Invalid {op} request: element '{expected}' is required and must not be empty.",
    )


@pytest.mark.parametrize(
    ("op", "inner", "rows"),
    [
        ("getStations", "<searchQuery><orgID/><stationID/><City/></searchQuery>", "stationData"),
        ("getUsers", "<searchQuery><userID/></searchQuery>", "user"),
    ],
)
def test_issue_11_empty_optional_filters_are_absent(
    mock: MockChargePoint, tenant: Tenant, op: str, inner: str, rows: str
) -> None:
    empty = Client(mock.wsgi).post(
        SOAP_PATH,
        data=guide_style(tenant.license_key, tenant.password, f"<urn:{op}>{inner}</urn:{op}>"),
    )
    absent = Client(mock.wsgi).post(
        SOAP_PATH,
        data=guide_style(
            tenant.license_key, tenant.password, f"<urn:{op}><searchQuery/></urn:{op}>"
        ),
    )
    found = etree.fromstring(empty.get_data()).findall(f".//{rows}")
    assert etree.fromstring(empty.get_data()).findtext(".//responseCode") == "100"
    assert len(found) > 0
    assert len(found) == len(etree.fromstring(absent.get_data()).findall(f".//{rows}"))


REFERENCE_5_0 = SHARED / "reference" / "cp_api_5.0.wsdl"
REQUESTS_BY_VERSION = {
    "5.1": REQUESTS,
    "5.0": wsdl_requests.requests(REFERENCE_5_0) if REFERENCE_5_0.is_file() else {},
}
VERSIONED_OPERATIONS = [
    pytest.param(version, op, id=f"{version}:{op}")
    for version, requests in REQUESTS_BY_VERSION.items()
    for op in sorted(requests)
]


@st.composite
def requests_for(draw: st.DrawFn, request: wsdl_requests.Node) -> str:
    """A request built from the WSDL: each optional element absent, empty or valued."""
    choices: dict[tuple[str, ...], str] = {}
    values: dict[tuple[str, ...], str] = {}
    for path, node in wsdl_requests.paths(request):
        if node.optional:
            choices[path] = draw(
                st.sampled_from((wsdl_requests.ABSENT, wsdl_requests.EMPTY, wsdl_requests.VALUE))
            )
        if node.xsd is not None:
            values[path] = draw(st.sampled_from(wsdl_requests.values_for(node)))
    return wsdl_requests.render_values(request, choices, values)


@pytest.mark.parametrize(("version", "op"), VERSIONED_OPERATIONS)
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_mix_of_absent_empty_and_valued_elements_is_never_a_server_fault(
    worlds: Worlds, version: str, op: str, data: st.DataObject
) -> None:
    """Built from either published WSDL and sent to that version's endpoint."""
    mock = world_for(f"{version}:{op}", worlds)
    inner = data.draw(requests_for(REQUESTS_BY_VERSION[version][op]))
    path = f"/webservices/chargepoint/services/{version}"
    status, code, text = call(mock, mock.tenants()[0], op, inner, path)
    if status == 200:  # a business answer (getCPNInstancesResponse has no responseCode)
        assert code.isdigit() or op == "getCPNInstances", (inner, code, text)
    else:
        assert (status, code) == (500, "soapenv:Client"), (inner, code, text)
        assert text.startswith(f"Invalid {op} request: ") or text.startswith("Element "), text
