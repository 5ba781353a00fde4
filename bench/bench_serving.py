"""One process, 1 client against 16 (issue 18): where a served request's CPU goes as clients
are added.

    .venv/bin/python bench/bench_serving.py [--world minimal] [--repeats 5] [--seconds 2]
        [--variant NAME=THREADS/RUNNING ...] [--db URL] [--baseline DIR [--baseline-db URL]]

Each variant is a server on mockcp's stack (``mockcp.server``) in a child process
(``serving_child.py``) with that many waitress threads, of which ``ServerLimits.running`` run
at once unless stuck (the product's pool, ``SteadyDispatcher``; 0: no limit, waitress's own
hand-out); ``canned`` replays the answers mockcp gave, on the product's defaults (the
ceiling), and ``canned+row`` does too but first commits one SQLite row per call (the ceiling
that keeps the journal's contract: every call on record before its answer). Two reads:
getCPNInstances (world-constant) and getStationStatus of one station (a small answer that
depends on the clock). ``--baseline DIR`` serves another checkout's mockcp beside (variant
``base``, the product's pool; ``--baseline-db`` its own database when ``--db`` is shared), so
a change is measured against its parent in the same run. For each, at 1 and 16 keep-alive
clients in a process of their own: requests per second, the server's CPU per request, the
share of waitress's main loop, and voluntary/involuntary context switches per request, all
from /proc/<pid>/task.
Repeats are interleaved, so the machine's load falls on every variant alike: compare ratios
within one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from anchors import ENVELOPE, Server, free_port, load

from mockcp.server import ServerLimits

BENCH = Path(__file__).resolve().parent
SOAP = "/webservices/chargepoint/services/5.1"
TICK = os.sysconf("SC_CLK_TCK")
STATUS = "<urn:getStationStatus>{query}</urn:getStationStatus>"
Row = tuple[float, float, float, float, float]  # req/s, CPU ms, loop ms, vcs, ivcs per request


@dataclass(frozen=True)
class Counts:
    cpu: float  # seconds, every thread
    main: float  # seconds, waitress's main loop (the process's first thread)
    voluntary: int
    involuntary: int


def counts(pid: int) -> Counts:
    """CPU and context switches of every thread of ``pid`` (threads that ended are lost)."""
    cpu = main = 0.0
    voluntary = involuntary = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = Path(f"/proc/{pid}/task/{task}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/task/{task}/status").read_text()
        except OSError:  # a thread that ended meanwhile
            continue
        used = (int(stat[11]) + int(stat[12])) / TICK
        cpu += used
        main += used if task == str(pid) else 0.0
        voluntary += int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M)[1])  # type: ignore[index]
        involuntary += int(re.search(r"nonvoluntary_ctxt_switches:\s+(\d+)", status)[1])  # type: ignore[index]
    return Counts(cpu, main, voluntary, involuntary)


@dataclass
class Variant:
    name: str
    server: Server
    bodies: dict[str, bytes]
    rows: dict[tuple[str, int], list[Row]] = field(default_factory=dict)

    def measure(self, op: str, clients: int, seconds: float) -> None:
        before = counts(self.server.proc.pid)
        rps, cpu_ms = load(self.server, SOAP, self.bodies[op], clients, seconds)
        after = counts(self.server.proc.pid)
        n = max(rps * seconds, 1)
        self.rows.setdefault((op, clients), []).append((
            rps,
            cpu_ms,
            1000 * (after.main - before.main) / n,
            (after.voluntary - before.voluntary) / n,
            (after.involuntary - before.involuntary) / n,
        ))  # fmt: skip


SCRATCH = tempfile.mkdtemp(prefix="mockcp-serving-images-")  # never the user's image folder


def child(
    what: str, threads: int, running: int, db: str | None, tree: Path | None = None
) -> tuple[Server, str, str]:
    """A server in a process of its own; ``tree``: another checkout's mockcp and child."""
    port = free_port()
    bench = BENCH if tree is None else tree / "bench"
    argv = [sys.executable, "-P", str(bench / "serving_child.py"), what, str(port)]
    env = {"MOCKCP_CACHE_DIR": SCRATCH}
    if db:
        env["BENCH_DB_URL"] = db
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    server = Server([*argv, str(threads), str(running)], port, "/", None, env=env)
    if what.startswith(("canned:", "canned-row:")):
        return server, "", ""
    assert server.proc.stdout is not None
    key, password = server.proc.stdout.readline().split()
    return server, key, password


def post(url: str, body: bytes) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=60) as reply:
        answer: bytes = reply.read()
    return answer


def mockcp_bodies(server: Server, key: str, password: str) -> dict[str, bytes]:
    def envelope(xml: str) -> bytes:
        text: str = ENVELOPE.format(key=key, password=password, body=xml)
        return text.encode()

    every = post(server.url + SOAP, envelope(STATUS.format(query="<searchQuery/>")))
    station = re.findall(rb"<stationID>([^<]+)</stationID>", every)[0].decode()
    query = f"<searchQuery><stationID>{station}</stationID></searchQuery>"
    return {
        "getCPNInstances": envelope("<urn:getCPNInstances/>"),
        "getStationStatus": envelope(STATUS.format(query=query)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", default="minimal")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--db", help="a database URL for every mockcp variant (default: SQLite)")
    parser.add_argument(
        "--variant",
        action="append",
        metavar="NAME=THREADS/RUNNING",
        help="default: served=8/1 (the product's), waitress=8/0, t1=1/0",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout: its mockcp served as variant 'base' (8/1) beside this tree's",
    )
    parser.add_argument("--baseline-db", help="the baseline's database URL (default: SQLite)")
    args = parser.parse_args()
    specs = args.variant or ["served=8/1", "waitress=8/0", "t1=1/0"]
    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    variants: list[Variant] = []
    for spec in specs:
        name, shape = spec.split("=")
        threads, running = (int(part) for part in shape.split("/"))
        server, key, password = child(args.world, threads, running, args.db)
        variants.append(Variant(name, server, mockcp_bodies(server, key, password)))
        print(f"{name}: {threads} threads, running={running}")
    if args.baseline is not None:
        server, key, password = child(args.world, 8, 1, args.baseline_db, args.baseline)
        variants.append(Variant("base", server, mockcp_bodies(server, key, password)))
        print(f"base: {args.baseline}, 8 threads, running=1")
    first = variants[0]
    recordings = {op: post(first.server.url + SOAP, body) for op, body in first.bodies.items()}
    path = Path(tempfile.mkdtemp(prefix="mockcp-serving-")) / "recordings.json"
    path.write_text(json.dumps({k: v.decode("latin-1") for k, v in recordings.items()}))
    product = ServerLimits()  # the canned ceiling on the product's pool, as mockcp serve runs
    canned, _, _ = child(f"canned:{path}", product.threads, product.running, None)
    variants.append(Variant("canned", canned, first.bodies))
    # The ceiling that keeps the journal's contract: a committed row per call before its answer.
    with_row, _, _ = child(f"canned-row:{path}", product.threads, product.running, None)
    variants.append(Variant("canned+row", with_row, first.bodies))
    ops = list(first.bodies)
    for variant in variants:  # warm up: connection pools, compiled statements
        load(variant.server, SOAP, variant.bodies[ops[0]], 4, args.seconds / 2)
    for _ in range(args.repeats):
        for op in ops:
            for variant in variants:
                for clients in (1, 16):
                    variant.measure(op, clients, args.seconds)
    for variant in variants:
        variant.server.stop()
    print(f"load average at end: {os.getloadavg()}")
    report(variants, ops)


def report(variants: list[Variant], ops: list[str]) -> None:
    print("medians of the repeats; 16/1 is the median of each repeat's own ratio")
    print(f"{'op':17} {'server':8} {'req/s 1':>8} {'req/s 16':>8} {'16/1':>5} "
          f"{'CPU ms 1':>8} {'CPU ms 16':>9} {'loop ms 16':>10} {'vcs 1':>5} {'vcs 16':>6} "
          f"{'ivcs 16':>7}")  # fmt: skip
    for op in ops:
        for variant in variants:
            one, many = variant.rows[(op, 1)], variant.rows[(op, 16)]

            def mid(rows: list[Row], i: int) -> float:
                return statistics.median(row[i] for row in rows)

            ratio = statistics.median(b[0] / a[0] for a, b in zip(one, many, strict=True))
            print(f"{op:17} {variant.name:8} {mid(one, 0):8.0f} {mid(many, 0):8.0f} "
                  f"{ratio:5.2f} {mid(one, 1):8.2f} {mid(many, 1):9.2f} {mid(many, 2):10.2f} "
                  f"{mid(one, 3):5.1f} {mid(many, 3):6.1f} {mid(many, 4):7.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
