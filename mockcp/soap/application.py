"""The spyne Application: services, the ChargePoint protocol, and the error boundary.

Data flow (architecture 1.2): wire parses and authenticates; ``call_wrapper``
opens the request's database session, runs the handler, commits on success and
rolls back on any error, renders a ``CPError`` as the operation's own response
(HTTP 200, responseCode/responseText only) and anything unexpected as a generic
``Server`` fault with a request id.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from lxml import etree
from spyne import Application, Fault
from spyne.server.wsgi import WsgiApplication

from mockcp.clock import wall_instant
from mockcp.domain import forced
from mockcp.errors import AuthError, CPError
from mockcp.sim.store.locking import hold_world, may_publish
from mockcp.sim.store.status import forget_interval
from mockcp.soap import security, timelimit
from mockcp.soap.context import ReadOnce, RequestContext, Runtime
from mockcp.soap.credentials import UNREAD, CredentialCache, Unread
from mockcp.soap.lean import LeanEndpoint
from mockcp.soap.operations.drivers import DriverService
from mockcp.soap.operations.fleets import FleetService
from mockcp.soap.operations.load import LoadService
from mockcp.soap.operations.orgs import OrgService
from mockcp.soap.operations.sessions import SessionService
from mockcp.soap.operations.stations import StationService
from mockcp.soap.recorder import SKIPPED, keep_request, note_of
from mockcp.soap.tuning import disable_periodic_gc, install_plain_init
from mockcp.soap.types import MODULES
from mockcp.soap.wire import TNS, ChargePointSoap11, auth_fault, original, server_fault

log = logging.getLogger("mockcp.soap")

disable_periodic_gc()  # spyne's once-a-second gc.collect() (soap/tuning.py)
install_plain_init(MODULES)  # a planned constructor for mockcp's own types (soap/tuning.py)

SERVICES = (StationService, SessionService, OrgService, LoadService, DriverService, FleetService)


class ChargePointApplication(Application):  # type: ignore[misc]
    """spyne Application with mockcp's runtime and error boundary."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.credentials = CredentialCache()  # soap/credentials.py
        in_protocol, out_protocol = (
            ChargePointSoap11(
                authenticate=self.authenticate,
                now=runtime.clock.now,
                max_bytes=runtime.settings.max_body_bytes,
                max_depth=runtime.settings.max_depth,
            )
            for _ in range(2)  # spyne binds each protocol object to one direction
        )
        super().__init__(
            list(SERVICES),
            tns=TNS,
            name="chargepointservices",
            in_protocol=in_protocol,
            out_protocol=out_protocol,
        )

    def authenticate(self, ctx: Any, header: etree._Element | None) -> None:
        """Resolve the caller before the body is looked at; store it on ``ctx.udc``."""
        note = note_of(ctx)
        keep_request(ctx, self.runtime.settings.max_depth)  # the journal's (soap/recorder.py)
        stamp = UNREAD if note.state is None else note.state.credentials
        try:
            principal = self._known(header, stamp)  # no session when memory answers
            if principal is None:
                with self.runtime.sessions() as db:
                    principal = security.authenticate(header, db, self.credentials, stamp)
        except AuthError as exc:
            raise auth_fault(exc.fault_code, exc.reason) from None
        ctx.udc = RequestContext(runtime=self.runtime, principal=principal)
        if note.now is not None:  # the instant the recorder read: one per call
            ctx.udc.reading = ReadOnce(self.runtime.clock, note.now)
        note.org_id = principal.org_id

    def _known(self, header: etree._Element | None, stamp: str | None | Unread) -> Any:
        """The caller from the credential cache, when the call's stamp proves it current."""
        if self.credentials is None or isinstance(stamp, Unread):
            return None
        return self.credentials.known(*security.read_token(header), stamp)

    def call_wrapper(self, ctx: Any) -> Any:
        with timelimit.limited(self.runtime.settings):  # a deadline per call (soap/timelimit)
            return self._call(ctx)

    def _call(self, ctx: Any) -> Any:
        request: RequestContext = ctx.udc
        operation = ctx.descriptor.name
        note = note_of(ctx)
        try:
            self._forced(operation, request, note)
            if is_write(operation):  # one writer at a time, from its first statement on
                hold_world(request.session())
                forget_interval(request.session())  # statuses may change (sim/store/status.py)
            else:  # a read's planning is published at once (sim.locking)
                may_publish(request.session())
            request.timed = False  # from here on: did the handler itself ask for the time?
            result = super().call_wrapper(ctx)
            note.answered = None if is_write(operation) else request
            if request.db is not None:
                request.db.commit()
            note.response_code = "100"
            return result
        except AuthError as exc:
            _rollback(request)
            raise auth_fault(exc.fault_code, exc.reason) from None
        except CPError as exc:
            _rollback(request)
            note.response_code = exc.code.code
            return _error_response(ctx, exc)
        except Fault:
            _rollback(request)
            raise
        except Exception as exc:
            _rollback(request)
            timelimit.out_of_time(operation, exc, request.details)  # a Client fault
            request_id = uuid.uuid4().hex[:12]
            log.exception("unexpected error in %s (request id %s)", operation, request_id)
            raise server_fault(
                f"Internal error in {operation} (request id {request_id})."
            ) from None
        finally:
            if request.db is not None:
                request.db.close()
            note.details = dict(request.details)

    def _forced(self, operation: str, request: RequestContext, note: Any) -> None:
        """Fire the first armed fault for this call (``domain.forced``): a code or a Server
        fault here; the transport kinds are the recorder's, after (or instead of) the call.
        Nothing to look up when the call's read of the store found no fault with calls left."""
        if note.state is not None and not note.state.faults_armed:
            return
        with self.runtime.sessions() as db:
            fired = forced.take(
                db,
                operation,
                request.principal.org_id or "",
                wall_instant(),
                request.clock.now(),
                self.runtime.settings.root_seed,
            )
        if fired is None:
            return
        note.fired = fired
        if fired.kind == "code":
            raise fired.error()
        if fired.kind == "server":
            raise server_fault(f"Forced fault in {operation} (/_mock/faults).")
        if fired.kind in SKIPPED:
            raise server_fault(f"Forced {fired.kind} in {operation} (/_mock/faults).")


def is_write(operation: str) -> bool:
    """Every operation but the ``get*`` reads may write (shed, clear, events, fleets...)."""
    return not operation.startswith("get")


def _rollback(request: RequestContext) -> None:
    if request.db is not None:
        request.db.rollback()


def _error_response(ctx: Any, exc: CPError) -> Any:
    out_cls = original(ctx.descriptor.out_message)
    if "responseCode" not in out_cls.get_flat_type_info(out_cls):
        raise server_fault(f"{exc.code.code}: {exc.text}")
    return out_cls(responseCode=exc.code.code, responseText=exc.text)


def build_application(runtime: Runtime) -> ChargePointApplication:
    return ChargePointApplication(runtime)


def wsgi_application(app: ChargePointApplication) -> Any:
    """The WSGI endpoint of ``app``'s SOAP calls: the lean path (``soap/lean.py``), with
    spyne's own WSGI server behind it (the only spyne objects the app module needs)."""
    return LeanEndpoint(app, WsgiApplication(app))
