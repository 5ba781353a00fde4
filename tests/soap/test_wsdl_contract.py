"""The served WSDL against the real 5.1 WSDL: every type, every operation, the service."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockcp.config import Settings
from mockcp.coverage import IMPLEMENTED, REMOVED, probe
from mockcp.testing import MockChargePoint
from tests.conftest import REFERENCE_WSDL, require_shared
from tests.soap import wsdl_shape

SERVED_URL = "http://mock.example:9000/cp_api_5.1.wsdl"


@pytest.fixture(scope="module")
def served() -> wsdl_shape.WsdlShape:
    trusted = Settings(database_url="sqlite://", fixture="minimal", trusted_hosts="mock.example")
    with MockChargePoint(trusted) as mock:  # (an untrusted Host: tests/test_wsdl_address.py)
        reply = Client(mock.wsgi).get("/cp_api_5.1.wsdl", base_url="http://mock.example:9000")
    assert reply.status_code == 200
    return wsdl_shape.read(reply.get_data())


@pytest.fixture(scope="module")
def reference() -> wsdl_shape.WsdlShape:
    return wsdl_shape.read(require_shared(REFERENCE_WSDL).read_bytes())


def test_wsdl_named_types_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert sorted(served.types) == sorted(reference.types)


def reference_names(part: str) -> list[str]:
    """Names to parametrize over (none when ../shared/ is absent: the tests then skip)."""
    if not REFERENCE_WSDL.is_file():
        return []
    return sorted(getattr(wsdl_shape.read(REFERENCE_WSDL.read_bytes()), part))


REFERENCE_TYPES = reference_names("types")


@pytest.mark.parametrize("name", REFERENCE_TYPES)
def test_wsdl_type_matches_reference(
    name: str, served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert served.types[name] == reference.types[name]


def test_wsdl_operation_element_names_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert sorted(served.elements) == sorted(reference.elements)
    assert len(served.elements) == 64


REFERENCE_ELEMENTS = (
    sorted(wsdl_shape.read(REFERENCE_WSDL.read_bytes()).elements)
    if REFERENCE_WSDL.is_file()
    else []
)


@pytest.mark.parametrize("name", REFERENCE_ELEMENTS)
def test_wsdl_operation_element_matches_reference(
    name: str, served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert served.elements[name] == reference.elements[name]


def test_wsdl_operations_and_actions_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert len(reference.operations) == 32
    assert served.operations == reference.operations
    assert served.soap_actions == reference.soap_actions
    assert served.messages == reference.messages


def test_wsdl_service_binding_and_port_names_match_reference(
    served: wsdl_shape.WsdlShape, reference: wsdl_shape.WsdlShape
) -> None:
    assert (served.service, served.port, served.binding, served.port_type) == (
        reference.service,
        reference.port,
        reference.binding,
        reference.port_type,
    )


def test_wsdl_address_is_the_url_the_client_used(served: wsdl_shape.WsdlShape) -> None:
    assert served.address == "http://mock.example:9000/webservices/chargepoint/services/5.1"


@pytest.mark.parametrize("query", ["wsdl", "WSDL"])
def test_wsdl_served_at_endpoint_query(query: str) -> None:
    trusted = Settings(database_url="sqlite://", fixture="minimal", trusted_hosts="cp.test")
    with MockChargePoint(trusted) as mock:
        reply = Client(mock.wsgi).get(
            f"/webservices/chargepoint/services/5.1?{query}", base_url="https://cp.test"
        )
    assert reply.status_code == 200
    shape = wsdl_shape.read(reply.get_data())
    assert shape.address == "https://cp.test/webservices/chargepoint/services/5.1"
    assert len(shape.operations) == 32


def test_every_operation_is_implemented(served: wsdl_shape.WsdlShape) -> None:
    """Each operation answers its smallest valid request from its handler (mockcp.coverage)."""
    statuses = probe(served.operations)
    removed = {name for name, status in statuses.items() if status != IMPLEMENTED}
    assert removed == {"registerFeeds", "updateFeed"}  # the push framework (guide 11): 188
    assert {statuses[name] for name in removed} == {REMOVED}
    assert len(statuses) == 32
