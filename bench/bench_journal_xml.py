"""What keeping each call's request and response XML in the journal costs per SOAP call.

    .venv/bin/python bench/bench_journal_xml.py

Two servers on the same world, one with the journal's XML (the default since issue 15) and
one with ``journal_xml=False``, sent the same request in the same run, alternately (so the
machine's load hits both alike): a small answer (getCPNInstances) and a larger one
(getStations of the minimal world), on in-memory SQLite and on a SQLite file. Prints the
medians and the ratio on/off.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from werkzeug.test import Client

from mockcp.app import SOAP_PATH, MockChargePointApp, create_app
from mockcp.config import Settings
from mockcp.domain.tenants import list_tenants

BODIES = {
    "getCPNInstances": "<ns:getCPNInstances/>",
    "getStations": "<ns:getStations><searchQuery/></ns:getStations>",
}


def envelope(app: MockChargePointApp, inner: str) -> bytes:
    with app.sessions() as db:
        tenant = list_tenants(db)[0]
    return (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:ns="urn:dictionary:com.chargepoint.webservices"><soapenv:Header>'
        '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
        'oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken>'
        f"<wsse:Username>{tenant.license_key}</wsse:Username>"
        f"<wsse:Password>{tenant.password}</wsse:Password>"
        "</wsse:UsernameToken></wsse:Security></soapenv:Header>"
        f"<soapenv:Body>{inner}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def per_call(client: Client, body: bytes, number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        client.post(SOAP_PATH, data=body)
    return (time.perf_counter() - start) / number


def compare(
    store: str, urls: tuple[str, str], operation: str, repeat: int = 7, number: int = 30
) -> None:
    apps = [
        create_app(Settings(database_url=url, fixture="minimal", clock_mode="frozen",
                            journal_xml=xml))
        for url, xml in zip(urls, (True, False), strict=True)
    ]
    body = envelope(apps[0], BODIES[operation])
    clients = [Client(app) for app in apps]
    answer = clients[0].post(SOAP_PATH, data=body).get_data()
    assert b"Fault" not in answer and b"Response>" in answer, answer[:300]
    on, off = [], []
    for _ in range(repeat):  # alternately: the machine's load falls on both alike
        on.append(per_call(clients[0], body, number))
        off.append(per_call(clients[1], body, number))
    a, b = statistics.median(on), statistics.median(off)
    print(f"| {operation} ({len(answer):,} B answer) | {store} | "
          f"{a * 1000:.2f} ms | {b * 1000:.2f} ms | {a / b:.2f}x |")
    for app in apps:
        app.engine.dispose()


def main() -> None:
    print("| call | store | XML on | XML off (same run) | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for operation in BODIES:
        compare("in-memory SQLite", ("sqlite://", "sqlite://"), operation)
    with tempfile.TemporaryDirectory() as folder:
        files = (
            f"sqlite:///{Path(folder) / 'on.sqlite3'}",
            f"sqlite:///{Path(folder) / 'off.sqlite3'}",
        )
        for operation in BODIES:
            compare("SQLite file", files, operation)


if __name__ == "__main__":
    main()
