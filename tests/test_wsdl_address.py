"""The served WSDL's soap:address: the configured public URL, or the request's Host only
when it is trusted; never whatever Host a client sent (issue 17)."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

from mockcp.config import Settings
from mockcp.testing import MockChargePoint

SOAP = "/webservices/chargepoint/services/5.1"


def address(settings: Settings, host: str) -> str:
    with MockChargePoint(settings) as mock:
        reply = Client(mock.wsgi).get("/cp_api_5.1.wsdl", headers={"Host": host})
    found = re.search(rb'<soap:address location="([^"]+)"', reply.get_data())
    assert found is not None
    return found.group(1).decode()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.evil.example"])
def test_wsdl_address_ignores_an_untrusted_host_header(host: str) -> None:
    settings = Settings(database_url="sqlite://", fixture="minimal", port=8099)
    assert address(settings, host) == f"http://127.0.0.1:8099{SOAP}"


def test_wsdl_address_on_all_interfaces_names_localhost_for_an_untrusted_host() -> None:
    settings = Settings(database_url="sqlite://", fixture="minimal", host="0.0.0.0", port=8099)
    assert address(settings, "evil.example") == f"http://localhost:8099{SOAP}"


@pytest.mark.parametrize("host", ["localhost:5000", "127.0.0.1:5000", "mock.internal:5000"])
def test_wsdl_address_echoes_a_trusted_host(host: str) -> None:
    settings = Settings(database_url="sqlite://", fixture="minimal", trusted_hosts="mock.internal")
    assert address(settings, host) == f"http://{host}{SOAP}"


def test_wsdl_address_is_the_public_url_when_configured() -> None:
    public = "https://cp.example.org/ws"
    settings = Settings(database_url="sqlite://", fixture="minimal", wsdl_public_url=public)
    assert address(settings, "localhost") == public


def test_trusted_hosts_come_from_the_environment() -> None:
    settings = Settings.from_env(environ={"MOCKCP_TRUSTED_HOSTS": "a.example, b.example"})
    assert settings.trusted_hosts == "a.example, b.example"
