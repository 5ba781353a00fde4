"""Shared fixtures: a minimal world in memory, zeep clients, the reference WSDL.

Also the suite's two guards: without the reference folder (``../shared``, or
``MOCKCP_SHARED``) the run stops at once with one message instead of skipping every test
that compares with it; and the hypothesis profile (``MOCKCP_HYPOTHESIS``: ``ci``, the
default, or ``dev``, about a quarter of the examples for quick local runs).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zeep
from hypothesis import settings as hypothesis_settings

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.workers import isolate_postgres
from tests.worlds.images import fresh_world

SHARED = Path(os.environ.get("MOCKCP_SHARED") or Path(__file__).resolve().parents[2] / "shared")
REFERENCE_WSDL = SHARED / "reference" / "cp_api_5.1.wsdl"
GUIDE = SHARED / "spec" / "chargepoint-api-guide-5.1.txt"
REFERENCE_FILES = (
    REFERENCE_WSDL,
    SHARED / "reference" / "cp_api_5.0.wsdl",
    GUIDE,
    SHARED / "reference" / "sessions" / "realism_targets.json",
)
START = datetime(2024, 3, 12, 17, 0, tzinfo=UTC)

# Kept planned images (mockcp/planned_images.py) go to a folder of this process, removed at
# its exit, never to the user's ~/.cache (a ``mockcp serve`` a test starts inherits it).
CACHE_HOME = tempfile.mkdtemp(prefix="mockcp-test-cache-")
os.environ["XDG_CACHE_HOME"] = CACHE_HOME
os.environ.pop("MOCKCP_CACHE_DIR", None)
atexit.register(shutil.rmtree, CACHE_HOME, ignore_errors=True)

# Hypothesis: "ci" keeps each test's own example counts; "dev" runs about a quarter of them.
HYPOTHESIS_PROFILE = os.environ.get("MOCKCP_HYPOTHESIS", "ci")
DEV_SHARE = 4
hypothesis_settings.register_profile("ci", deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=25)
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


def missing_reference() -> list[Path]:
    return [path for path in REFERENCE_FILES if not path.is_file()]


def pytest_configure(config: pytest.Config) -> None:
    """No reference folder: stop with one message rather than pass with hundreds of skips."""
    missing = missing_reference()
    if missing:
        raise pytest.UsageError(
            f"mockcp's tests compare the mock with the reference material (the guide, the real "
            f"WSDLs, the Boulder statistics) and {missing[0]} is missing. Put the project's "
            f"shared folder beside the repository as ../shared, or set MOCKCP_SHARED to it."
        )
    isolate_postgres()  # under xdist: this worker's own PostgreSQL database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the ``dev`` profile, cut each test's own max_examples to a quarter (at least 2)."""
    if HYPOTHESIS_PROFILE != "dev":
        return
    done: set[int] = set()  # parametrized items share one function, a state machine its class
    for item in items:
        owners = ((getattr(item, "obj", None), "_hypothesis_internal_use_settings"),
                  (getattr(item, "cls", None), "settings"))
        for owner, name in owners:
            current = getattr(owner, name, None)
            if isinstance(current, hypothesis_settings) and id(owner) not in done:
                done.add(id(owner))
                fewer = max(2, current.max_examples // DEV_SHARE)
                setattr(owner, name, hypothesis_settings(current, max_examples=fewer))


def require_shared(path: Path) -> Path:
    """``path`` inside the reference folder; the session guard has made sure it is there."""
    if not path.is_file():
        pytest.fail(f"{path} is missing from the reference folder {SHARED}")
    return path


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url="sqlite://", fixture="minimal")


@pytest.fixture
def mock(
    settings: Settings, clock: ManualClock, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MockChargePoint]:
    """The minimal world at START, copied from the run's built image (a SQLite file of its
    own, tests/worlds/images.py) rather than built again for every test."""
    if settings == Settings(database_url="sqlite://", fixture="minimal") and clock.now() == START:
        settings = fresh_world(tmp_path_factory, "minimal", START)
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
def readonly_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockChargePoint]:
    """One minimal world per test module, for tests that only read (a copy of the image)."""
    settings = fresh_world(tmp_path_factory, "minimal", START)
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
