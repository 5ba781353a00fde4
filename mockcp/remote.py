"""A sandbox of a running mockcp, for tests pointed at a shared server (``--mockcp-url``).

    sandbox = RemoteSandbox.create("http://mockcp:8080", {"fixture": "minimal"})
    client = sandbox.client()                 # zeep, the sandbox's first tenant, over HTTP
    sandbox.clock.advance("PT15M")            # its own clock, journal, faults, stations
    sandbox.delete()

Each sandbox is a world of its own inside the server (``POST /_mock/sandboxes``): its SOAP
calls go to the server's one endpoint, told apart by the licence key, and its control plane
is ``/_mock/sandboxes/<id>/...``. So tests (or pytest-xdist workers) sharing one server move
clocks, shed load and arm faults without seeing each other.
"""

from __future__ import annotations

from typing import Any

import requests
import zeep
from zeep.wsse.username import UsernameToken

from mockcp.control import ControlError, ControlPlane, ControlViews
from mockcp.domain.tenants import Tenant

SOAP_PATH = "/webservices/chargepoint/services/5.1"
WSDL_PATH = "/cp_api_5.1.wsdl"


class RemoteSandbox(ControlViews):
    """One sandbox of the mockcp at ``base_url``: its URLs, credentials and control plane."""

    def __init__(self, base_url: str, sandbox_id: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.id = sandbox_id
        self._token = token
        self._control = ControlPlane.at(self.base_url, token=token, sandbox=sandbox_id)
        self._tenants: list[Tenant] | None = None

    @classmethod
    def create(
        cls, base_url: str, body: dict[str, Any] | None = None, token: str | None = None,
        timeout: float = 60,
    ) -> RemoteSandbox:
        """Make a sandbox (``body``: ``fixture``, ``seed``, ``start``, ``clock``)."""
        answer = _server(base_url, token, timeout).call("POST", "/sandboxes", body or {})
        return cls(base_url, str(answer["id"]), token)

    @property
    def soap_url(self) -> str:
        return self.base_url + SOAP_PATH

    @property
    def wsdl_url(self) -> str:
        return self.base_url + WSDL_PATH

    @property
    def control_url(self) -> str:
        return f"{self.base_url}/_mock/sandboxes/{self.id}"

    @property
    def control(self) -> ControlPlane:
        return self._control

    def tenants(self) -> list[Tenant]:
        """The sandbox's organisations and credentials (keys end in ``@<id>``)."""
        if self._tenants is None:
            self._tenants = [
                Tenant(t["orgID"], t["organizationName"], t["licenseKey"], t["password"])
                for t in self.control.call("GET", "/tenants")
            ]
        return list(self._tenants)

    def client(self, tenant: Tenant | None = None, **settings: Any) -> zeep.Client:
        """A zeep client over HTTP for ``tenant`` (the first one by default)."""
        tenant = tenant or self.tenants()[0]
        return zeep.Client(  # type: ignore[no-untyped-call]
            self.wsdl_url,
            wsse=UsernameToken(tenant.license_key, tenant.password),  # type: ignore[no-untyped-call]
            settings=zeep.Settings(**settings),
        )

    def reset(self) -> None:
        """Back to the sandbox's start: data, clock, journal and faults."""
        self.control.call("POST", "/reset")

    def set_mode(self, mode: str) -> None:
        self.control.call("POST", "/clock", {"mode": mode})

    def delete(self) -> None:
        """Remove the sandbox and its storage (a sandbox already gone is not an error)."""
        try:
            _server(self.base_url, self._token, 30).call("DELETE", f"/sandboxes/{self.id}")
        except ControlError as error:
            if " 404 " not in str(error):
                raise


def _server(base_url: str, token: str | None, timeout: float) -> ControlPlane:
    return ControlPlane.at(base_url, timeout=timeout, token=token)


def reachable(base_url: str, timeout: float = 5) -> bool:
    """Whether a mockcp answers ``/_mock/health`` at ``base_url``."""
    try:
        reply = requests.get(f"{base_url.rstrip('/')}/_mock/health", timeout=timeout)
    except requests.RequestException:
        return False
    return reply.status_code == 200
