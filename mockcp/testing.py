"""Test helpers for mockcp users: in-process zeep clients, a real server, the control plane.

with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal")) as mock:
    client = mock.client()                  # zeep over an in-process transport
    mock.faults.force("shedLoad", code=126) # the control plane, in process
    mock.journal.assert_called("shedLoad", times=1, stationID="1:10002")
    with mock.serve() as url:               # the production server on a free port
        remote = ControlPlane.at(url)       # the same helpers against any running mockcp
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import requests
import zeep
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client as WerkzeugClient
from zeep.transports import Transport
from zeep.wsdl import Document
from zeep.wsse.username import UsernameToken

from mockcp.app import SOAP_PATH, WSDL_PATH, MockChargePointApp, create_app
from mockcp.clock import SimClock
from mockcp.config import Settings
from mockcp.control import ControlPlane, ControlViews
from mockcp.domain.tenants import Tenant, list_tenants
from mockcp.server import running
from mockcp.soap.recorder import ConnectionAbort

__all__ = ["ControlPlane", "InProcessTransport", "MockChargePoint"]

BINDING = "{urn:dictionary:com.chargepoint.webservices}chargepointservicesSOAP"
IN_PROCESS_BASE = "http://mockcp.invalid"


class InProcessTransport(Transport):
    """A zeep transport that calls the WSGI app directly (no sockets)."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self._client = WerkzeugClient(app)

    def post(
        self, address: str, message: bytes | str, headers: dict[str, str]
    ) -> requests.Response:
        parts = urlsplit(address)
        try:
            reply = self._client.post(
                parts.path, query_string=parts.query, data=message, headers=headers
            )
        except ConnectionAbort as abort:  # what a socket client sees of a forced drop/reset
            raise requests.ConnectionError(f"connection {abort.kind} (forced)") from None
        return _as_requests(reply, address)

    def load(self, url: str) -> bytes:
        if url.startswith(IN_PROCESS_BASE):
            parts = urlsplit(url)
            reply = self._client.get(parts.path, query_string=parts.query)
            return bytes(reply.get_data())
        return bytes(super().load(url))


class _Fetched(Transport):
    """Loads one WSDL from bytes already fetched (a parsed document keeps no app alive)."""

    def __init__(self, url: str, content: bytes) -> None:
        super().__init__()
        self._url, self._content = url, content

    def load(self, url: str) -> bytes:
        return self._content if url == self._url else bytes(super().load(url))


# zeep's parsed served WSDLs, by their bytes and zeep's settings: every in-process client
# still fetches the WSDL its app serves, but parses it only when those bytes are new (the
# parse is a third of a client's cost; a zeep Document is read-only once loaded).
_DOCUMENTS: dict[tuple[bytes, str], Document] = {}
_DOCUMENTS_KEPT = 16


def _served_document(
    url: str, transport: InProcessTransport, options: dict[str, Any]
) -> Document:
    """zeep's Document of the WSDL the transport's app serves at ``url``."""
    content = transport.load(url)
    key = (content, repr(sorted(options.items())))
    document = _DOCUMENTS.get(key)
    if document is None:
        # zeep annotates the transport as a class; it takes (and Client passes) an instance
        document = Document(url, _Fetched(url, content),  # type: ignore[arg-type]
                            settings=zeep.Settings(**options))
        if len(_DOCUMENTS) >= _DOCUMENTS_KEPT:
            _DOCUMENTS.pop(next(iter(_DOCUMENTS)))
        _DOCUMENTS[key] = document
    return document


def _as_requests(reply: Any, url: str) -> requests.Response:
    response = requests.Response()
    response.status_code = reply.status_code
    response._content = reply.get_data()
    response.headers = CaseInsensitiveDict(dict(reply.headers))
    response.url = url
    response.encoding = "utf-8"
    return response


class MockChargePoint(ControlViews):
    """A mockcp app for a test: zeep clients in process, or a real server."""

    def __init__(self, settings: Settings | None = None, clock: SimClock | None = None) -> None:
        self.settings = settings or Settings(database_url="sqlite://", fixture="minimal")
        self._clock = clock
        self.app: MockChargePointApp | None = None

    def __enter__(self) -> MockChargePoint:
        self.app = create_app(self.settings, self._clock)
        return self

    def __exit__(
        self, *exc: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        if self.app is not None:
            self.app.close()

    @property
    def wsgi(self) -> MockChargePointApp:
        if self.app is None:
            raise RuntimeError("use MockChargePoint as a context manager")
        return self.app

    @property
    def control(self) -> ControlPlane:
        """The control plane of this mock, in process (``ControlPlane.at(url)`` for a server)."""
        return ControlPlane.in_process(self.wsgi)


    def tenants(self) -> list[Tenant]:
        with self.wsgi.sessions() as db:
            return list_tenants(db)

    def client(
        self, tenant: Tenant | None = None, wsdl: str | None = None, **settings: Any
    ) -> zeep.Client:
        """A zeep client over the in-process transport (served WSDL unless ``wsdl`` is given)."""
        tenant = tenant or self.tenants()[0]
        transport = InProcessTransport(self.wsgi)
        served = IN_PROCESS_BASE + WSDL_PATH
        client = zeep.Client(
            wsdl or _served_document(served, transport, settings),
            wsse=UsernameToken(tenant.license_key, tenant.password),
            transport=transport,
            settings=zeep.Settings(**settings),
        )
        # Point the default service at the in-process endpoint, whatever the WSDL says.
        client._default_service = client.create_service(BINDING, IN_PROCESS_BASE + SOAP_PATH)
        return client

    @contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[str]:
        """The production server (``mockcp.server``, waitress) on a free port; yields its URL."""
        with running(self.wsgi, host) as url:
            yield url
