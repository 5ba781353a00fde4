"""The production server (waitress, ``mockcp.server``): every forced transport fault as a real
HTTP client sees it (zeep and requests), and dribbling clients that do not starve the others."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import zeep
from lxml import etree
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from mockcp.app import SOAP_PATH
from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.control import ControlPlane
from mockcp.server import ServerLimits, running
from mockcp.testing import MockChargePoint
from tests.conftest import START

pytestmark = pytest.mark.server
GET_CPN = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:ns="urn:dictionary:com.chargepoint.webservices"><soapenv:Header>'
    '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
    'oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken>'
    "<wsse:Username>{key}</wsse:Username><wsse:Password>{password}</wsse:Password>"
    "</wsse:UsernameToken></wsse:Security></soapenv:Header>"
    "<soapenv:Body><ns:getCPNInstances/></soapenv:Body></soapenv:Envelope>"
)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[MockChargePoint, str]]:
    settings = Settings(database_url="sqlite://", fixture="minimal")
    with MockChargePoint(settings, ManualClock(START)) as mock, mock.serve() as url:
        yield mock, url


@pytest.fixture
def control(served: tuple[MockChargePoint, str]) -> Iterator[ControlPlane]:
    control = ControlPlane.at(served[1])
    control.faults.clear()
    control.journal.clear()
    yield control
    control.faults.clear()


def soap_client(served: tuple[MockChargePoint, str], timeout: float = 10) -> zeep.Client:
    mock, url = served
    tenant = mock.tenants()[0]
    transport = Transport(timeout=timeout, operation_timeout=timeout)
    return zeep.Client(
        f"{url}/cp_api_5.1.wsdl", wsse=UsernameToken(tenant.license_key, tenant.password),
        transport=transport,
    )


def raw_post(served: tuple[MockChargePoint, str], timeout: float = 10) -> requests.Response:
    mock, url = served
    tenant = mock.tenants()[0]
    body = GET_CPN.format(key=tenant.license_key, password=tenant.password)
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    return requests.post(url + SOAP_PATH, data=body, headers=headers, timeout=timeout)


def last_entry(control: ControlPlane) -> Any:
    return control.journal.entries()[-1]


def test_a_plain_call_works_over_waitress(served: Any, control: ControlPlane) -> None:
    assert soap_client(served).service.getCPNInstances()[0].cpnID == "1"
    reply = raw_post(served)
    assert reply.status_code == 200 and reply.headers["Server"] == "mockcp"
    assert [e["operation"] for e in control.journal.entries()] == ["getCPNInstances"] * 2


def test_drop_closes_the_connection_with_no_response(served: Any, control: ControlPlane) -> None:
    control.faults.force("getCPNInstances", fault="drop", count=2)
    with pytest.raises(requests.ConnectionError) as error:
        raw_post(served)
    cause = error.value.args[0].args[1]  # urllib3's ProtocolError('Connection aborted.', cause)
    assert (type(cause).__name__, str(cause)) == (
        "RemoteDisconnected", "Remote end closed connection without response",
    )
    with pytest.raises(requests.ConnectionError):
        soap_client(served).service.getCPNInstances()
    assert [e["fault"] for e in control.journal.entries()] == ["drop", "drop"]
    assert soap_client(served).service.getCPNInstances()[0].cpnID == "1"  # spent


def test_reset_sends_a_tcp_reset(served: Any, control: ControlPlane) -> None:
    control.faults.force("getCPNInstances", fault="reset")
    with pytest.raises(requests.ConnectionError) as error:
        raw_post(served)
    cause = error.value.args[0].args[1]
    assert isinstance(cause, ConnectionResetError)
    assert last_entry(control)["fault"] == "reset"


def test_http503_is_an_html_page_as_a_load_balancer_sends(
    served: Any, control: ControlPlane
) -> None:
    control.faults.force("getCPNInstances", fault="http503", count=2)
    reply = raw_post(served)
    assert (reply.status_code, reply.headers["Content-Type"]) == (503, "text/html")
    assert reply.text.startswith("<html><head><title>503 Service Unavailable</title>")
    # zeep parses the (well-formed) page, finds no soap Fault in it and says so
    with pytest.raises(zeep.exceptions.Fault) as error:
        soap_client(served).service.getCPNInstances()
    assert (error.value.code, error.value.message) == (None, "Unknown fault occured")
    assert b"<h1>503 Service Unavailable</h1>" in error.value.detail
    assert [(e["httpStatus"], e["fault"]) for e in control.journal.entries()] == [
        (503, "http503"), (503, "http503"),
    ]


@pytest.mark.parametrize("kind", ["truncated", "malformed"])
def test_damaged_xml_reaches_the_client_as_a_parse_error(
    served: Any, control: ControlPlane, kind: str
) -> None:
    control.faults.force("getCPNInstances", fault=kind, count=2)
    reply = raw_post(served)
    assert reply.status_code == 200
    assert int(reply.headers["Content-Length"]) == len(reply.content)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(reply.content)
    with pytest.raises(zeep.exceptions.TransportError) as error:
        soap_client(served).service.getCPNInstances()
    assert error.value.status_code == 200
    assert "with invalid XML" in error.value.message
    assert [e["fault"] for e in control.journal.entries()] == [kind, kind]


def test_latency_delays_the_real_answer(served: Any, control: ControlPlane) -> None:
    control.faults.force("getCPNInstances", fault="latency", latencyMs=300)
    reply = raw_post(served)
    assert reply.status_code == 200 and b"<cpnID>1</cpnID>" in reply.content
    entry = last_entry(control)
    assert (entry["fault"], entry["responseCode"]) == ("latency", "100")
    assert entry["durationMs"] >= 300  # a sleep lasts at least its length
    assert reply.elapsed.total_seconds() >= 0.3


def test_hang_lasts_until_the_client_gives_up(served: Any, control: ControlPlane) -> None:
    control.faults.force("getCPNInstances", fault="hang", hangMs=20_000, count=2)
    with pytest.raises(requests.ReadTimeout):
        raw_post(served, timeout=0.5)
    with pytest.raises(requests.ReadTimeout):
        soap_client(served, timeout=0.5).service.getCPNInstances()
    assert soap_client(served).service.getCPNInstances()[0].cpnID == "1"
    # each hang ends (and is journaled) once the server sees its client gone, well before 20 s
    deadline = 100
    while len(control.journal.calls(fault="hang")) < 2 and deadline:
        time.sleep(0.1)
        deadline -= 1
    hung = control.journal.calls(fault="hang")
    assert [e["operation"] for e in hung] == ["getCPNInstances"] * 2
    # (the server's clock starts when it has read the request, a little after the client's
    # 0.5 s wait began: a hang noticed at once may last a few ms less than 500 on the server)
    assert all(400 <= e["durationMs"] < 20_000 for e in hung), [e["durationMs"] for e in hung]


def test_dribbling_clients_do_not_starve_the_others() -> None:
    """Twelve connections sending a request a byte at a time hold no worker of a pool of two:
    every plain call is answered while all of them are still open and unanswered."""
    settings = Settings(database_url="sqlite://", fixture="minimal")
    limits = ServerLimits(threads=2, channel_timeout=60)
    with (
        MockChargePoint(settings, ManualClock(START)) as mock,
        running(mock.wsgi, limits=limits) as url,
    ):
        port = int(url.rsplit(":", 1)[1])
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(12)]
        try:
            for sock in slow:
                sock.sendall(b"POST " + SOAP_PATH.encode() + b" HTTP/1.1\r\nHost: x\r\n")
            answers = [raw_post((mock, url), timeout=20).status_code for _ in range(10)]
            assert answers == [200] * 10
            for sock in slow:  # still waiting for the rest of their request
                sock.setblocking(False)
                with pytest.raises(BlockingIOError):
                    sock.recv(1)
        finally:
            for sock in slow:
                sock.close()


@pytest.mark.parametrize("kind", ["drop", "reset"])
def test_werkzeug_development_server_also_closes_the_connection(kind: str) -> None:
    """``mockcp serve --reload`` runs werkzeug's server: the same faults still close the socket."""
    import logging
    import threading

    from werkzeug.serving import make_server

    settings = Settings(database_url="sqlite://", fixture="minimal")
    with MockChargePoint(settings, ManualClock(START)) as mock:
        server = make_server("127.0.0.1", 0, mock.wsgi, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        logging.getLogger("werkzeug").disabled = True  # it logs the abort it could not handle
        try:
            url = f"http://127.0.0.1:{server.server_port}"
            ControlPlane.at(url).faults.force("getCPNInstances", fault=kind)
            with pytest.raises(requests.ConnectionError) as error:
                raw_post((mock, url))
            cause = error.value.args[0].args[1]  # a reset may arrive as a plain close here
            assert isinstance(cause, ConnectionError), repr(cause)
        finally:
            logging.getLogger("werkzeug").disabled = False
            server.shutdown()
            thread.join(timeout=5)
