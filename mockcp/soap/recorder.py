"""The SOAP endpoint's outer layer: the journal entry of every call, and forced transport faults.

Every POST to a SOAP endpoint passes here, whatever becomes of it inside (an answer, a
catalogue code, a Client fault from the parser, a failed authentication). The layer reads the
request, lets the endpoint answer, then writes one journal row (``domain.journal``) in the
journal's own database (``db.journal_store``: never behind the world's write lock) with what
the call asked (the body as JSON named as in the WSDL) and how it ended. The call wrapper
inside (``soap.application``) notes the caller and any fault ``domain.forced`` fired on a
``CallNote`` in the WSGI environ; a transport fault is applied here, after the row is kept:
latency, HTTP 503 with an HTML body, a truncated or malformed body, or ``ConnectionAbort``
(drop, reset, a hang's end), which the server turns into a closed socket (``mockcp.server``).
"""

from __future__ import annotations

import io
import logging
import re
import socket
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from mockcp.clock import wall_instant
from mockcp.db.callstate import CallState
from mockcp.domain import journal
from mockcp.domain.forced import Fired
from mockcp.soap.context import RequestContext, Runtime

log = logging.getLogger("mockcp.journal")

NOTE = "mockcp.call"  # the environ key of the CallNote
CALL_STATE = "mockcp.state"  # the environ key of the call's CallState (db/callstate.py)
CALL_NOW = "mockcp.now"  # the environ key of the call's simulated instant, from that state
WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
# (environ, request body, note, (status, headers, answer)) after the journal row is written
Keeper = Callable[
    [dict[str, Any], bytes, "CallNote", tuple[str, list[tuple[str, str]], bytes]], None
]
# (environ, note, request body, (status, answer), (wall start, simulated instant)): a call's row
Record = Callable[
    [dict[str, Any], "CallNote", bytes, tuple[str, bytes], tuple[datetime, datetime]], None
]
SKIPPED = frozenset({"drop", "reset", "http503", "hang"})  # the operation does not run
HTML_503 = (
    b"<html><head><title>503 Service Unavailable</title></head><body>"
    b"<h1>503 Service Unavailable</h1>"
    b"<p>No server is available to handle this request.</p></body></html>"
)
_FAULTCODE = re.compile(rb"<faultcode>([^<]{1,80})</faultcode>")
_VERSION = re.compile(r"/(\d+\.\d+)$")


class ConnectionAbort(Exception):  # noqa: N818  (a signal to the server, not an error)
    """Close this connection without an answer: ``kind`` is "drop" or "reset"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(slots=True)
class CallNote:
    """What the inside of the endpoint tells the recorder about one call."""

    org_id: str | None = None
    response_code: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    fired: Fired | None = None
    state: CallState | None = None  # the store read at the call's start (db/callstate.py)
    now: datetime | None = None  # the call's simulated instant, when the recorder read it
    # The operation and its parameters as the journal keeps them, read from the document
    # spyne parsed (``keep_request``), so the recorder does not parse the body a second time.
    request: tuple[str | None, object | None] | None = None
    # The read's request context, once its handler answered (``RequestContext.timed`` tells
    # whether it asked for the time): ``mockcp/answers.py`` may keep a timeless read's answer.
    answered: RequestContext | None = None


def note_of(ctx: Any) -> CallNote:
    """The CallNote of a spyne context (a throwaway one when no recorder is outside)."""
    environ = getattr(ctx.transport, "req_env", None) or {}
    note = environ.get(NOTE)
    return note if isinstance(note, CallNote) else CallNote()


def keep_request(ctx: Any, max_depth: int) -> None:
    """Note the parsed request's operation and parameters for the journal row, before the
    wire layer normalises the document for spyne (the journal keeps what the client sent)."""
    note = note_of(ctx)
    note.request = params_of(ctx.in_document, max_depth)


class SoapRecorder:
    """WSGI middleware around a SOAP endpoint: journal every call, apply transport faults."""

    def __init__(self, app: WsgiApp, runtime: Runtime, journal_db: journal.Store) -> None:
        self._app = app
        self._runtime = runtime
        self._journal = journal_db
        self.keeper: Keeper | None = None  # mockcp/answers.py: may keep a timeless read's answer

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        state = environ.get(CALL_STATE)
        state = state if isinstance(state, CallState) else None
        read = environ.get(CALL_NOW)  # the instant the app told from the call's state
        started, sim = wall_instant(), read if isinstance(read, datetime) else None
        sim = sim or self._runtime.clock.now()
        raw = self._read_body(environ)
        note = CallNote(state=state, now=sim)
        environ = {**environ, NOTE: note, "wsgi.input": io.BytesIO(raw)}
        reply: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            reply[:] = [status, headers]
            return lambda _data: None

        body = b"".join(self._app(environ, capture))
        status, headers = reply
        fired = note.fired
        if fired is not None:
            status, headers, body = _damage(fired, status, headers, body)
            _wait(fired, environ)
        self.record(environ, note, raw, (status, body), (started, sim))
        if self.keeper is not None and fired is None:
            self.keeper(environ, raw, note, (status, headers, body))
        if fired is not None and fired.kind in {"drop", "reset", "hang"}:
            kind = "reset" if fired.kind == "reset" else "drop"
            _close_werkzeug_socket(environ, kind)
            raise ConnectionAbort(kind)
        start_response(status, _sized(headers, body))
        return [body]

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = self._runtime.settings.max_body_bytes
        if length > limit:
            return b""  # refused inside without reading; the journal keeps no body
        return bytes(environ["wsgi.input"].read(length)) if length > 0 else b""

    def record(
        self,
        environ: dict[str, Any],
        note: CallNote,
        raw: bytes,
        answer: tuple[str, bytes],
        when: tuple[datetime, datetime],
    ) -> None:
        """Journal one finished call (``note`` says what the endpoint learnt of it): the one
        way a call's row is made, whichever path answered it (``mockcp/answers.py`` too)."""
        status, body = answer
        started, sim = when
        max_depth = self._runtime.settings.max_depth
        operation, params = note.request or request_params(raw, max_depth)
        fault = note.fired.kind if note.fired and note.fired.kind not in {"code"} else None
        if fault is None or fault in {"latency", "truncated", "malformed"}:
            match = _FAULTCODE.search(body[:4096]) if status.startswith("500") else None
            fault = match.group(1).decode("utf-8", "replace") if match else fault
        keep_xml = self._runtime.settings.journal_xml
        xml_bytes = self._runtime.settings.journal_xml_bytes
        version = _VERSION.search(environ.get("PATH_INFO", ""))
        call = journal.Call(
            at=sim,
            wall_at=started,
            version=version.group(1) if version else None,
            operation=operation,
            org_id=note.org_id,
            http_status=int(status.split(" ", 1)[0]),
            response_code=note.response_code,
            fault=fault,
            duration_ms=(wall_instant() - started).total_seconds() * 1000,
            params=params,
            details=note.details,
            request_xml=journal.clip_xml(raw, xml_bytes) if keep_xml else None,
            response_xml=journal.clip_xml(body, xml_bytes) if keep_xml else None,
        )
        xml_calls = self._runtime.settings.journal_xml_calls if keep_xml else 0
        try:
            journal.append(self._journal, call, self._runtime.settings.journal_limit, xml_calls)
        except Exception:  # a lost journal row must not cost the client its answer
            log.exception("could not journal a %s call", operation)


def _damage(
    fired: Fired, status: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[str, list[tuple[str, str]], bytes]:
    if fired.kind == "http503":
        return "503 Service Unavailable", [("Content-Type", "text/html")], HTML_503
    if fired.kind == "truncated":
        return status, headers, body[: len(body) // 2]
    if fired.kind == "malformed":
        cut = body.rfind(b"</")
        return status, headers, body[:cut] + b"</broken" + body[cut + 2 :] if cut > 0 else b"<"
    return status, headers, body


def _wait(fired: Fired, environ: dict[str, Any]) -> None:
    """Latency: sleep. A hang: sleep until the client leaves (when the server can tell) or
    the bound passes."""
    if fired.kind == "latency" and fired.delay_ms:
        time.sleep(fired.delay_ms / 1000)
    if fired.kind != "hang":
        return
    gone = environ.get("waitress.client_disconnected")
    for _ in range(max(fired.delay_ms // 50, 1)):
        if callable(gone) and gone():
            return
        time.sleep(0.05)


def _close_werkzeug_socket(environ: dict[str, Any], kind: str) -> None:
    """Under werkzeug's development server (``mockcp serve --reload``), which knows nothing
    of ConnectionAbort, shut the socket here (a reset there may arrive as a plain close: the
    server still holds the descriptor); mockcp.server does it itself."""
    sock = environ.get("werkzeug.socket")
    if not isinstance(sock, socket.socket):
        return
    if kind == "reset":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.shutdown(socket.SHUT_RDWR)


def _sized(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
    return [*kept, ("Content-Length", str(len(body)))]


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
)


def request_params(raw: bytes, max_depth: int) -> tuple[str | None, object | None]:
    """The operation (the Body's first element) and its content as JSON, by local names;
    (None, None) when the body is no readable SOAP envelope."""
    if not raw.strip() or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return None, None
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError:
        return None, None
    return params_of(root, max_depth)


def params_of(root: etree._Element, max_depth: int) -> tuple[str | None, object | None]:
    """``request_params`` of an envelope already parsed."""
    body = next((c for c in root if etree.QName(c).localname == "Body"), None)
    if body is None or len(body) == 0 or not isinstance(body[0].tag, str):
        return None, None
    operation = body[0]
    params = as_json(operation, max_depth)
    return etree.QName(operation).localname, params if isinstance(params, dict) else {}


def as_json(element: etree._Element, depth: int) -> object:
    """An element's content: its text when it has no children, else an object of its children
    by local name (a repeated name becomes a list); None beyond ``depth`` levels."""
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return (element.text or "").strip()
    if depth <= 0:
        return None
    groups: dict[str, list[object]] = {}
    for child in children:
        groups.setdefault(etree.QName(child).localname, []).append(as_json(child, depth - 1))
    return {name: values[0] if len(values) == 1 else values for name, values in groups.items()}
