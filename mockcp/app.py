"""create_app(settings): the one place that builds engines, clocks and the WSGI app."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import threading
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from mockcp.admin.health import health
from mockcp.answers import call_state, kept_reads
from mockcp.app_parts import ControlParts
from mockcp.clock import (
    ClockReading,
    MovableClock,
    SimClock,
    check_instant,
    day_start,
    parse_mode,
    wall_now,
    wall_seconds,
)
from mockcp.config import Settings
from mockcp.db.activity import WorldMeta
from mockcp.db.callstate import CallState
from mockcp.db.engine import (
    create_schema,
    drop_schema,
    make_engine,
    make_sessionmaker,
    release_connections,
)
from mockcp.db.images import drop_all_images, write_transaction
from mockcp.db.journal_store import JournalStore
from mockcp.db.storegate import StoreGate, WorldGate
from mockcp.db.worldlock import world_lock
from mockcp.exposure import TOKEN_VARIABLE, authorised, refuse
from mockcp.planned_images import PlannedImages, image_key
from mockcp.sandboxes import SandboxApp, Sandboxes, key_sandbox
from mockcp.seed.world import SCHEMA_VERSION, load_world, loaded_world
from mockcp.sim.store.ahead import plan_ahead
from mockcp.sim.store.engine import materialize
from mockcp.sim.store.status import settles_after_refresh
from mockcp.soap import guard
from mockcp.soap.application import build_application, wsgi_application
from mockcp.soap.context import Runtime
from mockcp.soap.recorder import CALL_NOW, CALL_STATE, SoapRecorder
from mockcp.soap.versions import BY_PATH, BY_WSDL_PATH, V5_1, ApiVersion
from mockcp.soap.wire import client_fault, fault_bytes, server_fault
from mockcp.soap.wsdl import WsdlDocument
from mockcp.startgc import built_for_good, collector_paused
from mockcp.worldclock import StoredClock, anchored, write_state
from mockcp.worlds import WorldStore, new_start, world_identity
from mockcp.wsdl_address import asks_wsdl, public_base

log = logging.getLogger("mockcp.app")

SOAP_PATH = V5_1.soap_path  # /webservices/chargepoint/services/5.1
WSDL_PATH = V5_1.wsdl_path  # /cp_api_5.1.wsdl
UI_PATH = "/_mock/ui"
REFUSAL = "mockcp.refusal"  # environ key: the Client fault text of a request refused unread


def make_clock(settings: Settings) -> SimClock:
    """A process clock from ``clock_mode``: realtime, frozen or xN."""
    return SimClock(settings.clock_start or wall_now(), parse_mode(settings.clock_mode))


def _server_clock(settings: Settings, engine: Engine) -> MovableClock:
    """The clock in the store, shared by every process on it; an in-memory database lives
    in one process, so its clock does too."""
    if engine.dialect.name == "sqlite" and engine.url.database in {None, "", ":memory:"}:
        return make_clock(settings)
    return StoredClock(engine)


class MockChargePointApp:
    """The WSGI application: SOAP endpoint, WSDL, and /_mock control plane."""

    def __init__(
        self,
        settings: Settings,
        clock: MovableClock | None = None,
        admin_token: str | None = None,
        sandbox_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.sandbox_id = sandbox_id  # set: this app serves a sandbox of another
        self.admin_token = admin_token or None  # /_mock needs it as a Bearer token when set
        self.engine: Engine = make_engine(settings.database_url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)
        self.clock: MovableClock = clock or _server_clock(settings, self.engine)
        self._ready = threading.Event()
        self.store_gate = StoreGate(self.engine)
        self._gate = WorldGate(self.store_gate)
        self.runtime = Runtime(self.sessions, self.clock, settings)
        self.journal = JournalStore(self.engine)  # beside the world (db/journal_store.py)
        self.journal.lent = self.store_gate.held  # PostgreSQL: a row on the gate connection
        self.world = WorldStore(self.engine, self.clock, self.journal)
        self.soap = build_application(self.runtime)
        self._soap_wsgi = wsgi_application(self.soap)
        self._soap_endpoint = SoapRecorder(self._soap_call, self.runtime, self.journal)
        # Reads kept while the world's file is unchanged; whole answers need its clock there.
        kept = settings.answer_cache and isinstance(self.clock, StoredClock)
        endpoint = self._soap_endpoint
        self.version, self.answers = kept_reads(
            self.engine, self.runtime, endpoint, kept, self.store_gate.held
        )
        self._wsdls = {
            version.name: WsdlDocument(self.soap, version) for version in BY_PATH.values()
        }
        self.sandboxes = (
            Sandboxes(self.engine, settings, self._open_sandbox) if sandbox_id is None else None
        )
        paths = {"soapPath": SOAP_PATH, "wsdlPath": WSDL_PATH}
        self.parts = ControlParts(self, self._ready.is_set, self._gate, paths, create_app)
        self._prepare()

    def _prepare(self) -> None:
        """Build the world unless the store already holds this one (another one: rebuild).

        Under the database's world lock: on an empty shared store exactly one process
        builds, the others wait and then find it built.
        """
        wanted = (self.settings.fixture, str(self._seed()), SCHEMA_VERSION)
        with world_lock(self.engine):
            create_schema(self.engine)
            self.journal.create()
            with self.sessions() as db:
                holds = loaded_world(db)
            empty = holds is None  # a store that held another world keeps its sandbox registry
            chosen = self._chosen_by_reset(holds)
            if chosen is not None:
                self._follow(chosen)  # a reset chose this world: a restarted worker keeps it
            elif holds is not None and holds != wanted:
                with write_transaction(self.engine) as conn:
                    drop_all_images(conn)
                drop_schema(self.engine)
                create_schema(self.engine)
                self.journal.rebuild()
                holds = None
            if holds is None:
                self._build(images=empty)
            elif not self.world.has_start():
                mode = parse_mode(self.settings.clock_mode)
                with write_transaction(self.engine) as conn:
                    self.world.save_start(conn, self.world.ensure_clock_row(conn, mode))
        # Leave no pooled connection behind: gunicorn --preload forks after this point.
        release_connections(self.engine)
        self.journal.release()
        self._ready.set()

    def close(self) -> None:
        """Release every database connection of this app and of the sandboxes it opened."""
        if self.sandboxes is not None:
            self.sandboxes.close()
        self.store_gate.close()
        if self.version is not None:  # (and what was kept under it)
            self.version.close()
        self.journal.close()
        self.engine.dispose()

    @staticmethod
    def _open_sandbox(settings: Settings, sandbox_id: str) -> MockChargePointApp:
        return MockChargePointApp(settings, sandbox_id=sandbox_id)

    def _chosen_by_reset(self, holds: tuple[str, str, str] | None) -> Settings | None:
        """The settings of the stored world when a reset to a new start made it."""
        if holds is None or holds[2] != SCHEMA_VERSION:
            return None
        with self.sessions() as db:
            if db.get(WorldMeta, "made_by") is None:
                return None
        seed = self.settings.root_seed if holds[1] == "None" else int(holds[1])
        return dataclasses.replace(self.settings, fixture=holds[0], root_seed=seed)

    @collector_paused()  # a build makes objects that live on (mockcp/startgc.py)
    def _build(self, made_by_reset: bool = False, images: bool = True) -> None:
        """Load the world and plan its history up to the start, or copy a kept image of that
        very build (mockcp/planned_images.py) into a store that held nothing (``images``: a
        copy replaces the whole file, and an image kept would carry the store's sandbox
        registry). A stored clock with no fixed start: built at
        the UTC day holding now, then moved to now (docs/worlds.md, *The default start*)."""
        ahead = None  # a default start's build is planned through its whole UTC day
        if isinstance(self.clock, StoredClock):
            now = check_instant(self.settings.clock_start or wall_now(), "the clock's start")
            epoch = now if self.settings.clock_start is not None else day_start(now)
            ahead = None if epoch == now else epoch + timedelta(days=1, microseconds=-1)
            reading = ClockReading(epoch, parse_mode(self.settings.clock_mode), epoch)
        else:
            reading = self.clock.reading()
            now = reading.now
        kept = PlannedImages.for_store(self.settings, self.engine) if images else None
        key = kept and image_key(self.settings, reading.now, reading.factor, self._seed(), ahead)
        moves = now > reading.now  # the start image is taken at now, after the move below
        if kept is not None and key and kept.fetch(key, self.engine):
            self.world.adopt(reading)  # the clock anchored now, the journal's start image
        else:
            self._plan(reading, load=True, made_by_reset=made_by_reset, start=not moves)
            if ahead is not None:  # so moving it to now below plans nothing (statuses only)
                plan_ahead(self.sessions, self.settings.root_seed, ahead)
            if kept is not None and key:
                kept.keep(key, self.engine)
        if moves:  # nobody is served yet: one transaction
            self._plan(ClockReading(now, reading.factor, reading.origin), load=False)

    def _plan(
        self, reading: ClockReading, load: bool, made_by_reset: bool = False, start: bool = True
    ) -> None:
        """In one write transaction: the world loaded (``load``), planned through the local
        day of ``reading.now``, statuses brought there, its clock row and (``start``) its start
        image kept."""
        with write_transaction(self.engine) as conn:
            with Session(bind=conn) as db:
                if load:
                    load_world(db, self.settings.fixture, self._seed(), reading.now)
                    if made_by_reset:
                        db.add(WorldMeta(key="made_by", value="reset"))
                    db.flush()
                # Planned once, here: the start image holds the history up to the start, so
                # a reset (or a sandbox copy) and its first read plan nothing again (#18).
                settles_after_refresh(db)  # the build changes nothing after its refresh
                materialize(db, self.settings.root_seed, reading.now)
                db.flush()
            write_state(conn, anchored(reading))
            if start:
                self.world.save_start(conn, reading)

    def _seed(self) -> int | None:
        return self.settings.root_seed if self.settings.fixture == "demo" else None

    def reset(self, body: object = None) -> None:
        """Back to the start: data and clock from the start image, journal and forced queue
        emptied; with ``{"start", "seed", "fixture"}`` a new start is built instead (ValueError
        when the body is wrong). In flight requests finish first; new ones wait."""
        if body is not None and self.sandbox_id is not None:
            raise ValueError("a sandbox keeps the start it was made with: make another sandbox")
        settings = new_start(self.settings, body) if body is not None else None
        if self.sandboxes is not None:  # templates no sandbox uses go with the old world
            self.sandboxes.templates.collect()
        with self._gate.rebuilding():
            if self.version is not None:  # what was kept under it is stale now
                self.version.forget()
            if self.answers is not None:  # (and the old world's answers are let go)
                self.answers.forget()
            if settings is None:
                self.world.reset()
                return
            with world_lock(self.engine):
                with write_transaction(self.engine) as conn:
                    drop_all_images(conn)
                drop_schema(self.engine)
                create_schema(self.engine)
                self.journal.rebuild()
                self._follow(settings)
                if not isinstance(self.clock, StoredClock):
                    start = settings.clock_start or self.clock.now()
                    self.clock.restore(ClockReading(start, self.clock.reading().factor, start))
                self._build(made_by_reset=True, images=False)  # (it replaces a served world)

    def _follow(self, settings: Settings) -> None:
        """Serve the world of ``settings`` from now on (this process)."""
        self.settings = self.runtime.settings = settings
        self.parts.follow_seed(settings.root_seed)

    def _follow_store(self, state: CallState | None = None) -> None:
        """Another process may have reset the shared store to a new start: follow it
        (``state``: the call's one read of the store, ``db/callstate.py``)."""
        if isinstance(self.clock, StoredClock):
            found = world_identity(self.engine) if state is None else state.identity
            if found is not None and found != (self.settings.fixture, str(self._seed())):
                fixture, seed = found
                root_seed = int(seed) if seed != "None" else self.settings.root_seed
                self._follow(
                    dataclasses.replace(self.settings, fixture=fixture, root_seed=root_seed)
                )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in ("/", UI_PATH):  # the dashboard (mockcp.ui)
            return redirect(UI_PATH + "/")(environ, start_response)
        if path.startswith(UI_PATH + "/"):
            ui = {**environ, "PATH_INFO": path[len(UI_PATH) :], "SCRIPT_NAME": UI_PATH}
            with self._gate.reading():
                return list(self.parts.ui()(ui, start_response))
        if path == "/_mock" or path.startswith("/_mock/"):
            if not authorised(environ, self.admin_token):
                return refuse(start_response)
            environ = {
                **environ,
                "PATH_INFO": path[len("/_mock") :] or "/",
                "SCRIPT_NAME": "/_mock",
            }
            if environ["PATH_INFO"] == "/reset":
                return self.parts.admin()(environ, start_response)
            if environ["PATH_INFO"].startswith(("/snapshots", "/sandboxes")):
                return self.parts.worlds()(environ, start_response)
            with self._gate.reading():
                if environ["PATH_INFO"] == "/health" and environ.get("REQUEST_METHOD") == "GET":
                    return list(health(self._ready.is_set())(environ, start_response))
                return list(self.parts.admin()(environ, start_response))
        if self.answers is not None and path in BY_PATH and environ.get("REQUEST_METHOD") == "POST":
            with self._gate.reading():  # a read kept in memory, while the world is unchanged
                served = self.answers.serve(environ, start_response, self._names_sandbox)
            if served is not None:
                return served
        request = Request(environ)
        version = BY_WSDL_PATH.get(path) or BY_PATH.get(path)  # issue 11: 5.1 and 5.0
        if (
            request.method == "GET"
            and version is not None
            and (path == version.wsdl_path or asks_wsdl(request))
        ):
            return self._serve_wsdl(request, version)(environ, start_response)
        if path not in BY_PATH:
            return _fault(f"No SOAP endpoint at {path}; use {SOAP_PATH}.", 404)(
                environ, start_response
            )
        if request.method != "POST":
            return _fault("SOAP requests must be sent with HTTP POST.", 405)(
                environ, start_response
            )
        refusal = None
        if (request.content_length or 0) > self.settings.max_body_bytes:
            refusal = f"Request body exceeds the limit of {self.settings.max_body_bytes} bytes."
        else:
            raw = request.get_data(cache=True)
            refusal, parsed = guard.examine(raw)  # bounded shape before spyne sees the document
            environ = {**environ, "wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))}
            environ[guard.PARSED] = (raw, parsed)  # parsed once: the protocol reads this tree
        if refusal is not None:  # journaled without its body (never parsed again)
            environ = {**environ, "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0"}
            environ[REFUSAL] = refusal
        else:
            sandbox = self._sandbox_of(environ, request)
            if sandbox is not None:  # the sandbox's own app journals the call in its own store
                return sandbox(environ, start_response)
        with self._gate.reading():  # the journal row belongs to the world it was answered in
            # Clock, stamps, faults, identity: one query, or from memory (answers.call_state).
            state = call_state(self.engine, self.store_gate.held(), self.runtime.reads)
            self._follow_store(state)
            if state.clock is not None and isinstance(self.clock, StoredClock):
                now = state.clock.now(wall_seconds())  # the stored clock, read with the rest
            else:
                now = self.clock.now()  # an in-memory world's clock is the process's
            call = {**environ, CALL_STATE: state, CALL_NOW: now}
            return self._soap_endpoint(call, start_response)

    def _soap_call(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """One SOAP POST inside the recorder: a refusal of the size limit or the guard, else
        spyne; never an HTML page."""
        if REFUSAL in environ:
            return _fault(environ[REFUSAL], 500)(environ, start_response)
        try:
            return list(self._soap_wsgi(environ, start_response))
        except Exception:  # what spyne let through is a SOAP fault
            log.exception("unhandled error in the SOAP stack")
            return _fault("Internal error in the SOAP stack.", 500, server=True)(
                environ, start_response
            )

    def _names_sandbox(self, body: bytes) -> bool:
        """A body whose licence key names a sandbox: that sandbox's app answers it."""
        return self.sandboxes is not None and key_sandbox(body) is not None

    def _sandbox_of(self, environ: dict[str, Any], request: Request) -> SandboxApp | None:
        """The sandbox a SOAP call's licence key names (its body is put back for spyne)."""
        if self.sandboxes is None:
            return None
        body = request.get_data()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        sandbox_id = key_sandbox(body)
        return None if sandbox_id is None else self.sandboxes.app(sandbox_id)

    def wsdl_bytes(self, address: str, version: ApiVersion = V5_1) -> bytes:
        """The served WSDL of ``version`` with ``soap:address`` set to ``address``."""
        return self._wsdls[version.name].render(address)

    def _serve_wsdl(self, request: Request, version: ApiVersion = V5_1) -> Response:
        public = self.settings.wsdl_public_url
        if public and public.endswith(SOAP_PATH):
            public = public[: -len(SOAP_PATH)] + version.soap_path
        address = public or public_base(self.settings, request) + version.soap_path
        return Response(self.wsdl_bytes(address, version), mimetype="text/xml")


def _fault(text: str, status: int, server: bool = False) -> Response:
    fault = server_fault(text) if server else client_fault(text)
    return Response(fault_bytes(fault), status=status, mimetype="text/xml")


def create_app(
    settings: Settings | None = None,
    clock: MovableClock | None = None,
    admin_token: str | None = None,
) -> MockChargePointApp:
    """Build the whole server for ``settings`` (defaults: SQLite file, demo world)."""
    return MockChargePointApp(settings or Settings(), clock, admin_token)


def wsgi_from_env() -> MockChargePointApp:
    """Entry point for gunicorn: ``gunicorn 'mockcp.app:wsgi_from_env()'``; the control
    plane needs ``MOCKCP_ADMIN_TOKEN`` as a Bearer token when that variable is set."""
    token = os.environ.get(TOKEN_VARIABLE)  # built with the collector off (mockcp/startgc.py)
    return built_for_good(lambda: create_app(Settings.from_env(), admin_token=token))
