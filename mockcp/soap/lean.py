"""A SOAP call without spyne's server machinery: the same protocol, handlers and bytes (#18).

spyne's ``WsgiApplication`` builds a ``MethodContext`` per request (with transport and
protocol contexts, an attribute-tracking ``__setattr__``, copies per method), fires a dozen
events nobody in mockcp listens to, and walks generic paths (push serialisation, MTOM,
auxiliary methods) mockcp never takes: about a tenth of a small call's CPU. ``LeanEndpoint``
runs the same steps on a plain context object:

- the protocol's own ``create_in_document`` / ``decompose_incoming_envelope`` (the guard's
  tree, WS-Security, the operation and its version, normalisation) and ``deserialize``
  (spyne's soft validation of the body);
- the application's ``call_wrapper`` (forced faults, the world lock, the handler, commit or
  rollback), with spyne's ``process_request`` rules for wrapping the result and turning an
  exception into a fault;
- the protocol's ``serialize`` (the envelope from its template, ``soap/envelope.py``) and, for
  a fault, the fault envelope serialised as spyne does, with HTTP 500.

spyne still declares the services, builds the WSDL and deserialises values.
``tests/soap/test_lean_path.py`` answers every 5.1 WSDL operation, from both tenants on both
endpoints, through this path and through spyne's own ``WsgiApplication``, and compares bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from spyne import BODY_STYLE_BARE, BODY_STYLE_EMPTY, BODY_STYLE_WRAPPED, Fault
from spyne import application as spyne_application
from spyne.protocol import ProtocolBase

from mockcp.soap import envelope

CONTENT_TYPE = "text/xml; charset=utf-8"  # spyne's Soap11.mime_type
# spyne's own loggers, which report a call's faults as spyne's server does (a test waits on them)
SPYNE_LOG = logging.getLogger("spyne.application")
SPYNE_CLIENT_LOG = logging.getLogger("spyne.application.client")
SPYNE_SERVER_LOG = logging.getLogger("spyne.application.server")
SPYNE_IN_LOG = logging.getLogger("spyne.server._base")


class Transport:
    """What mockcp reads of spyne's transport context: the WSGI environ."""

    __slots__ = ("req_env",)

    def __init__(self, environ: dict[str, Any]) -> None:
        self.req_env = environ


class LeanContext:
    """The attributes of spyne's ``MethodContext`` that the protocol and the handlers use."""

    __slots__ = (
        "transport",
        "udc",
        "descriptor",
        "function",
        "in_string",
        "in_document",
        "in_header_doc",
        "in_body_doc",
        "in_header",
        "in_object",
        "in_error",
        "method_request_string",
        "out_object",
        "out_error",
        "out_header",
        "out_document",
        "out_string",
    )

    def __init__(self, environ: dict[str, Any], body: bytes) -> None:
        self.transport = Transport(environ)
        self.udc: Any = None
        self.descriptor: Any = None
        self.function: Any = None
        self.in_string = [body]
        self.in_document: Any = None
        self.in_header_doc: Any = None
        self.in_body_doc: Any = None
        self.in_header: Any = None
        self.in_object: Any = None
        self.in_error: Fault | None = None
        self.method_request_string: str | None = None
        self.out_object: Any = None
        self.out_error: Fault | None = None
        self.out_header: Any = None
        self.out_document: Any = None
        self.out_string: list[bytes] | None = None


class LeanEndpoint:
    """WSGI endpoint for SOAP POSTs; spyne's own ``fallback`` when ``envelope.LEAN`` is off."""

    def __init__(self, app: Any, fallback: Any) -> None:
        self._app = app
        self._fallback = fallback
        self._in = app.in_protocol
        self._out = app.out_protocol
        self._methods = app.interface.service_method_map

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not envelope.LEAN:
            return self._fallback(environ, start_response)  # type: ignore[no-any-return]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        ctx = LeanContext(environ, environ["wsgi.input"].read(length) if length > 0 else b"")
        try:
            self._in.create_in_document(ctx)
            self._in.decompose_incoming_envelope(ctx, ProtocolBase.REQUEST)
            ctx.descriptor = self._methods[ctx.method_request_string][0]
            ctx.function = ctx.descriptor.function
        except Fault as fault:
            return self._fault(ctx, fault, start_response)
        try:
            self._in.deserialize(ctx, ProtocolBase.REQUEST)
        except Fault as fault:
            SPYNE_IN_LOG.exception(fault)
            return self._fault(ctx, fault, start_response)
        self._process(ctx)
        if ctx.out_error is not None:
            return self._fault(ctx, ctx.out_error, start_response)
        try:
            self._out.serialize(ctx, ProtocolBase.RESPONSE)
            self._out.create_out_string(ctx)
        except Exception as exc:  # spyne: a failed serialisation is a Server fault
            SPYNE_IN_LOG.exception(exc)
            text = spyne_application.get_fault_string_from_exception(exc)
            return self._fault(ctx, Fault("Server", text), start_response)
        return self._answer(ctx, "200 OK", start_response)

    def _process(self, ctx: LeanContext) -> None:
        """spyne's ``Application.process_request``: call the handler, wrap what it returns,
        an exception becomes ``ctx.out_error``."""
        descriptor = ctx.descriptor
        try:
            if descriptor.body_style is BODY_STYLE_BARE:
                ctx.in_object = [ctx.in_object]
            elif descriptor.body_style is BODY_STYLE_EMPTY:
                ctx.in_object = []
            result = self._app.call_wrapper(ctx)
            if (
                descriptor.body_style is not BODY_STYLE_WRAPPED
                or len(descriptor.out_message._type_info) <= 1
            ):
                result = [result]
            ctx.out_object = result
        except Fault as fault:
            code = str(fault.faultcode)
            client = code == "Client" or code.startswith("Client.")
            (SPYNE_CLIENT_LOG if client else SPYNE_LOG).exception(fault)
            ctx.out_error = fault
        except Exception as exc:
            SPYNE_SERVER_LOG.critical(exc, exc_info=True)
            ctx.out_error = Fault("Server", spyne_application.get_fault_string_from_exception(exc))

    def _fault(self, ctx: LeanContext, fault: Fault, start_response: Any) -> Iterable[bytes]:
        ctx.out_error = fault
        ctx.out_document = ctx.out_string = None
        self._out.serialize(ctx, ProtocolBase.RESPONSE)
        self._out.create_out_string(ctx)  # the fault's tree, serialised as spyne does
        return self._answer(ctx, self._out.fault_to_http_response_code(fault), start_response)

    @staticmethod
    def _answer(ctx: LeanContext, status: str, start_response: Any) -> Iterable[bytes]:
        body = b"".join(ctx.out_string or ())
        start_response(status, [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
        return [body]

