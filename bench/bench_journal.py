"""The journal beside the world (issue 17, ``mockcp/db/journal_store.py``), measured in one run.

    .venv/bin/python bench/bench_journal.py                       # latency, SQLite (+ PostgreSQL)
    .venv/bin/python bench/bench_journal.py --baseline /tmp/main  # + CPU and gunicorn vs a tree

1. **Another tenant during a write at the bound.** A fresh world each round (a reset): one
   tenant's createLoadShedEvent at the 7-day horizon plans a week under the world lock while
   the other tenant loops getStations. "beside" is this tree; "inside" is the journal in the
   world's own database (``journal_url`` patched to None: every call's row then takes the
   world's write lock, as before the change). Both in the same run, rounds alternating; on a
   SQLite file, and on PostgreSQL when ``MOCKCP_TEST_POSTGRES_URL`` is set (its tables are
   dropped first), where the journal always shares the world's database.
2. **The small op's CPU** (getCPNInstances, frozen clock, SQLite file, in process,
   ``time.process_time`` per call), alternating this tree and the ``--baseline`` tree (a
   checkout of main: ``git archive <commit> | tar -x -C DIR``) in subprocesses.
2b. **The same, served**: ``gunicorn -w 2 --threads 4`` on a SQLite file (``--served``), the
   writer and the reader on connections of their own (each request a new connection, so the
   two land in either worker process), the comparison app from ``inside_app()`` below.
3. **gunicorn -w 1/2/4 on one SQLite file, 16 clients** (bench_anchors.gunicorn_throughput),
   this tree and the baseline tree alternating.
4. **One ``journal.append`` in process** (``--append``): CPU per row on a SQLite file, in memory
   and on PostgreSQL (with ``MOCKCP_TEST_POSTGRES_URL``), the reference path (a pooled
   connection, ``engine.begin()``, ``journal.record``'s Core statements) alternating with
   ``journal.append`` in the same run, a small call's row as the recorder writes it, with a
   limit of 1,000 rows (XML kept for the newest 100): the steady state of a journal that is
   full, where every row also trims the oldest.
5. **Writers of several processes on one journal file** (``--contention``): 1, 2 and 4
   processes (forked), each appending rows in a loop for a while, with the writers' turn on
   the lock file (this tree) and without it (SQLite's busy handler alone: ``no_turns``),
   alternating; rows per second in all and each row's wall time (median, p99, max).
6. **gunicorn -w 1/2/4 --threads 4 on one SQLite file, 16 clients, getCPNInstances**
   (``--workers``): this tree, this tree without the turn (``no_turns_app``) and, with
   ``--baseline``, the baseline tree, alternating in one run; requests per second and the
   server's CPU per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from mockcp.clock import ManualClock  # noqa: E402
from mockcp.config import Settings  # noqa: E402
from mockcp.db import journal_store  # noqa: E402
from mockcp.domain.load.limits import EVENT_HORIZON, MAX_EVENT_MINUTES  # noqa: E402
from mockcp.testing import MockChargePoint  # noqa: E402

START = datetime(2024, 3, 12, 17, tzinfo=UTC)
HERE = Path(__file__).resolve().parent.parent


def timed(call: Callable[[], Any]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def in_world_database(world: Any) -> str | None:
    """The comparison's placement: the journal in the world's own database."""
    return None


@contextmanager
def journal_inside(inside: bool) -> Iterator[None]:
    """``inside``: apps made in the block keep the journal in the world's database."""
    kept = journal_store.journal_url
    if inside:
        journal_store.journal_url = in_world_database
    try:
        yield
    finally:
        journal_store.journal_url = kept


def event(client: Any, starts: datetime) -> Any:
    return client.service.createLoadShedEvent(shedEvent={
        "stationID": "1:10002", "eventStartTime": starts, "eventDuration": MAX_EVENT_MINUTES,
        "allowedLoadPerPort": 1.0})


def store(url: str) -> str:
    if url.startswith("postgresql"):
        from tests.worlds.stores import wipe  # (the bench runs from the repository)

        wipe(url)
    return url


Samples = tuple[list[float], list[float], list[float]]


def during_events(url: str, inside: bool, rounds: int) -> Samples:
    """(other tenant alone, other tenant during the events, the events' own times)."""
    alone: list[float] = []
    during: list[float] = []
    writes: list[float] = []
    with journal_inside(inside), MockChargePoint(
        Settings(database_url=store(url), fixture="minimal"), ManualClock(START)
    ) as mock:
        sunrise, harbor = (mock.client(t) for t in mock.tenants())
        for _ in range(rounds):
            mock.wsgi.reset()  # the week past the start is unplanned again
            harbor.service.getStations(searchQuery={})  # planned to now
            alone += [timed(lambda: harbor.service.getStations(searchQuery={})) for _ in range(5)]
            done = threading.Event()

            def far_event(done: threading.Event = done) -> None:
                reply = None

                def write() -> None:
                    nonlocal reply
                    reply = event(sunrise, START + EVENT_HORIZON)

                writes.append(timed(write))
                assert reply is not None and reply.responseCode == "100", reply
                done.set()

            thread = threading.Thread(target=far_event)
            thread.start()
            while not done.is_set():
                during.append(timed(lambda: harbor.service.getStations(searchQuery={})))
            thread.join()
    return alone, during, writes


def ms(samples: list[float], q: float | None = None) -> str:
    if q is None:
        return f"{statistics.median(samples) * 1000:.0f}"
    return f"{sorted(samples)[max(int(len(samples) * q) - 1, 0)] * 1000:.0f}"


def inside_app() -> Any:
    """gunicorn's app with the journal in the world's database (the comparison)."""
    journal_store.journal_url = in_world_database
    from mockcp.app import wsgi_from_env

    return wsgi_from_env()


EVENT = ("<urn:createLoadShedEvent><shedEvent><stationID>1:10002</stationID>"
         "<eventStartTime>2024-03-19T17:00:00Z</eventStartTime>"
         f"<eventDuration>{MAX_EVENT_MINUTES}</eventDuration>"
         "<allowedLoadPerPort>1.0</allowedLoadPerPort></shedEvent></urn:createLoadShedEvent>")
STATIONS = "<urn:getStations><searchQuery/></urn:getStations>"
SOAP = "/webservices/chargepoint/services/5.1"


def post(port: int, path: str, body: bytes) -> bytes:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body, {"Content-Type": "text/xml; charset=utf-8"})
        return conn.getresponse().read()
    finally:
        conn.close()


def served(inside: bool, rounds: int, tmp: Path) -> Samples:
    import json
    import urllib.request

    from anchors import ENVELOPE, Server, free_port

    port = free_port()
    env = {"MOCKCP_DB": f"sqlite:///{tmp}/served-{inside}-{time.monotonic_ns()}.sqlite3",
           "MOCKCP_FIXTURE": "minimal", "MOCKCP_CLOCK_MODE": "frozen",
           "MOCKCP_CLOCK_START": "2024-03-12T17:00:00Z"}  # fmt: skip
    app = "bench_journal:inside_app()" if inside else "mockcp.app:wsgi_from_env()"
    argv = [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "--pythonpath",
            str(Path(__file__).resolve().parent), "-b", f"127.0.0.1:{port}", app]  # fmt: skip
    server = Server(argv, port, "/_mock/health", None, env=env)
    alone: list[float] = []
    during: list[float] = []
    writes: list[float] = []
    try:
        with urllib.request.urlopen(f"{server.url}/_mock/tenants") as reply:
            tenants = json.loads(reply.read())
        sunrise, harbor = (
            {op: ENVELOPE.format(key=t["licenseKey"], password=t["password"], body=xml).encode()
             for op, xml in (("event", EVENT), ("stations", STATIONS))}
            for t in tenants[:2]
        )
        for _ in range(rounds):
            reset = urllib.request.Request(f"{server.url}/_mock/reset", data=b"", method="POST")
            with urllib.request.urlopen(reset) as reply:  # the week unplanned again
                reply.read()
            for _ in range(2):
                post(port, SOAP, harbor["stations"])
            alone += [timed(lambda: post(port, SOAP, harbor["stations"])) for _ in range(5)]
            done = threading.Event()
            answer: list[bytes] = []

            def far_event(done: threading.Event = done, answer: list[bytes] = answer) -> None:
                writes.append(timed(lambda: answer.append(post(port, SOAP, sunrise["event"]))))
                done.set()

            thread = threading.Thread(target=far_event)
            thread.start()
            while not done.is_set():
                during.append(timed(lambda: post(port, SOAP, harbor["stations"])))
            thread.join()
            assert b"<responseCode>100</responseCode>" in answer[0], answer[0][:600]
    finally:
        server.stop()
    return alone, during, writes


def served_latency(rounds: int) -> None:
    print("## SQLite file, gunicorn -w 2 --threads 4: another tenant's getStations during an"
          " event at the horizon")
    print("| journal | alone median | during: median / p90 / max (calls) | the event median |")
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for inside in (True, False, True, False):
            alone, during, writes = served(inside, rounds, Path(tmp))
            how = "in the world's database" if inside else "this branch"
            print(f"| {how} | {ms(alone)} ms | {ms(during)} / {ms(during, 0.9)} /"
                  f" {max(during) * 1000:.0f} ms ({len(during)}) | {ms(writes)} ms |")


def latency(rounds: int) -> None:
    stores = {"SQLite file": f"sqlite:///{tempfile.mkdtemp()}/journal.sqlite3"}
    if os.environ.get("MOCKCP_TEST_POSTGRES_URL"):
        stores["PostgreSQL"] = os.environ["MOCKCP_TEST_POSTGRES_URL"]
    for name, url in stores.items():
        print(f"## {name}: another tenant's getStations during an event at the horizon")
        print("| journal | alone median | during: median / p90 / max (calls) | the event median |")
        print("| --- | --- | --- | --- |")
        # PostgreSQL: the journal shares the world's database either way (no write lock)
        ways = (True, False, True, False) if url.startswith("sqlite") else (False, False)
        for inside in ways:
            if url.startswith("sqlite:///"):  # a fresh file each time
                url = f"sqlite:///{tempfile.mkdtemp()}/journal.sqlite3"
            alone, during, writes = during_events(url, inside, rounds)
            how = "in the world's database" if inside else "this branch"
            print(f"| {how} | {ms(alone)} ms | {ms(during)} / {ms(during, 0.9)} /"
                  f" {max(during) * 1000:.0f} ms ({len(during)}) | {ms(writes)} ms |")


CPU_SCRIPT = """
import sys, tempfile, time
sys.path.insert(0, "bench")
from werkzeug.test import Client
from anchors import ENVELOPE
from mockcp.app import create_app
from mockcp.config import Settings, parse_start
from mockcp.domain.tenants import list_tenants
from mockcp.soap.recorder import SoapRecorder
spent = [0.0]
plain = SoapRecorder._record
def record(*args, **kwargs):
    began = time.process_time()
    plain(*args, **kwargs)
    spent[0] += time.process_time() - began
SoapRecorder._record = record
app = create_app(Settings(database_url=f"sqlite:///{tempfile.mkdtemp()}/w.sqlite3",
    fixture="minimal", clock_mode="frozen", clock_start=parse_start("2024-03-12T17:00:00Z")))
with app.sessions() as db:
    t = list_tenants(db)[0]
body = ENVELOPE.format(key=t.license_key, password=t.password, body="<urn:getCPNInstances/>")
client, path = Client(app), "/webservices/chargepoint/services/5.1"
for _ in range(200):
    client.post(path, data=body.encode())
spent[0] = 0.0
began = time.process_time()
for _ in range(1000):
    client.post(path, data=body.encode())
print(time.process_time() - began, spent[0])
"""


def cpu_per_call(tree: Path) -> tuple[float, float]:
    """(CPU ms per call, of which the journal row: the recorder's ``_record``)."""
    done = subprocess.run(
        [sys.executable, "-c", CPU_SCRIPT], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True, text=True, check=True,
    )
    total, row = done.stdout.split()[-2:]
    return float(total), float(row)  # ms per call: seconds per 1000 calls


def small_cpu(baseline: Path, rounds: int) -> None:
    found: dict[str, list[tuple[float, float]]] = {"baseline": [], "this tree": []}
    for _ in range(rounds):
        found["baseline"].append(cpu_per_call(baseline))
        found["this tree"].append(cpu_per_call(HERE))
    print("## small op (getCPNInstances) CPU per call in process, SQLite file, frozen clock")
    for name, samples in found.items():
        total = statistics.median(s[0] for s in samples)
        row = statistics.median(s[1] for s in samples)
        print(f"{name}: median {total:.3f} ms per call, the journal row {row:.3f} ms"
              f" ({row / total:.0%}); rounds {', '.join(f'{t:.3f}/{r:.3f}' for t, r in samples)}")
    ratio = statistics.median(s[0] for s in found["this tree"]) / statistics.median(
        s[0] for s in found["baseline"])
    print(f"this tree / baseline, per call: {ratio:.2f}")


def gunicorn(baseline: Path, seconds: float) -> None:
    from bench_anchors import gunicorn_throughput, in_process

    _, bodies = in_process("minimal", "frozen")
    small = bodies["getCPNInstances"]
    print("## gunicorn -w N --threads 4 on one SQLite file, 16 clients, getCPNInstances (req/s)")
    print("| workers | baseline | this tree |")
    print("| --- | --- | --- |")
    for workers in (1, 2, 4):
        row = []
        for tree in (baseline, HERE):
            kept = os.environ.get("PYTHONPATH")
            os.environ["PYTHONPATH"] = str(tree)
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    row.append(gunicorn_throughput(Path(tmp), "minimal", workers, small, seconds))
            finally:
                if kept is None:
                    os.environ.pop("PYTHONPATH", None)
                else:
                    os.environ["PYTHONPATH"] = kept
        print(f"| {workers} | {row[0]:.0f} | {row[1]:.0f} |")


def a_call(number: int) -> Any:
    """A small call's row as the recorder writes it (getCPNInstances, XML kept)."""
    from mockcp.domain.journal import Call

    now = START + timedelta(seconds=number)
    return Call(at=now, wall_at=now, version="5.1", operation="getCPNInstances",
                org_id="1:ORG1", http_status=200, response_code="100", fault=None,
                duration_ms=1.2345678, params={}, details={}, request_xml=SMALL_REQUEST,
                response_xml=SMALL_ANSWER)  # fmt: skip


LIMIT, XML_CALLS = 1_000, 100
SMALL_REQUEST = "<soapenv:Envelope>" + "r" * 600 + "</soapenv:Envelope>"
SMALL_ANSWER = "<soapenv:Envelope>" + "a" * 900 + "</soapenv:Envelope>"


def reference_append(store: Any, call: Any, limit: int, xml_calls: int) -> None:
    """The row as main wrote it: a pooled connection, ``engine.begin()``, ``record``."""
    from mockcp.domain import journal

    with store._turn(), store.engine.begin() as conn:
        journal.record(conn, call, limit, xml_calls)


def append_cpu(rounds: int, rows: int) -> None:
    from mockcp.db.engine import make_engine
    from mockcp.db.journal_store import JournalStore
    from mockcp.db.journal_table import JOURNAL
    from mockcp.domain import journal

    stores = {"SQLite file": f"sqlite:///{tempfile.mkdtemp()}/append.sqlite3",
              "in memory": "sqlite://"}  # fmt: skip
    if os.environ.get("MOCKCP_TEST_POSTGRES_URL"):
        stores["PostgreSQL"] = os.environ["MOCKCP_TEST_POSTGRES_URL"]
    ways: dict[str, Callable[[Any, Any, int, int], None]] = {
        "reference (engine.begin + record)": reference_append, "journal.append": journal.append}
    print(f"## one journal row in process: CPU per row (ms), {rows} rows a round,"
          f" limit {LIMIT}, XML kept for {XML_CALLS} calls; rounds alternating")
    print("| store | " + " | ".join(ways) + " | append / reference |")
    print("| --- | --- | --- | --- |")
    for name, url in stores.items():
        world = make_engine(url)
        store = JournalStore(world)
        JOURNAL.drop_all(store.engine)
        store.create()
        found: dict[str, list[float]] = {way: [] for way in ways}
        number = 0
        try:
            for way in ways.values():  # warm both ways, and fill the journal to its limit
                for _ in range(LIMIT // 2 + 10):
                    number += 1
                    way(store, a_call(number), LIMIT, XML_CALLS)
            for _ in range(rounds):
                for label, way in ways.items():
                    calls = [a_call(number + i) for i in range(rows)]
                    number += rows
                    began = time.process_time()
                    for call in calls:
                        way(store, call, LIMIT, XML_CALLS)
                    found[label].append((time.process_time() - began) / rows * 1000)
        finally:
            store.close()
            world.dispose()
        medians = [statistics.median(found[label]) for label in ways]
        cells = [f"{m:.3f} ({', '.join(f'{x:.3f}' for x in found[label])})"
                 for m, label in zip(medians, ways, strict=True)]
        print(f"| {name} | {' | '.join(cells)} | {medians[1] / medians[0]:.2f} |")


class _NoTurns:
    """A stand-in for ``fcntl`` in ``mockcp.db.journal_rows``: ``flock`` does nothing."""

    LOCK_EX = LOCK_UN = 0

    @staticmethod
    def flock(_fd: int, _how: int) -> None:
        return None


@contextmanager
def no_turns() -> Iterator[None]:
    """The rows' writers without their turn on the lock file: SQLite's busy handler alone."""
    from mockcp.db import journal_rows

    names = vars(journal_rows)
    kept = names["fcntl"]
    names["fcntl"] = _NoTurns
    try:
        yield
    finally:
        names["fcntl"] = kept


def no_turns_app() -> Any:
    """gunicorn's app without the writers' turn (``no_turns``), the comparison of 6."""
    no_turns().__enter__()
    from mockcp.app import wsgi_from_env

    return wsgi_from_env()


def _appender(url: str, seconds: float, turns: bool, work_ms: float, out: Any) -> None:
    from mockcp.db.engine import make_engine
    from mockcp.db.journal_store import JournalStore
    from mockcp.domain import journal

    store = JournalStore(make_engine(url))
    took: list[tuple[float, float]] = []  # each row's (wall, wall less this thread's CPU)
    with nullcontext() if turns else no_turns():
        number, ends = 0, time.perf_counter() + seconds
        while time.perf_counter() < ends:
            number += 1
            call = a_call(number)
            busy = time.process_time() + work_ms / 1000
            while time.process_time() < busy:  # the rest of a call's work
                pass
            began, cpu = time.perf_counter(), time.thread_time()
            journal.append(store, call, 100_000, 0)
            wall = time.perf_counter() - began
            took.append((wall, wall - (time.thread_time() - cpu)))
    store.close()
    out.put(took)


def contention(rounds: int, seconds: float, work_ms: float) -> None:
    import multiprocessing

    from mockcp.db.engine import make_engine
    from mockcp.db.journal_store import JournalStore

    ctx = multiprocessing.get_context("fork")
    print(f"## writers of N processes appending to one journal file for {seconds:g} s, each"
          f" row after {work_ms:g} ms of CPU: rows/s in all; each row's wall time median / p99"
          " / max (ms); off CPU: the rows that spent over 0.5 ms off CPU (waiting for the lock,"
          " for the disk or for a core) and the time they spent so per row written")
    print("| processes | busy handler alone | turn on the lock file | turn / alone (rows/s) |")
    print("| --- | --- | --- | --- |")
    for procs in (1, 2, 4):
        found: dict[bool, list[tuple[float, list[tuple[float, float]]]]] = {False: [], True: []}
        for _ in range(rounds):
            for turns in (False, True):
                url = f"sqlite:///{tempfile.mkdtemp()}/contention.sqlite3"
                world = make_engine(url)
                store = JournalStore(world)
                store.create()
                store.close()
                world.dispose()
                out = ctx.Queue()
                workers = [ctx.Process(target=_appender, args=(url, seconds, turns, work_ms, out))
                           for _ in range(procs)]  # fmt: skip
                for worker in workers:
                    worker.start()
                took = [t for _ in workers for t in out.get(timeout=seconds + 60)]
                for worker in workers:
                    worker.join()
                found[turns].append((len(took) / seconds, took))
        cells = []
        for turns in (False, True):
            rates = [rate for rate, _ in found[turns]]
            rows = [row for _, samples in found[turns] for row in samples]
            took = sorted(wall for wall, _ in rows)
            off = [idle for _, idle in rows if idle > 0.0005]
            each = ", ".join(f"{r:.0f}" for r in rates)
            cells.append(f"{statistics.median(rates):.0f} rows/s ({each});"
                         f" {ms_of(took, 0.5)} / {ms_of(took, 0.99)} / {took[-1] * 1000:.1f};"
                         f" off CPU {len(off) / len(rows):.1%} of rows,"
                         f" {sum(off) / len(rows) * 1000:.3f} ms a row")
        ratio = statistics.median(r for r, _ in found[True]) / statistics.median(
            r for r, _ in found[False])
        print(f"| {procs} | {cells[0]} | {cells[1]} | {ratio:.2f} |")


def served_throughput(tree: Path, app: str, workers: int, seconds: float) -> tuple[float, float]:
    """(requests/s, server CPU ms per request): ``gunicorn -w workers --threads 4`` of ``app``
    from ``tree`` on one SQLite file, 16 keep-alive clients asking getCPNInstances (as
    bench_anchors.gunicorn_throughput, with the app and the tree chosen here)."""
    from anchors import Server, free_port, load, tree_cpu
    from bench_anchors import first_answer, in_process

    _, bodies = in_process("minimal", "frozen")
    body = bodies["getCPNInstances"]
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"MOCKCP_DB": f"sqlite:///{tmp}/served.sqlite3", "MOCKCP_FIXTURE": "minimal",
               "MOCKCP_CLOCK_MODE": "frozen", "MOCKCP_CLOCK_START": "2024-03-12T17:00:00Z",
               "PYTHONPATH": f"{tree}:{Path(__file__).resolve().parent}"}  # fmt: skip
        argv = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", "4",
                "-b", f"127.0.0.1:{port}", app]  # fmt: skip
        server = Server(argv, port, "/_mock/health", None, env=env)
        try:
            _, answer = first_answer(server, body)
            assert b"getCPNInstancesResponse" in answer, answer[:300]
            load(server, SOAP, body, 4, seconds / 2)  # warm every worker
            before = tree_cpu(server.proc.pid)
            rps, _ = load(server, SOAP, body, 16, seconds)
            spent = tree_cpu(server.proc.pid) - before
            return float(rps), spent * 1000 / max(rps * seconds, 1)
        finally:
            server.stop()


def workers_throughput(baseline: Path | None, rounds: int, seconds: float) -> None:
    ways = {"this tree": (HERE, "mockcp.app:wsgi_from_env()"),
            "without the turn": (HERE, "bench_journal:no_turns_app()")}  # fmt: skip
    if baseline is not None:
        ways["baseline"] = (baseline, "mockcp.app:wsgi_from_env()")
    found: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for _ in range(rounds):
        for workers in (1, 2, 4):
            for name, (tree, app) in ways.items():
                found.setdefault((name, workers), []).append(
                    served_throughput(tree, app, workers, seconds))
        print(f"(a round done, load average {os.getloadavg()[0]:.1f})", flush=True)
    print(f"## gunicorn -w N --threads 4 on one SQLite file, 16 clients, getCPNInstances:"
          f" req/s (server CPU ms per request), median of {rounds} rounds, rounds alternating")
    print("| workers | " + " | ".join(ways) + " |")
    print("| --- |" + " --- |" * len(ways))
    for workers in (1, 2, 4):
        cells = []
        for name in ways:
            got = found[(name, workers)]
            rps = statistics.median(r for r, _ in got)
            cpu = statistics.median(c for _, c in got)
            each = ", ".join(f"{r:.0f}" for r, _ in got)
            cells.append(f"{rps:.0f} ({cpu:.2f} ms) [{each}]")
        print(f"| {workers} | " + " | ".join(cells) + " |")
    for name in ways:
        one = statistics.median(r for r, _ in found[(name, 1)])
        ratios = [statistics.median(r for r, _ in found[(name, w)]) / one for w in (2, 4)]
        print(f"{name}: -w 2 / -w 1 = {ratios[0]:.2f}, -w 4 / -w 1 = {ratios[1]:.2f}")


def ms_of(ordered: list[float], q: float) -> str:
    return f"{ordered[min(int(len(ordered) * q), len(ordered) - 1)] * 1000:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, help="a checkout of main to compare CPU with")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8.0, help="per gunicorn measure")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-gunicorn", action="store_true")
    parser.add_argument("--served", action="store_true", help="2b: the latency under gunicorn")
    parser.add_argument("--append", action="store_true", help="4: one journal row's CPU only")
    parser.add_argument("--rows", type=int, default=2_000, help="4: rows per round")
    parser.add_argument("--contention", action="store_true", help="5: writers of N processes")
    parser.add_argument("--workers", action="store_true", help="6: gunicorn -w 1/2/4")
    parser.add_argument("--work-ms", type=float, nargs="*", default=[0.0, 1.0],
                        help="5: CPU spent before each row (the rest of a call)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.workers:
        base = None if args.baseline is None else args.baseline.resolve()
        workers_throughput(base, args.rounds, args.seconds)
        print(f"load average {os.getloadavg()[0]:.1f}")
        return
    if args.contention:
        for work_ms in args.work_ms:
            contention(args.rounds, args.seconds, work_ms)
        print(f"load average {os.getloadavg()[0]:.1f}")
        return
    if args.append:
        append_cpu(args.rounds, args.rows)
        print(f"load average {os.getloadavg()[0]:.1f}")
        return
    if not args.skip_latency:
        latency(args.rounds)
    if args.served:
        served_latency(args.rounds)
    if args.baseline is not None:
        small_cpu(args.baseline.resolve(), args.rounds)
        if not args.skip_gunicorn:
            gunicorn(args.baseline.resolve(), args.seconds)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
