"""Foundation benchmarks: ratios against baselines measured in the same run.

    .venv/bin/python bench/bench_foundation.py

1. Response serialisation of a 500-station getStations page: mockcp's precompiled lxml
   builder (soap/wire.py) against spyne's stock XML serialiser, on the same objects.
2. A getCPNInstances round trip through the whole stack (auth, parse, dispatch, DB, render),
   against a bare WSGI app answering the same bytes through the same werkzeug test client.
3. Start-up and reset of the minimal and demo worlds (absolute, seconds; informative).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from lxml import etree
from spyne.util.xml import get_object_as_xml
from werkzeug.test import Client
from werkzeug.wrappers import Response

from mockcp.app import SOAP_PATH, MockChargePointApp, create_app
from mockcp.config import Settings
from mockcp.soap.types.common import geoData
from mockcp.soap.types.station_rows import portData, stationDataExtended
from mockcp.soap.types.stations import getStationsResponse
from mockcp.soap.wire import build_children


def best_of(fn: Callable[[], object], repeat: int = 7, number: int = 1) -> float:
    """The median of ``repeat`` timings of ``number`` calls, in seconds per call."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def station_page(rows: int) -> getStationsResponse:
    now = datetime(2024, 3, 12, 17, tzinfo=UTC)
    stations = []
    for n in range(rows):
        ports = [
            portData(
                portNumber=str(p),
                Geo=geoData(Lat="40.018920", Long="-105.276860"),
                Reservable=0,
                Status="AVAILABLE",
                Level="L2",
                timeStamp=now,
                Connector="J1772",
                Voltage="240",
                Current="30",
                Power="7.2",
                estimatedCost=0.0,
            )
            for p in (1, 2)
        ]
        stations.append(
            stationDataExtended(
                recordNumber=n + 1,
                stationID=f"1:{10000 + n}",
                stationManufacturer="ChargePoint",
                stationModel="CT4020-HD-GW",
                stationMacAddr="000D:6F00:0154:F101",
                stationSerialNum="115110013401",
                stationName=f"SUNRISE / GARAGE -{n:03d}",
                Description="-",
                Address="1500 Pearl St",
                City="Boulder",
                State="Colorado",
                Country="United States",
                postalCode="80302",
                Port=ports,
                numPorts=2,
                timezoneOffset="-07:00",
                currencyCode="USD",
                orgID="1:ORG00001",
                organizationName="Sunrise Energy Co-op",
                sgID="1001, 1002",
                sgName="A, B",
                networkStatus="Reachable",
            )
        )
    return getStationsResponse(
        responseCode="100", responseText="ok", stationData=stations, moreFlag=0
    )


def bench_serialiser() -> tuple[float, float]:
    page = station_page(500)

    def ours() -> None:
        wrapper = etree.Element("{urn:dictionary:com.chargepoint.webservices}getStationsResponse")
        build_children(wrapper, getStationsResponse, page)
        etree.tostring(wrapper)

    def stock() -> None:
        etree.tostring(get_object_as_xml(page, getStationsResponse))

    return best_of(ours, 5), best_of(stock, 5)


def cpn_envelope(app: MockChargePointApp) -> bytes:
    """A getCPNInstances request signed with the first tenant's credentials."""
    from mockcp.domain.tenants import list_tenants

    with app.sessions() as db:
        tenant = list_tenants(db)[0]
    return (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:urn="urn:dictionary:com.chargepoint.webservices"><soapenv:Header>'
        '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-'
        'secext-1.0.xsd"><wsse:UsernameToken>'
        f"<wsse:Username>{tenant.license_key}</wsse:Username><wsse:Password>{tenant.password}"
        "</wsse:Password></wsse:UsernameToken></wsse:Security></soapenv:Header>"
        "<soapenv:Body><urn:getCPNInstances/></soapenv:Body></soapenv:Envelope>"
    ).encode()


def bench_round_trip() -> tuple[float, float]:
    app = create_app(Settings(database_url="sqlite://", fixture="minimal", clock_mode="frozen"))
    body = cpn_envelope(app)
    client = Client(app)
    reply = client.post(SOAP_PATH, data=body).get_data()
    bare = Client(Response(reply, mimetype="text/xml"))
    mock_time = best_of(lambda: client.post(SOAP_PATH, data=body), 7, 50)
    bare_time = best_of(lambda: bare.post(SOAP_PATH, data=body), 7, 50)
    return mock_time, bare_time


def bench_startup() -> dict[str, float]:
    results = {}
    for fixture in ("minimal", "demo"):
        start = time.perf_counter()
        app = create_app(Settings(database_url="sqlite://", fixture=fixture, clock_mode="frozen"))
        results[f"create_app({fixture})"] = time.perf_counter() - start
        results[f"reset({fixture})"] = best_of(app.reset, 5)
    return results


def main() -> None:
    ours, stock = bench_serialiser()
    print(
        f"serialise 500 stations: mockcp {ours * 1000:.1f} ms, spyne stock {stock * 1000:.1f} ms, "
        f"ratio stock/mockcp {stock / ours:.1f}x"
    )
    mock_time, bare_time = bench_round_trip()
    print(
        f"getCPNInstances round trip: mockcp {mock_time * 1000:.2f} ms, "
        f"bare WSGI {bare_time * 1000:.2f} ms, ratio mockcp/bare {mock_time / bare_time:.1f}x"
    )
    for name, seconds in bench_startup().items():
        print(f"{name}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
