"""Cost grows with the answer, not the world (issue 18): a 60- and a 6,000-station world.

    .venv/bin/python bench/bench_realm.py            # 60 vs 6,000 stations, 3 interleaved repeats
    .venv/bin/python bench/bench_realm.py --quick    # CI: 60 vs 300 stations, one repeat

Both worlds are built by the demo builder from the same organisation spec (one site of 12
stations and 3 home stations: 15 stations each) and differ only in the number of
organisations (4 or 400). The caller is organisation 1 in both: it owns the same 15
stations and holds the rights the last organisation granted it on its site (12 stations), so
every answer has the same size in both worlds (27 stations). Each operation is timed in
process, alternating call by call between the two worlds (the machine's noise falls on both
alike); the ratio large / small is what the issue targets (1.5x), printed as the ratio of the
medians and as the median of each adjacent pair's ratio (steadier on a loaded machine). The
build and the first read of each world are timed too. Nothing is asserted: the figures are
printed (CI runs the quick version).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anchors import ENVELOPE  # noqa: E402  (bench/ is not a package on the path)

SOAP = "/webservices/chargepoint/services/5.1"
START = "2024-03-12T17:00:00Z"
ORG = "{cpn: 1, locale: en_US, metros: [Boulder, Denver]}"
OPS = {
    "getStationStatus": "<urn:getStationStatus><searchQuery/></urn:getStationStatus>",
    "getStations": "<urn:getStations><searchQuery/></urn:getStations>",
    "getTransactionData": "<urn:getTransactionData><searchQuery/></urn:getTransactionData>",
    "getLoad": "<urn:getLoad><searchQuery><sgID>1000</sgID></searchQuery></urn:getLoad>",
    "getCustomGroupStations": "<urn:getCustomGroupStations><searchQuery><sgName>{group}</sgName>"
    "</searchQuery></urn:getCustomGroupStations>",
    "getStationRights": "<urn:getStationRights><searchQuery/></urn:getStationRights>",
    "getStationGroups": "<urn:getStationGroups><orgID>{org}</orgID>"
    "</urn:getStationGroups>",
    "getOrgsAndStationGroups": "<urn:getOrgsAndStationGroups><searchQuery/>"
    "</urn:getOrgsAndStationGroups>",
    "getChargingSessionData": "<urn:getChargingSessionData><searchQuery><fromTimeStamp>"
    "2024-03-01T00:00:00Z</fromTimeStamp></searchQuery></urn:getChargingSessionData>",
    "getAlarms": "<urn:getAlarms><searchQuery/></urn:getAlarms>",
}


def fixture(directory: Path, organisations: int) -> Path:
    """A builder fixture of ``organisations`` alike organisations of 15 stations."""
    path = directory / f"realm{organisations}.yaml"
    lines = [
        "builder: demo",
        "root_seed: 20161107",
        "history_days: 1",
        "stations_per_site: 12",
        "sites_per_org: 1",
        "drivers_per_org: 2",
        "vehicles_per_fleet: 1",
        "organizations:",
        *(f"  - {ORG}" for _ in range(organisations)),
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


class World:
    """One world in process: the app, a werkzeug client and the caller's request bodies."""

    def __init__(self, path: Path, store: Path) -> None:
        from werkzeug.test import Client

        from mockcp.app import create_app
        from mockcp.config import Settings, parse_start
        from mockcp.domain.tenants import list_tenants

        start = time.perf_counter()
        self.app = create_app(
            Settings(
                database_url=f"sqlite:///{store}",
                fixture=str(path),
                clock_mode="frozen",
                clock_start=parse_start(START),
            )
        )
        self.built = time.perf_counter() - start
        with self.app.sessions() as db:
            tenant = min(list_tenants(db), key=lambda t: t.org_id)
        self.client = Client(self.app)
        named = {"org": tenant.org_id, "group": escape(f"{tenant.organization_name} - All Sites")}
        self.bodies = {
            op: ENVELOPE.format(
                key=tenant.license_key, password=tenant.password, body=xml.format(**named)
            ).encode()
            for op, xml in OPS.items()
        }
        start = time.perf_counter()
        self.first = self.call("getStationStatus")
        self.first_read = time.perf_counter() - start

    def call(self, op: str) -> bytes:
        reply = self.client.post(SOAP, data=self.bodies[op])
        data: bytes = reply.get_data()
        if reply.status_code != 200 or b"<responseCode>100</responseCode>" not in data:
            raise SystemExit(f"{op} did not answer 100: {data[:600]!r}")
        return data


def timed(world: World, op: str) -> float:
    start = time.perf_counter()
    world.call(op)
    return 1000 * (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="60 vs 300 stations, one repeat")
    args = parser.parse_args()
    large, repeats, samples = (20, 1, 3) if args.quick else (400, 3, 9)
    results: dict[str, list[float]] = {}
    pairs: dict[str, list[float]] = {}  # op -> large / small of each adjacent pair of calls
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        small = World(fixture(directory, 4), directory / "small.sqlite3")
        big = World(fixture(directory, large), directory / "large.sqlite3")
        sizes = (4 * 15, large * 15)
        for label, world in (("small", small), ("large", big)):
            print(f"{label} world ({sizes[label == 'large']} stations): built "
                  f"{world.built:.2f} s, first read {world.first_read:.2f} s")  # fmt: skip
        for op in OPS:
            answer_a, answer_b = small.call(op), big.call(op)
            print(f"{op}: {answer_a.count(b'<stationID>')} / {answer_b.count(b'<stationID>')} "
                  f"station IDs, {len(answer_a):,} / {len(answer_b):,} bytes")  # fmt: skip
        for _ in range(repeats):
            for op in OPS:
                ms_small: list[float] = []
                ms_large: list[float] = []
                for _ in range(samples):
                    ms_small.append(timed(small, op))
                    ms_large.append(timed(big, op))
                    pairs.setdefault(op, []).append(ms_large[-1] / ms_small[-1])
                results.setdefault(f"{op} {sizes[0]} stations (ms)", []).append(
                    statistics.median(ms_small)
                )
                results.setdefault(f"{op} {sizes[1]} stations (ms)", []).append(
                    statistics.median(ms_large)
                )
    print(f"load average at end: {os.getloadavg()}")
    for name, values in results.items():
        shown = ", ".join(f"{v:.3g}" for v in values)
        print(f"{name:<48} {statistics.median(values):8.2f}  ({shown})")
    for op in OPS:
        a = statistics.median(results[f"{op} {sizes[0]} stations (ms)"])
        b = statistics.median(results[f"{op} {sizes[1]} stations (ms)"])
        paired = statistics.median(pairs[op])
        print(f"{op}: {sizes[1]:,} / {sizes[0]} stations = {b / a:.2f}x (target 1.5x); "
              f"median of paired calls {paired:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
