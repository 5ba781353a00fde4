"""World benchmarks: reset, snapshot, restore against a world build in the same run.

    .venv/bin/python bench/bench_worlds.py

On a SQLite file (WAL, synchronous=FULL) in a temporary directory, and on PostgreSQL when
``MOCKCP_TEST_POSTGRES_URL`` is set: for the minimal and the demo world, the median of
``create_app`` on an empty store (the build), then of ``POST /_mock/reset``, of saving a
snapshot, of restoring one and of creating a sandbox, each through the control plane; and a
reset after a day of simulated activity has been read (so it has sessions to throw away);
and a reset followed by the first status read (the world is planned once, at the build: the
start image holds the planned history).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData
from werkzeug.test import Client

from mockcp.app import create_app
from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.db.engine import make_engine
from mockcp.testing import MockChargePoint

START = datetime(2024, 3, 12, 17, tzinfo=UTC)


def median(fn: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def wipe(url: str) -> None:
    engine = make_engine(url)
    found = MetaData()
    with warnings.catch_warnings():  # an expression index is not reflected: not needed here
        warnings.simplefilter("ignore")
        found.reflect(engine)
    found.drop_all(engine)
    engine.dispose()


def measure(url: str, fixture: str) -> dict[str, float]:
    settings = Settings(database_url=url, fixture=fixture, clock_mode="frozen", clock_start=START)

    def build() -> None:
        wipe(url)
        create_app(settings).engine.dispose()

    figures = {"build": median(build, 3)}
    mock = MockChargePoint(settings).__enter__()
    app = mock.wsgi
    admin = Client(app)
    soap = mock.client()

    def busy_reset() -> float:
        """Only the reset is timed: the history planned first is what it throws away."""
        admin.post("/_mock/clock", json={"advance": "P1D"})
        soap.service.getChargingSessionData(searchQuery={})  # the week's history, planned
        began = time.perf_counter()
        assert admin.post("/_mock/reset").status_code == 200
        return time.perf_counter() - began

    counter = iter(range(1000))

    def snapshot() -> None:
        assert admin.post("/_mock/snapshots", json={"name": f"s{next(counter)}"}).status_code == 201

    station = soap.service.getStations(searchQuery={}).stationData[0].stationID

    def reset_first_read() -> None:
        """A reset and the first status read after it (which planned the whole history
        again before the start image was planned)."""
        assert admin.post("/_mock/reset").status_code == 200
        soap.service.getStationStatus(searchQuery={"stationID": station})

    figures["reset + first read"] = median(reset_first_read)
    figures["reset"] = median(lambda: admin.post("/_mock/reset"))
    figures["snapshot"] = median(snapshot)
    figures["restore"] = median(lambda: admin.post("/_mock/snapshots/s0/restore"))
    figures["reset after reads"] = statistics.median(busy_reset() for _ in range(3))
    made = []

    def sandbox() -> None:
        reply = admin.post("/_mock/sandboxes", json={"fixture": fixture})
        assert reply.status_code == 201
        made.append(json.loads(reply.get_data())["id"])

    figures["sandbox"] = median(sandbox, 3)
    for sandbox_id in made:
        admin.delete(f"/_mock/sandboxes/{sandbox_id}")
    mock.__exit__(None, None, None)
    return figures


def round_trips(url: str) -> None:
    """A getLoad round trip in process on one store: the clock in the store (every process
    agrees) against a clock of this process (what a single process could do instead)."""
    settings = Settings(database_url=url, fixture="minimal", clock_mode="frozen", clock_start=START)
    timings = {}
    for name, clock in (("stored clock", None), ("process clock", ManualClock(START))):
        wipe(url)
        with MockChargePoint(settings, clock) as mock:
            service = mock.client().service
            service.getLoad(searchQuery={"stationID": "1:10002"})
            def twenty(s: Any = service) -> object:
                return [s.getLoad(searchQuery={"stationID": "1:10002"}) for _ in range(20)]

            timings[name] = median(twenty) / 20
    ratio = timings["stored clock"] / timings["process clock"]
    print(
        f"  getLoad round trip: stored clock {timings['stored clock'] * 1000:.2f} ms, "
        f"process clock {timings['process clock'] * 1000:.2f} ms ({ratio:.2f}x)"
    )


def main() -> None:
    stores = {}
    with tempfile.TemporaryDirectory() as directory:
        stores["SQLite file"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        if os.environ.get("MOCKCP_TEST_POSTGRES_URL"):
            stores["PostgreSQL"] = os.environ["MOCKCP_TEST_POSTGRES_URL"]
        for store, url in stores.items():
            for fixture in ("minimal", "demo"):
                if store == "SQLite file":
                    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
                figures = measure(url, fixture)
                build = figures.pop("build")
                print(f"{store}, {fixture}: build {build * 1000:.0f} ms")
                for name, seconds in figures.items():
                    print(f"  {name:18} {seconds * 1000:7.1f} ms  = build / {build / seconds:.1f}")
            round_trips(url)


if __name__ == "__main__":
    main()
