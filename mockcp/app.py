"""create_app(settings): the one place that builds engines, clocks and the WSGI app."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Request, Response

from mockcp.admin.app import AdminApp
from mockcp.clock import SimClock, parse_mode, wall_now
from mockcp.config import Settings
from mockcp.db.engine import (
    create_schema,
    drop_schema,
    make_engine,
    make_sessionmaker,
    release_connections,
)
from mockcp.seed.world import SCHEMA_VERSION, is_loaded, load_world, loaded_world
from mockcp.soap.application import build_application, wsgi_application
from mockcp.soap.context import Runtime
from mockcp.soap.recorder import SoapRecorder
from mockcp.soap.wire import client_fault, fault_bytes
from mockcp.soap.wsdl import OPERATIONS, WsdlDocument

SOAP_PATH = "/webservices/chargepoint/services/5.1"
WSDL_PATH = "/cp_api_5.1.wsdl"


def make_clock(settings: Settings) -> SimClock:
    """The server clock from ``clock_mode``: realtime, frozen or xN."""
    return SimClock(settings.clock_start or wall_now(), parse_mode(settings.clock_mode))


class WorldGate:
    """Requests share the world; a reset waits for them and holds new ones until it is done."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._rebuilding = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._rebuilding)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._rebuilding)
            self._rebuilding = True
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._rebuilding = False
                self._cond.notify_all()


class MockChargePointApp:
    """The WSGI application: SOAP endpoint, WSDL, and /_mock control plane."""

    def __init__(self, settings: Settings, clock: SimClock | None = None) -> None:
        self.settings = settings
        self.clock = clock or make_clock(settings)
        self.engine: Engine = make_engine(settings.database_url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)
        self._ready = threading.Event()
        self._gate = WorldGate()
        self.runtime = Runtime(self.sessions, self.clock, settings)
        self.soap = build_application(self.runtime)
        self._soap_wsgi = wsgi_application(self.soap)
        self._soap_endpoint = SoapRecorder(self._soap_call, self.runtime)
        self._wsdl = WsdlDocument(self.soap)
        self.admin = AdminApp(
            self.sessions,
            self.reset,
            self._ready.is_set,
            self.clock,
            frozenset(OPERATIONS),
            settings.root_seed,
            settings.journal_limit,
        )
        self._prepare()

    def _prepare(self) -> None:
        """Load the world unless the database already holds this one (other one: rebuild)."""
        create_schema(self.engine)
        with self.sessions() as db:
            holds = loaded_world(db)
        if holds is not None and holds != (
            self.settings.fixture,
            str(self._seed()),
            SCHEMA_VERSION,
        ):
            drop_schema(self.engine)
            create_schema(self.engine)
        with self.sessions() as db, db.begin():
            if not is_loaded(db, self.settings.fixture, self._seed()):
                load_world(db, self.settings.fixture, self._seed(), self.clock.now())
        # Leave no pooled connection behind: gunicorn --preload forks after this point.
        release_connections(self.engine)
        self._ready.set()

    def _seed(self) -> int | None:
        return self.settings.root_seed if self.settings.fixture == "demo" else None

    def reset(self) -> None:
        """Rebuild the world from the fixture and seed the app was started with."""
        with self._gate.rebuilding():
            self._ready.clear()
            drop_schema(self.engine)  # the journal and the armed faults go with the world
            self._prepare()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/_mock" or path.startswith("/_mock/"):
            environ = {
                **environ,
                "PATH_INFO": path[len("/_mock") :] or "/",
                "SCRIPT_NAME": "/_mock",
            }
            if environ["PATH_INFO"] == "/reset":
                return self.admin(environ, start_response)
            with self._gate.reading():
                return list(self.admin(environ, start_response))
        request = Request(environ)
        if request.method == "GET" and (
            path == WSDL_PATH or (path == SOAP_PATH and _asks_wsdl(request))
        ):
            return self._serve_wsdl(request)(environ, start_response)
        if path != SOAP_PATH:
            return _fault(f"No SOAP endpoint at {path}; use {SOAP_PATH}.", 404)(
                environ, start_response
            )
        if request.method != "POST":
            return _fault("SOAP requests must be sent with HTTP POST.", 405)(
                environ, start_response
            )
        with self._gate.reading():  # the journal row belongs to the world it was answered in
            return self._soap_endpoint(environ, start_response)

    def _soap_call(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """One SOAP POST inside the recorder: the size limit, then spyne."""
        if (Request(environ).content_length or 0) > self.settings.max_body_bytes:
            text = f"Request body exceeds the limit of {self.settings.max_body_bytes} bytes."
            return _fault(text, 500)(environ, start_response)
        return list(self._soap_wsgi(environ, start_response))

    def wsdl_bytes(self, address: str) -> bytes:
        """The served WSDL with ``soap:address`` set to ``address``."""
        return self._wsdl.render(address)

    def _serve_wsdl(self, request: Request) -> Response:
        address = self.settings.wsdl_public_url or request.host_url.rstrip("/") + SOAP_PATH
        return Response(self.wsdl_bytes(address), mimetype="text/xml")


def _asks_wsdl(request: Request) -> bool:
    return any(key.lower() == "wsdl" for key in request.args)


def _fault(text: str, status: int) -> Response:
    return Response(fault_bytes(client_fault(text)), status=status, mimetype="text/xml")


def create_app(
    settings: Settings | None = None, clock: SimClock | None = None
) -> MockChargePointApp:
    """Build the whole server for ``settings`` (defaults: SQLite file, demo world)."""
    return MockChargePointApp(settings or Settings(), clock)


def wsgi_from_env() -> MockChargePointApp:
    """Entry point for gunicorn: ``gunicorn 'mockcp.app:wsgi_from_env()'``."""
    return create_app(Settings.from_env())
