"""The 5.0 endpoint (issue 11): its WSDL against the published 5.0 WSDL, and its version delta.

The served 5.0 WSDL is generated like the 5.1 one and compared structure by structure
with ``../shared/reference/cp_api_5.0.wsdl`` exactly as ``test_wsdl_contract`` does for 5.1.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from werkzeug.test import Client

from mockcp.config import Settings
from mockcp.soap.versions import V5_0, ExtraField
from mockcp.testing import MockChargePoint
from tests.conftest import REFERENCE_WSDL, SHARED, require_shared
from tests.soap import wsdl_delta, wsdl_shape

REFERENCE_5_0 = SHARED / "reference" / "cp_api_5.0.wsdl"


def reference_shape() -> wsdl_shape.WsdlShape | None:
    return wsdl_shape.read(REFERENCE_5_0.read_bytes()) if REFERENCE_5_0.is_file() else None


REFERENCE = reference_shape()
REFERENCE_TYPES = sorted(REFERENCE.types) if REFERENCE else []
REFERENCE_ELEMENTS = sorted(REFERENCE.elements) if REFERENCE else []


@pytest.fixture(scope="module")
def served() -> wsdl_shape.WsdlShape:
    # a trusted host is echoed into soap:address (an untrusted one is not: test_wsdl_address)
    with MockChargePoint(Settings(trusted_hosts="mock.example")) as mock:
        reply = Client(mock.wsgi).get("/cp_api_5.0.wsdl", base_url="http://mock.example:9000")
    assert reply.status_code == 200
    return wsdl_shape.read(reply.get_data())


@pytest.fixture(scope="module")
def reference() -> wsdl_shape.WsdlShape:
    return wsdl_shape.read(require_shared(REFERENCE_5_0).read_bytes())


def test_wsdl_5_0_named_types_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert sorted(served.types) == sorted(reference.types)


@pytest.mark.parametrize("name", REFERENCE_TYPES)
def test_wsdl_5_0_type_matches_reference(
    name: str, served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert served.types[name] == reference.types[name]


def test_wsdl_5_0_operation_element_names_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert sorted(served.elements) == sorted(reference.elements)
    assert len(served.elements) == 50


@pytest.mark.parametrize("name", REFERENCE_ELEMENTS)
def test_wsdl_5_0_operation_element_matches_reference(
    name: str, served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert served.elements[name] == reference.elements[name]


def test_wsdl_5_0_operations_and_actions_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert len(reference.operations) == 25
    assert served.operations == reference.operations
    assert served.soap_actions == reference.soap_actions
    assert served.messages == reference.messages


def test_wsdl_5_0_service_binding_and_port_names_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert (served.service, served.port, served.binding, served.port_type) == (
        reference.service,
        reference.port,
        reference.binding,
        reference.port_type,
    )


def test_wsdl_5_0_address_is_the_5_0_endpoint(served: wsdl_shape.WsdlShape) -> None:
    assert served.address == "http://mock.example:9000/webservices/chargepoint/services/5.0"


@pytest.mark.parametrize("query", ["wsdl", "WSDL"])
def test_wsdl_5_0_served_at_endpoint_query(settings: Settings, query: str) -> None:
    with MockChargePoint(replace(settings, trusted_hosts="cp.test")) as mock:
        reply = Client(mock.wsgi).get(
            f"/webservices/chargepoint/services/5.0?{query}", base_url="https://cp.test"
        )
    assert reply.status_code == 200
    shape = wsdl_shape.read(reply.get_data())
    assert shape.address == "https://cp.test/webservices/chargepoint/services/5.0"
    assert len(shape.operations) == 25


def test_version_table_is_the_difference_of_the_published_wsdls() -> None:
    """soap/versions.py's 5.0 delta is what the two published WSDLs differ by, nothing else."""
    base = wsdl_shape.read(require_shared(REFERENCE_WSDL).read_bytes())
    older = wsdl_shape.read(require_shared(REFERENCE_5_0).read_bytes())
    found = wsdl_delta.delta(base, older)
    assert V5_0.operations == found.operations
    assert dict(V5_0.absent) == found.absent
    assert {
        name: tuple((extra.name, extra.xsd, extra.after) for extra in extras)
        for name, extras in V5_0.extra.items()
    } == found.extra
    assert dict(V5_0.retyped) == found.retyped
    assert all(isinstance(extra, ExtraField) for extras in V5_0.extra.values() for extra in extras)
