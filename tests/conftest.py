"""Shared fixtures: a minimal world in memory, zeep clients, the reference WSDL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE_WSDL = SHARED / "reference" / "cp_api_5.1.wsdl"
GUIDE = SHARED / "spec" / "chargepoint-api-guide-5.1.txt"
START = datetime(2024, 3, 12, 17, 0, tzinfo=UTC)


def require_shared(path: Path) -> Path:
    """``path`` inside ../shared/, or skip: the reference material is not checked out here."""
    if not path.is_file():
        pytest.skip(f"../shared/ is absent here ({path} not found); reference checks need it")
    return path


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url="sqlite://", fixture="minimal")


@pytest.fixture
def mock(settings: Settings, clock: ManualClock) -> Iterator[MockChargePoint]:
    with MockChargePoint(settings, clock) as running:
        yield running


@pytest.fixture
def tenant(mock: MockChargePoint) -> Tenant:
    return mock.tenants()[0]


@pytest.fixture
def client(mock: MockChargePoint, tenant: Tenant) -> zeep.Client:
    """zeep built from the mock's own served WSDL, in process, strict settings."""
    return mock.client(tenant)


@pytest.fixture
def reference_client(mock: MockChargePoint, tenant: Tenant) -> zeep.Client:
    """zeep built from the real 5.1 WSDL, pointed at the mock, default (strict) settings."""
    return mock.client(tenant, wsdl=str(require_shared(REFERENCE_WSDL)))


@pytest.fixture(scope="module")
def readonly_mock() -> Iterator[MockChargePoint]:
    """One minimal world per test module, for tests that only read."""
    settings = Settings(database_url="sqlite://", fixture="minimal")
    with MockChargePoint(settings, ManualClock(START)) as running:
        yield running


@pytest.fixture(scope="module", params=["served", "reference"])
def any_client(request: pytest.FixtureRequest, readonly_mock: MockChargePoint) -> zeep.Client:
    """zeep strict, built once from the mock's WSDL and once from the real 5.1 WSDL (read-only)."""
    tenant = readonly_mock.tenants()[0]
    if request.param == "served":
        return readonly_mock.client(tenant)
    return readonly_mock.client(tenant, wsdl=str(require_shared(REFERENCE_WSDL)))


@pytest.fixture(scope="module")
def other_client(readonly_mock: MockChargePoint) -> zeep.Client:
    """The second organisation of the minimal world (Harbor City Parking), read-only."""
    return readonly_mock.client(readonly_mock.tenants()[1])
