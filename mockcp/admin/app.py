"""The control plane: health, tenants, reset, the request journal, the clock and forced
responses, as JSON.

Like moto's /moto-api: tests and demos steer the mock here, never through SOAP.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from mockcp import deadline
from mockcp.admin.events import EventRoutes
from mockcp.admin.faults import FaultRoutes
from mockcp.admin.health import health, json_response
from mockcp.admin.journal import JournalRoutes
from mockcp.admin.openapi import document
from mockcp.clock import MovableClock, move_target, parse_duration, parse_mode, utc
from mockcp.domain import journal
from mockcp.domain.tenants import list_tenants
from mockcp.sim.store.ahead import plan_ahead

log = logging.getLogger("mockcp.admin")

ROUTES = Map(
    [
        Rule("/health", endpoint="health", methods=["GET"]),
        Rule("/tenants", endpoint="tenants", methods=["GET"]),
        Rule("/reset", endpoint="reset", methods=["POST"]),
        Rule("/journal", endpoint="journal", methods=["GET", "DELETE"]),
        Rule("/journal/verify", endpoint="journal_verify", methods=["POST"]),
        Rule("/clock", endpoint="clock", methods=["GET", "POST"]),
        Rule("/faults", endpoint="faults", methods=["GET", "POST", "DELETE"]),
        Rule("/faults/kinds", endpoint="fault_kinds", methods=["GET"]),
        Rule("/openapi.json", endpoint="openapi", methods=["GET"]),
        Rule("/stations/<station_id>/events", endpoint="station_events", methods=["POST"]),
    ]
)


class MoveStopped(Exception):
    """A clock move's planning ran past the time limit (answered 503, the clock unmoved)."""


class AdminApp(JournalRoutes, FaultRoutes, EventRoutes):
    """WSGI app mounted at /_mock; ``reset`` is injected by create_app."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        reset: Callable[[object], None],
        ready: Callable[[], bool],
        clock: MovableClock,
        operations: frozenset[str],
        root_seed: int,
        journal_limit: int = 10_000,
        time_limit: float = 0.0,
        *,
        journal_db: journal.Store,
    ) -> None:
        self._sessions = sessions
        self._journal = journal_db  # the journal's database (db/journal_store.py)
        self._reset = reset
        self._ready = ready
        self._clock = clock
        self._operations = operations
        self._seed = root_seed
        self._journal_limit = journal_limit
        self.time_limit = time_limit  # seconds a clock move may plan (0: no limit)

    def json(self, body: Any, status: int = 200) -> Response:
        return json_response(body, status)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, values = ROUTES.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request, **values)
        except (NotFound, MethodNotAllowed) as exc:
            response = json_response(
                {"error": exc.name, "path": request.script_root + request.path}, exc.code or 404
            )
        except HTTPException as exc:
            response = json_response({"error": exc.name}, exc.code or 400)
        except Exception:  # never an HTML page or a dead worker: a JSON 500 with an id
            request_id = uuid.uuid4().hex[:12]
            log.exception("control plane error on %s (request id %s)", request.path, request_id)
            response = json_response({"error": f"internal error (request id {request_id})"}, 500)
        return response(environ, start_response)  # type: ignore[no-any-return]

    def on_health(self, request: Request) -> Response:
        return health(self._ready())

    def on_openapi(self, request: Request) -> Response:
        return json_response(document())

    def on_tenants(self, request: Request) -> Response:
        with self._sessions() as db:
            tenants = list_tenants(db)
        return json_response(
            [
                {
                    "orgID": t.org_id,
                    "organizationName": t.organization_name,
                    "licenseKey": t.license_key,
                    "password": t.password,
                }
                for t in tenants
            ]
        )

    def on_reset(self, request: Request) -> Response:
        """Back to the start; or, with {"start", "seed", "fixture"} (any of them), to a new one."""
        body = request.get_json(silent=True) if request.get_data() else None
        try:
            self._reset(body)
        except ValueError as exc:
            return json_response({"error": str(exc)}, 400)
        return json_response({"status": "reset"})

    def on_clock(self, request: Request) -> Response:
        """GET: the simulated now and mode. POST one of {"advance": "PT15M"},
        {"set": "...Z"} (forward only) or {"mode": "frozen" | "realtime" | "xN"}."""
        if request.method == "POST":
            try:
                error = self._move_clock(request)
            except MoveStopped as stopped:
                return json_response({"error": str(stopped)}, 503)
            if error is not None:
                return json_response({"error": error}, 400)
        now = utc(self._clock.now()).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
        return json_response({"now": now, "mode": self._clock.mode})

    def _move_clock(self, request: Request) -> str | None:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or len(body) != 1:
            return 'send exactly one of {"advance": ...}, {"set": ...}, {"mode": ...}'
        ((key, value),) = body.items()
        try:  # a move plans the world it moves into first: reads after it plan nothing
            if key == "advance":
                delta = parse_duration(str(value))
                self._plan_to(move_target(self._clock.reading(), advance=delta))
                self._clock.advance(delta)
            elif key == "set":
                instant = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
                self._plan_to(move_target(self._clock.reading(), to=instant))
                self._clock.set(instant)
            elif key == "mode":
                self._clock.set_factor(parse_mode(str(value)))
            else:
                return f"unknown clock command {key!r}"
        except ValueError as exc:
            return str(exc)
        return None

    def _plan_to(self, instant: datetime) -> None:
        """Plan the world through ``instant`` in committed steps (mockcp.sim.store.ahead),
        within the request time limit: stopped there, the steps done are kept, the clock
        does not move, and ``MoveStopped`` says so (the same move again carries on)."""
        with deadline.limit(self.time_limit):
            try:
                plan_ahead(self._sessions, self._seed, instant)
            except Exception as exc:
                if not (isinstance(exc, deadline.TimeLimitError) or deadline.expired()):
                    raise
                raise MoveStopped(
                    f"planning the world up to {instant:%Y-%m-%dT%H:%M:%SZ} ran past the time"
                    f" limit of {self.time_limit:g} s; the clock did not move, the days planned"
                    " so far are kept: send the same move again to carry on"
                ) from None

    def follow_seed(self, root_seed: int) -> None:
        """A reset to a new start changed the world's root seed: plan and act with it."""
        self._seed = root_seed
