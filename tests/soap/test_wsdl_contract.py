"""Each served WSDL against its published one (every version ``soap/versions.py`` lists): every
type, every operation element, the operations, actions and messages, the service; and the
5.0 version table against the difference of the two published WSDLs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from werkzeug.test import Client

from mockcp.config import Settings
from mockcp.coverage import IMPLEMENTED, REMOVED, probe
from mockcp.soap.versions import V5_0, V5_1, VERSIONS, ExtraField
from mockcp.testing import MockChargePoint
from tests.conftest import SHARED, require_shared
from tests.soap import wsdl_delta, wsdl_shape

Shapes = dict[str, wsdl_shape.WsdlShape]
NAMES = [version.name for version in VERSIONS]
BY_NAME = {version.name: version for version in VERSIONS}


def reference_path(version: str) -> Path:
    return SHARED / "reference" / f"cp_api_{version}.wsdl"


@cache
def _published(version: str) -> wsdl_shape.WsdlShape | None:
    path = reference_path(version)
    return wsdl_shape.read(path.read_bytes()) if path.is_file() else None


def reference_names(part: str) -> list[tuple[str, str]]:
    """(version, name) pairs to parametrize over (none when ../shared/ is absent: the tests
    that need it then skip)."""
    pairs = []
    for version in NAMES:
        shape = _published(version)
        pairs += [(version, name) for name in sorted(getattr(shape, part))] if shape else []
    return pairs


def _minimal(host: str) -> Settings:
    return Settings(database_url="sqlite://", fixture="minimal", trusted_hosts=host)


@pytest.fixture(scope="module")
def served() -> Shapes:
    # a trusted host is echoed into soap:address (an untrusted one is not: test_wsdl_address)
    with MockChargePoint(_minimal("mock.example")) as mock:
        client, shapes = Client(mock.wsgi), {}
        for version in VERSIONS:
            reply = client.get(version.wsdl_path, base_url="http://mock.example:9000")
            assert reply.status_code == 200
            shapes[version.name] = wsdl_shape.read(reply.get_data())
    return shapes


@pytest.fixture(scope="module")
def reference() -> Shapes:
    return {v: wsdl_shape.read(require_shared(reference_path(v)).read_bytes()) for v in NAMES}


@pytest.mark.parametrize("version", NAMES)
def test_wsdl_named_types_match_reference(version: str, served: Shapes, reference: Shapes) -> None:
    assert sorted(served[version].types) == sorted(reference[version].types)


@pytest.mark.parametrize(("version", "name"), reference_names("types"))
def test_wsdl_type_matches_reference(
    version: str, name: str, served: Shapes, reference: Shapes
) -> None:
    assert served[version].types[name] == reference[version].types[name]


@pytest.mark.parametrize("version", NAMES)
def test_wsdl_operation_element_names_match_reference(
    version: str, served: Shapes, reference: Shapes
) -> None:
    assert sorted(served[version].elements) == sorted(reference[version].elements)
    # a request and a response element per operation (64 in 5.1, 50 in 5.0)
    assert len(served[version].elements) == 2 * len(BY_NAME[version].operations)


@pytest.mark.parametrize(("version", "name"), reference_names("elements"))
def test_wsdl_operation_element_matches_reference(
    version: str, name: str, served: Shapes, reference: Shapes
) -> None:
    assert served[version].elements[name] == reference[version].elements[name]


@pytest.mark.parametrize("version", NAMES)
def test_wsdl_operations_and_actions_match_reference(
    version: str, served: Shapes, reference: Shapes
) -> None:
    expected = {"5.1": 32, "5.0": 25}.get(version, len(BY_NAME[version].operations))
    assert len(reference[version].operations) == expected
    assert served[version].operations == reference[version].operations
    assert served[version].soap_actions == reference[version].soap_actions
    assert served[version].messages == reference[version].messages


@pytest.mark.parametrize("version", NAMES)
def test_wsdl_service_binding_and_port_names_match_reference(
    version: str, served: Shapes, reference: Shapes
) -> None:
    mine, theirs = served[version], reference[version]
    assert (mine.service, mine.port, mine.binding, mine.port_type) == (
        theirs.service, theirs.port, theirs.binding, theirs.port_type,
    )


@pytest.mark.parametrize("version", NAMES)
def test_wsdl_address_is_the_url_the_client_used(version: str, served: Shapes) -> None:
    expected = f"http://mock.example:9000/webservices/chargepoint/services/{version}"
    assert served[version].address == expected


@pytest.mark.parametrize("query", ["wsdl", "WSDL"])
def test_wsdl_served_at_endpoint_query(query: str) -> None:
    with MockChargePoint(_minimal("cp.test")) as mock:
        for version in VERSIONS:
            reply = Client(mock.wsgi).get(
                f"{version.soap_path}?{query}", base_url="https://cp.test"
            )
            assert reply.status_code == 200
            shape = wsdl_shape.read(reply.get_data())
            assert shape.address == f"https://cp.test{version.soap_path}"
            assert shape.operations == list(version.operations)


def test_every_operation_is_implemented(served: Shapes) -> None:
    """Each operation answers its smallest valid request from its handler (mockcp.coverage)."""
    statuses = probe(served[V5_1.name].operations)
    removed = {name for name, status in statuses.items() if status != IMPLEMENTED}
    assert removed == {"registerFeeds", "updateFeed"}  # the push framework (guide 11): 188
    assert {statuses[name] for name in removed} == {REMOVED}
    assert len(statuses) == 32


def test_version_table_is_the_difference_of_the_published_wsdls() -> None:
    """soap/versions.py's 5.0 delta is what the two published WSDLs differ by, nothing else."""
    base = wsdl_shape.read(require_shared(reference_path(V5_1.name)).read_bytes())
    older = wsdl_shape.read(require_shared(reference_path(V5_0.name)).read_bytes())
    found = wsdl_delta.delta(base, older)
    assert V5_0.operations == found.operations
    assert dict(V5_0.absent) == found.absent
    assert {
        name: tuple((extra.name, extra.xsd, extra.after) for extra in extras)
        for name, extras in V5_0.extra.items()
    } == found.extra
    assert dict(V5_0.retyped) == found.retyped
    assert all(isinstance(extra, ExtraField) for extras in V5_0.extra.values() for extra in extras)
