"""Which address the served WSDL's ``soap:address`` names (real-interface: clients call the
address the WSDL gives them, so it must be one they can reach and no one else chose)."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.wrappers import Request

from mockcp.config import Settings

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def public_base(settings: Settings, request: Request) -> str:
    """Scheme and host for the served WSDL's soap:address: the request's Host only when it
    names a trusted host (loopback, the bound host, ``MOCKCP_TRUSTED_HOSTS``), else the
    bound address; never whatever Host a client sent."""
    trusted = set(LOCAL_HOSTS) | {
        h.strip().lower() for h in settings.trusted_hosts.split(",") if h.strip()
    }
    if settings.host not in {"0.0.0.0", "::", ""}:
        trusted.add(settings.host.lower())
    if (urlsplit("//" + request.host).hostname or "") in trusted:
        return request.host_url.rstrip("/")
    host = "localhost" if settings.host in {"0.0.0.0", "::", ""} else settings.host
    return f"http://{host}:{settings.port}"


def asks_wsdl(request: Request) -> bool:
    return any(key.lower() == "wsdl" for key in request.args)
