"""The lean response path answers byte for byte what spyne's own path answers (issue 18).

Two fresh minimal worlds on a frozen clock receive the same recorded requests in the same
order: every operation of the 5.1 WSDL with only its required elements and with every element
valued, from each tenant, on the 5.1 and 5.0 endpoints. One world answers through spyne's stock
path: its types built by ``ComplexModelBase.__init__``, the request parsed again by the
protocol, the whole envelope tree serialised by spyne. The other through the lean path: types
built by ``soap/tuning.plain_init``, the pre-parse guard's tree read once, the envelope written
from its template (``soap/envelope.py``). Every answer (status and bytes) must be the same.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.test import Client

from mockcp.app import create_app
from mockcp.config import Settings
from mockcp.domain.tenants import Tenant, list_tenants
from mockcp.soap import (
    application,  # noqa: F401  (importing it installs the lean path)
    envelope,
)
from mockcp.soap.tuning import STOCK_INIT, install_plain_init, plain_init, uninstall_plain_init
from mockcp.soap.types import MODULES
from mockcp.soap.types.stations import stationDataExtended
from mockcp.soap.versions import VERSIONS
from tests.conftest import REFERENCE_WSDL, START, require_shared
from tests.soap import wsdl_requests
from tests.soap.envelopes import guide_style

Recorded = tuple[str, bytes]  # (endpoint path, request body)

# Rows of the large read pages that must be among the successful answers compared.
ROWS = (
    b"<stationData>",
    b"<Port>",
    b"<ChargingSessionData>",
    b"<transactionData>",
    b"<sgData>",
    b"<orgData>",
    b"<user>",
    b"<rightsData>",
    b"<Alarms>",
    b"<fleetVehicle>",
    b"<fleetUsageData>",
)


def recorded_requests(tenants: list[Tenant]) -> list[Recorded]:
    requests = wsdl_requests.requests(require_shared(REFERENCE_WSDL))
    recorded: list[Recorded] = []
    for version in VERSIONS:
        for tenant in tenants:
            for name, node in requests.items():
                everything = {path: wsdl_requests.VALUE for path, _ in wsdl_requests.paths(node)}
                for choices in ({}, everything):
                    body = f"<urn:{name}>{wsdl_requests.render(node, choices)}</urn:{name}>"
                    recorded.append(
                        (version.soap_path, guide_style(tenant.license_key, tenant.password, body))
                    )
    return recorded


def answers(recorded: list[Recorded]) -> list[tuple[int, bytes]]:
    app = create_app(
        Settings(
            database_url="sqlite://", fixture="minimal", clock_mode="frozen", clock_start=START
        )
    )
    client = Client(app)
    replies = [client.post(path, data=body) for path, body in recorded]
    return [(reply.status_code, reply.get_data()) for reply in replies]


@pytest.fixture
def stock_constructor() -> Iterator[None]:
    uninstall_plain_init(MODULES)
    try:
        yield
    finally:
        install_plain_init(MODULES)


@pytest.fixture
def stock_path(stock_constructor: None) -> Iterator[None]:
    """spyne's own way through: stock constructors, a second parse, the whole tree serialised."""
    envelope.LEAN = False
    try:
        yield
    finally:
        envelope.LEAN = True


def tenants_of_minimal() -> list[Tenant]:
    app = create_app(Settings(database_url="sqlite://", fixture="minimal", clock_mode="frozen",
                              clock_start=START))  # fmt: skip
    with app.sessions() as db:
        return list_tenants(db)


@pytest.mark.slow
def test_the_lean_and_the_stock_paths_answer_the_same_bytes(
    request: pytest.FixtureRequest,
) -> None:
    tenants = tenants_of_minimal()
    assert len(tenants) >= 2
    recorded = recorded_requests(tenants)
    assert stationDataExtended.__init__ is plain_init and envelope.LEAN
    lean = answers(recorded)
    request.getfixturevalue("stock_path")
    assert stationDataExtended.__init__ is STOCK_INIT and not envelope.LEAN
    stock = answers(recorded)
    assert len(lean) == len(stock) == len(recorded)
    differing = [i for i, (a, b) in enumerate(zip(lean, stock, strict=True)) if a != b]
    assert differing == [], f"{len(differing)} answers differ, first: {recorded[differing[0]]!r}"
    # The comparison covers real pages, not only faults.
    ok = [body for status, body in lean if status == 200 and b"<responseCode>100<" in body]
    for row in ROWS:
        assert any(row in body for body in ok), row


def test_plain_init_sets_defaults_and_named_fields_like_spyne() -> None:
    from mockcp.soap.types.stations import stationSearchRequestExtended as search

    lean = search(stationID="1:10001", bogus="ignored")
    stock = search.__new__(search)
    STOCK_INIT(stock, stationID="1:10001", bogus="ignored")
    assert lean.__dict__ == stock.__dict__
    assert lean.proximityUnit == "M"  # a declared default
    assert lean.Address is None
