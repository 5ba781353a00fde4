"""A request at each bound against a plain one, and another tenant's latency alone and while
one tenant sits at the bounds (issue 17). A clock move plans the world it moves into
(mockcp.sim.store.ahead), so the read after the largest step is timed after a control-plane
move, and the move itself is timed against a 15-minute move. Wall-clock ratios measured in
this run; the unit tests count the same work deterministically (tests/soap/test_bound_work.py,
tests/soap/test_clock_moves.py).

    .venv/bin/python bench/bench_bounds.py

On a SQLite file (WAL) in a temporary directory and on PostgreSQL when
``MOCKCP_TEST_POSTGRES_URL`` is set (its tables are dropped first), with the minimal world and
in-process clients (each thread's call runs the whole WSGI stack, journal included).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree
from werkzeug.test import Client

from mockcp.clock import MAX_STEP, ManualClock
from mockcp.config import Settings
from mockcp.db.engine import drop_schema, make_engine
from mockcp.domain.load.limits import EVENT_HORIZON, MAX_EVENT_MINUTES
from mockcp.soap import guard
from mockcp.testing import MockChargePoint

START = datetime(2024, 3, 12, 17, tzinfo=UTC)
SOAP = "/webservices/chargepoint/services/5.1"
TNS = "urn:dictionary:com.chargepoint.webservices"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"


def timed(call: Callable[[], Any]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def median(call: Callable[[], Any], repeat: int = 7) -> float:
    return statistics.median(timed(call) for _ in range(repeat))


def world(url: str) -> tuple[MockChargePoint, ManualClock]:
    if url.startswith("postgresql"):
        engine = make_engine(url)
        drop_schema(engine)
        engine.dispose()
    elif url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    clock = ManualClock(START)
    return MockChargePoint(Settings(database_url=url, fixture="minimal"), clock), clock


def event(client: Any, starts: datetime) -> Any:
    return client.service.createLoadShedEvent(shedEvent={
        "stationID": "1:10002", "eventStartTime": starts, "eventDuration": MAX_EVENT_MINUTES,
        "allowedLoadPerPort": 1.0})


def widest(key: str, password: str) -> bytes:
    """A getStations at the element bound (unknown children of searchQuery are ignored)."""
    def envelope(count: int) -> bytes:
        return (
            f'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:urn="{TNS}"><soapenv:Header><wsse:Security xmlns:wsse="{WSSE}">'
            f"<wsse:UsernameToken><wsse:Username>{key}</wsse:Username>"
            f"<wsse:Password>{password}</wsse:Password></wsse:UsernameToken></wsse:Security>"
            f"</soapenv:Header><soapenv:Body><urn:getStations><searchQuery>{'<x/>' * count}"
            "</searchQuery></urn:getStations></soapenv:Body></soapenv:Envelope>"
        ).encode()
    base = guard.shape_of(etree.fromstring(envelope(0))).elements
    return envelope(guard.MAX_ELEMENTS - base)


def once(url: str) -> tuple[float, float, float, float]:
    """On a fresh world: an event at the horizon, a clock move of 15 minutes and a read after
    it, then the clock's largest step through the control plane (which plans the year) and
    the read after it."""
    mock, clock = world(url)
    with mock:
        client = mock.client(mock.tenants()[0])
        client.service.getStations(searchQuery={})
        horizon = timed(lambda: event(client, clock.now() + EVENT_HORIZON))
        small = timed(lambda: mock.clock.advance("PT15M"))
        client.service.getStations(searchQuery={})
        move = timed(lambda: mock.clock.advance(f"P{MAX_STEP.days}D"))
        return horizon, timed(lambda: client.service.getStations(searchQuery={})), small, move


def bounds(url: str) -> dict[str, tuple[float, float]]:
    """(plain, at the bound) seconds for each bound: medians, or one fresh world per sample
    where the bound's work happens once."""
    found: dict[str, tuple[float, float]] = {}
    samples = [once(url) for _ in range(3)]
    horizon, year = [s[0] for s in samples], [s[1] for s in samples]
    mock, clock = world(url)
    with mock:
        tenant = mock.tenants()[0]
        client = mock.client(tenant)
        read = median(lambda: client.service.getStations(searchQuery={}))
        found["read after the clock's largest step (366 days)"] = (read, statistics.median(year))
        found["the clock move itself (15 minutes vs 366 days, planning the year)"] = (
            statistics.median(s[2] for s in samples), statistics.median(s[3] for s in samples))
        plain_event = median(lambda: event(client, clock.now() + timedelta(hours=1)))
        found["createLoadShedEvent at the 7-day horizon"] = (
            plain_event, statistics.median(horizon))
        http = Client(mock.wsgi)
        wide = widest(tenant.license_key, tenant.password)
        plain = widest(tenant.license_key, tenant.password).replace(b"<x/>", b"")
        found["getStations at 5,000 elements"] = (
            median(lambda: http.post(SOAP, data=plain, content_type="text/xml")),
            median(lambda: http.post(SOAP, data=wide, content_type="text/xml")))
        clock.advance(timedelta(days=60))
        client.service.getStations(searchQuery={})
        since = clock.now() - timedelta(days=59)
        found["getChargingSessionData, a page of 100"] = (
            median(lambda: client.service.getChargingSessionData(searchQuery={
                "stationID": "1:10002", "fromTimeStamp": clock.now() - timedelta(days=1)})),
            median(lambda: client.service.getChargingSessionData(
                searchQuery={"fromTimeStamp": since})))
    return found


def other_tenant(url: str) -> tuple[list[float], list[float]]:
    """The other tenant's getStations latencies alone, then while one tenant loops over the
    bounds (an event at the horizon, writes, the widest request, the largest page)."""
    mock, clock = world(url)
    with mock:
        sunrise, harbor = (mock.client(t) for t in mock.tenants())
        tenant = mock.tenants()[0]
        http = Client(mock.wsgi)
        wide = widest(tenant.license_key, tenant.password)
        harbor.service.getStations(searchQuery={})
        alone = [timed(lambda: harbor.service.getStations(searchQuery={})) for _ in range(30)]
        stop = threading.Event()

        def at_the_bounds() -> None:
            while not stop.is_set():
                event(sunrise, clock.now() + EVENT_HORIZON)
                sunrise.service.shedLoad(shedQuery={"shedStation": {
                    "stationID": "1:10002", "percentShedPerStation": 30}, "timeInterval": 0})
                http.post(SOAP, data=wide, content_type="text/xml")
                sunrise.service.getChargingSessionData(
                    searchQuery={"fromTimeStamp": clock.now() - timedelta(days=6)})
                sunrise.service.clearShedState(shedQuery={"shedStation": {"stationID": "1:10002"}})

        thread = threading.Thread(target=at_the_bounds)
        thread.start()
        try:
            during = [timed(lambda: harbor.service.getStations(searchQuery={}))
                      for _ in range(30)]
        finally:
            stop.set()
            thread.join()
    return alone, during


def p90(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.9) - 1]


def main() -> None:
    stores = {"SQLite file": f"sqlite:///{tempfile.mkdtemp()}/bounds.sqlite3"}
    if os.environ.get("MOCKCP_TEST_POSTGRES_URL"):
        stores["PostgreSQL"] = os.environ["MOCKCP_TEST_POSTGRES_URL"]
    for name, url in stores.items():
        print(f"## {name}")
        for bound, (plain, far) in bounds(url).items():
            print(f"{bound}: plain {plain * 1000:.0f} ms, at the bound {far * 1000:.0f} ms,"
                  f" ratio {far / plain:.1f}")
        alone, during = other_tenant(url)
        print(f"other tenant's getStations: alone median {statistics.median(alone) * 1000:.0f}"
              f" ms p90 {p90(alone) * 1000:.0f} ms; during median"
              f" {statistics.median(during) * 1000:.0f} ms p90 {p90(during) * 1000:.0f} ms;"
              f" median ratio {statistics.median(during) / statistics.median(alone):.1f}")


if __name__ == "__main__":
    main()
