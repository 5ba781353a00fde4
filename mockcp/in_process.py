"""An app of mockcp in process, opened by whoever names its factory: zeep clients over a
transport that calls the WSGI app directly, its control plane, its tenants, a real server.

``mockcp.testing.MockChargePoint`` is this mock opened with ``mockcp.app.create_app``. The
dashboard's scenario runner (``mockcp.ui.scenarios``) opens the same mock with the factory its
running app hands down, so nothing below the app imports the module that builds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import requests
import zeep
from requests.structures import CaseInsensitiveDict
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import Client as WerkzeugClient
from zeep.transports import Transport
from zeep.wsdl import Document
from zeep.wsse.username import UsernameToken

from mockcp.clock import SimClock
from mockcp.config import Settings
from mockcp.control import ControlPlane, ControlViews
from mockcp.domain.tenants import Tenant, list_tenants
from mockcp.server import running
from mockcp.soap.recorder import ConnectionAbort
from mockcp.soap.versions import V5_1

BINDING = "{urn:dictionary:com.chargepoint.webservices}chargepointservicesSOAP"
IN_PROCESS_BASE = "http://mockcp.invalid"


class App(Protocol):
    """What the mock uses of the app it opens (``mockcp.app.MockChargePointApp``)."""

    sessions: sessionmaker[Session]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]: ...

    def reset(self, body: object = None) -> None: ...

    def close(self) -> None: ...


AppT = TypeVar("AppT", bound=App)
AppFactory = Callable[[Settings, SimClock | None], AppT]  # (settings, clock) -> a built app


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


class InProcessMock(ControlViews, Generic[AppT]):
    """An app built by ``apps`` for a test or a run: zeep clients in process, or a real server."""

    def __init__(
        self,
        apps: AppFactory[AppT],
        settings: Settings | None = None,
        clock: SimClock | None = None,
    ) -> None:
        self.settings = settings or Settings(database_url="sqlite://", fixture="minimal")
        self._apps = apps
        self._clock = clock
        self.app: AppT | None = None

    def __enter__(self) -> Self:
        self.app = self._apps(self.settings, self._clock)
        return self

    def __exit__(
        self, *exc: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        if self.app is not None:
            self.app.close()

    @property
    def wsgi(self) -> AppT:
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
        served = IN_PROCESS_BASE + V5_1.wsdl_path
        client = zeep.Client(
            wsdl or _served_document(served, transport, settings),
            wsse=UsernameToken(tenant.license_key, tenant.password),
            transport=transport,
            settings=zeep.Settings(**settings),
        )
        # Point the default service at the in-process endpoint, whatever the WSDL says.
        client._default_service = client.create_service(BINDING, IN_PROCESS_BASE + V5_1.soap_path)
        return client

    @contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[str]:
        """The production server (``mockcp.server``, waitress) on a free port; yields its URL."""
        with running(self.wsgi, host) as url:
            yield url
