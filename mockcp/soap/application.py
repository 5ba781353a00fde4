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

from mockcp.errors import AuthError, CPError
from mockcp.soap import security
from mockcp.soap.context import JournalRecord, RequestContext, Runtime
from mockcp.soap.credentials import CredentialCache
from mockcp.soap.operations.drivers import DriverService
from mockcp.soap.operations.fleets import FleetService
from mockcp.soap.operations.load import LoadService
from mockcp.soap.operations.orgs import OrgService
from mockcp.soap.operations.sessions import SessionService
from mockcp.soap.operations.stations import StationService
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
        with self.runtime.sessions() as db:
            try:
                principal = security.authenticate(header, db, self.credentials)
            except AuthError as exc:
                raise auth_fault(exc.fault_code, exc.reason) from None
        ctx.udc = RequestContext(runtime=self.runtime, principal=principal)

    def call_wrapper(self, ctx: Any) -> Any:
        request: RequestContext = ctx.udc
        operation = ctx.descriptor.name
        code: str | None = None
        try:
            forced = self.runtime.forced.take(operation, request.principal.org_id or "")
            if forced is not None and forced.server_fault:
                raise server_fault(f"Forced fault in {operation} (/_mock/faults).")
            if forced is not None:
                raise forced.error()
            result = super().call_wrapper(ctx)
            if request.db is not None:
                request.db.commit()
            code = "100"
            return result
        except AuthError as exc:
            _rollback(request)
            raise auth_fault(exc.fault_code, exc.reason) from None
        except CPError as exc:
            _rollback(request)
            code = exc.code.code
            return _error_response(ctx, exc)
        except Fault:
            _rollback(request)
            raise
        except Exception:
            _rollback(request)
            request_id = uuid.uuid4().hex[:12]
            log.exception("unexpected error in %s (request id %s)", operation, request_id)
            raise server_fault(
                f"Internal error in {operation} (request id {request_id})."
            ) from None
        finally:
            if request.db is not None:
                request.db.close()
            self.runtime.journal.append(
                JournalRecord(
                    operation,
                    request.principal.org_id,
                    request.clock.now(),
                    code,
                    dict(request.details),
                )  # fmt: skip
            )


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
    """spyne's WSGI server for ``app`` (the only spyne object the app module needs)."""
    return WsgiApplication(app)
