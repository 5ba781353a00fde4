"""pytest fixtures for projects that test their ChargePoint client against mockcp.

Installed with mockcp (the ``pytest11`` entry point), this module costs nothing until a test
asks for one of its fixtures: at collection it imports only pytest and the standard library
(no spyne, SQLAlchemy, zeep or faker), and it raises no warning in a suite that turns
warnings into errors.

- ``mockcp``: a ``MockChargePoint`` in process, its own in-memory world per test (so every
  pytest-xdist worker has its own); the ``minimal`` world, a frozen clock at
  2024-03-12T17:00:00Z, unless the marker or the ini options say otherwise. Move the frozen
  clock with ``mockcp.wsgi.clock.advance(timedelta(...))``.
- ``mockcp_server``: the base URL (``http://127.0.0.1:PORT``) of a real HTTP server around it.
- ``mockcp_client``: a zeep client for the world's first tenant, in process.

Options, the marker first, then the ini file (``[pytest]`` or ``[tool.pytest.ini_options]``)::

    @pytest.mark.mockcp(fixture="demo", seed=7, start="2024-06-01T08:00:00Z", clock="frozen")

    mockcp_fixture = minimal        mockcp_seed = 20161107
    mockcp_start = 2024-03-12T17:00:00Z        mockcp_clock = frozen
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mockcp.config import Settings
    from mockcp.testing import MockChargePoint

DEFAULTS = {
    "mockcp_fixture": ("minimal", "mockcp world: minimal, demo or a fixture YAML path"),
    "mockcp_seed": ("", "mockcp root seed (default: the world's own)"),
    "mockcp_start": ("2024-03-12T17:00:00Z", "mockcp simulated start, ISO-8601"),
    "mockcp_clock": ("frozen", "mockcp clock: frozen (moves only when told), realtime or xN"),
}
OPTIONS = {"fixture", "seed", "start", "clock"}
# What spyne 2.14 (and its vendored six) say when imported; mockcp's business, not the suite's.
QUIET_IMPORTS = (
    (DeprecationWarning, r"'cgi' is deprecated"),
    (ImportWarning, r"_SixMetaPathImporter"),
    (DeprecationWarning, r".*pkg_resources"),
)


def pytest_addoption(parser: pytest.Parser) -> None:
    for name, (default, help_text) in DEFAULTS.items():
        parser.addini(name, help_text, default=default)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "mockcp(fixture=None, seed=None, start=None, clock=None): "
        "the world and clock of the mockcp fixtures for this test",
    )


@contextmanager
def _quiet_imports() -> Iterator[None]:
    """Import mockcp's heavy parts without their import-time warnings reaching the suite."""
    with warnings.catch_warnings():
        for category, message in QUIET_IMPORTS:
            warnings.filterwarnings("ignore", message=message, category=category)
        yield


def options(request: pytest.FixtureRequest) -> dict[str, str]:
    """The test's mockcp options: the marker's keywords over the ini values."""
    found = {name[len("mockcp_") :]: str(request.config.getini(name)) for name in DEFAULTS}
    marker = request.node.get_closest_marker("mockcp")
    if marker is not None:
        if marker.args or set(marker.kwargs) - OPTIONS:
            raise pytest.UsageError(
                f"@pytest.mark.mockcp takes only the keywords {', '.join(sorted(OPTIONS))}"
            )
        found.update({k: str(v) for k, v in marker.kwargs.items() if v is not None})
    return found


def settings_for(found: dict[str, str]) -> Settings:
    from mockcp.config import Settings, parse_start

    values: dict[str, Any] = {
        "database_url": "sqlite://",  # in memory: one world per test, per process, per worker
        "fixture": found["fixture"],
        "clock_mode": found["clock"],
        "clock_start": parse_start(found["start"], "mockcp start"),
    }
    if found["seed"]:
        values["root_seed"] = int(found["seed"])
    return Settings(**values)


@pytest.fixture
def mockcp(request: pytest.FixtureRequest) -> Iterator[MockChargePoint]:
    """A running mock in process; its own world, frozen clock unless configured otherwise."""
    with _quiet_imports():
        try:
            from mockcp.app import make_clock
            from mockcp.clock import ManualClock
            from mockcp.testing import MockChargePoint
        except ImportError as error:  # zeep and requests come with the test extra
            pytest.fail(
                f"mockcp's fixtures need the test extra: pip install 'mockcp[test]' ({error})",
                pytrace=False,
            )

        settings = settings_for(options(request))
        clock = make_clock(settings)
        if settings.clock_mode.strip().lower() == "frozen" and settings.clock_start is not None:
            clock = ManualClock(settings.clock_start)
        mock = MockChargePoint(settings, clock).__enter__()
    try:  # the test itself runs under the suite's own warning filters
        yield mock
    finally:
        mock.__exit__()


@pytest.fixture
def mockcp_server(mockcp: MockChargePoint) -> Iterator[str]:
    """The base URL of a real HTTP server around ``mockcp`` (a free loopback port)."""
    with mockcp.serve() as url:
        yield url


@pytest.fixture
def mockcp_client(mockcp: MockChargePoint) -> Any:
    """A zeep client (strict settings) for the first tenant of ``mockcp``'s world."""
    with _quiet_imports():
        return mockcp.client(mockcp.tenants()[0])
