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

Pointed at a running server (``--mockcp-url http://host:port`` or ``MOCKCP_URL``), the same
fixtures use a sandbox of that server instead (``mockcp.remote.RemoteSandbox``: a world of its
own, chosen by licence key on the server's one SOAP endpoint): ``mockcp`` is the sandbox
(``client()``, ``tenants()``, ``clock``, ``faults``, ``journal``, ``stations``, ``soap_url``,
``control_url``), ``mockcp_server`` the server's URL, ``mockcp_client`` a zeep client over
HTTP. ``--mockcp-sandbox test`` (the default) makes one per test and deletes it after;
``--mockcp-sandbox worker`` makes one per pytest process (per xdist worker), resets it
before each test and deletes it at the end (a test whose marker asks for another world gets
its own). ``--mockcp-admin-token`` (or ``MOCKCP_ADMIN_TOKEN``) for a protected control plane.

Options, the marker first, then the ini file (``[pytest]`` or ``[tool.pytest.ini_options]``)::

    @pytest.mark.mockcp(fixture="demo", seed=7, start="2024-06-01T08:00:00Z", clock="frozen")

    mockcp_fixture = minimal        mockcp_seed = 20161107
    mockcp_start = 2024-03-12T17:00:00Z        mockcp_clock = frozen
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mockcp.config import Settings
    from mockcp.remote import RemoteSandbox
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
    group = parser.getgroup("mockcp", "mockcp fixtures")
    group.addoption(
        "--mockcp-url", default=os.environ.get("MOCKCP_URL") or None,
        help="use sandboxes of the mockcp running at this URL (default: $MOCKCP_URL; "
        "without it, an in-process mock per test)",
    )
    group.addoption(
        "--mockcp-sandbox", choices=("test", "worker"), default="test",
        help="with --mockcp-url: one sandbox per test (default), or per worker process "
        "(reset before each test)",
    )
    group.addoption(
        "--mockcp-admin-token", default=os.environ.get("MOCKCP_ADMIN_TOKEN") or None,
        help="with --mockcp-url: the server's admin token (default: $MOCKCP_ADMIN_TOKEN)",
    )


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


def ini_options(config: pytest.Config) -> dict[str, str]:
    return {name[len("mockcp_") :]: str(config.getini(name)) for name in DEFAULTS}


def options(request: pytest.FixtureRequest) -> dict[str, str]:
    """The test's mockcp options: the marker's keywords over the ini values."""
    found = ini_options(request.config)
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


def sandbox_body(found: dict[str, str]) -> dict[str, object]:
    """The ``POST /_mock/sandboxes`` body of a test's options."""
    body: dict[str, object] = {
        "fixture": found["fixture"], "start": found["start"], "clock": found["clock"]
    }
    if found["seed"]:
        body["seed"] = int(found["seed"])
    return body


def _remote(config: pytest.Config) -> tuple[str, str | None] | None:
    """(server URL, admin token) in --mockcp-url mode, else None."""
    url = config.getoption("mockcp_url", None)
    return None if not url else (str(url), config.getoption("mockcp_admin_token", None))


def _new_sandbox(
    config: pytest.Config, body: dict[str, object]
) -> RemoteSandbox:  # pragma: no cover - exercised through pytester
    remote = _remote(config)
    assert remote is not None
    with _quiet_imports():
        from mockcp.remote import RemoteSandbox, reachable

        if not reachable(remote[0]):
            pytest.fail(f"no mockcp answers at --mockcp-url {remote[0]}", pytrace=False)
        return RemoteSandbox.create(remote[0], body, remote[1])


@pytest.fixture(scope="session")
def mockcp_worker_sandbox(request: pytest.FixtureRequest) -> Iterator[RemoteSandbox | None]:
    """With ``--mockcp-url`` and ``--mockcp-sandbox worker``: this process's sandbox (every
    xdist worker is a process of its own), deleted at the end; otherwise None."""
    config = request.config
    if _remote(config) is None or config.getoption("mockcp_sandbox") != "worker":
        yield None
        return
    sandbox = _new_sandbox(config, sandbox_body(ini_options(config)))
    try:
        yield sandbox
    finally:
        sandbox.delete()


@pytest.fixture
def mockcp(
    request: pytest.FixtureRequest, mockcp_worker_sandbox: RemoteSandbox | None
) -> Iterator[MockChargePoint | RemoteSandbox]:
    """A running mock in process, its own world, frozen clock unless configured otherwise;
    with ``--mockcp-url``, a sandbox of that server (see the module's notes)."""
    if _remote(request.config) is not None:
        body = sandbox_body(options(request))
        worker = mockcp_worker_sandbox
        if worker is not None and body == sandbox_body(ini_options(request.config)):
            worker.reset()  # the worker's sandbox, back to its start for this test
            yield worker
            return
        sandbox = _new_sandbox(request.config, body)
        try:
            yield sandbox
        finally:
            sandbox.delete()
        return
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
def mockcp_server(mockcp: MockChargePoint | RemoteSandbox) -> Iterator[str]:
    """The base URL of a real HTTP server around ``mockcp`` (a free loopback port); with
    ``--mockcp-url``, that server's."""
    if hasattr(mockcp, "base_url"):
        yield str(mockcp.base_url)
        return
    with mockcp.serve() as url:
        yield url


@pytest.fixture
def mockcp_client(mockcp: MockChargePoint | RemoteSandbox) -> Any:
    """A zeep client (strict settings) for the first tenant of ``mockcp``'s world."""
    with _quiet_imports():
        return mockcp.client(mockcp.tenants()[0])
