"""mockcp against anchors, side by side in one run (issue 18).

    .venv/bin/python bench/bench_anchors.py            # full: 3 interleaved repeats, medians
    .venv/bin/python bench/bench_anchors.py --quick    # CI: one short repeat, Python anchors only
    .venv/bin/python bench/bench_anchors.py --small    # the per-call path: small op vs canned,
                                                       # realtime vs frozen (minimal world)
    .venv/bin/python bench/bench_anchors.py --page     # the 500-row page vs the lxml floor only
    .venv/bin/python bench/bench_anchors.py --small --baseline /path/to/old/checkout
                                     # ...and an older tree's mockcp served beside, alternated

Anchors: ``canned`` replays mockcp's recorded answers from a WSGI app on the same serving
stack (werkzeug's threaded server, as ``mockcp serve``): the ceiling; ``floor`` renders the
same 500 getStations rows with lxml alone from plain tuples: the format's floor;
``wiremock`` (the npm package's standalone jar) serves the same recorded answers;
``moto_server``'s start-to-ready. mockcp runs as ``mockcp serve`` child processes on SQLite
files, measured on the same requests with keep-alive clients in a separate process.
The figures are printed; nothing is asserted (the CI test prints them).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anchors import (  # noqa: E402  (bench/ is not a package on the path)
    BENCH,
    ENVELOPE,
    Server,
    banner_credentials,
    free_port,
    load,
    moto_server,
    render_floor,
    rows_of,
    wiremock_jar,
    wiremock_root,
)

SOAP = "/webservices/chargepoint/services/5.1"
START = "2024-03-12T17:00:00Z"
OPS = {
    "getCPNInstances": "<urn:getCPNInstances/>",
    "getStations": "<urn:getStations><searchQuery/></urn:getStations>",
    "getStationStatus": "<urn:getStationStatus><searchQuery/></urn:getStationStatus>",
}


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return 1000 * statistics.median(samples)


def alternate(
    fn: Callable[[], object],
    set_a: Callable[[], object],
    set_b: Callable[[], object],
    n: int,
    stat: Callable[[list[float]], float] = statistics.median,
) -> tuple[float, float]:
    """Median ms of ``fn`` under setting a and under setting b, alternating call by call (the
    machine's noise then falls on both alike)."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(n):
        for setting, samples in ((set_a, a), (set_b, b)):
            setting()
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    set_a()
    return 1000 * stat(a), 1000 * stat(b)


def serve_mockcp(
    db: Path,
    fixture: str,
    clock: str,
    tree: str | None = None,
    env: dict[str, str] | None = None,
) -> tuple[Server, dict[str, bytes]]:
    """``mockcp serve`` on a fresh SQLite file; its first tenant's request bodies (``tree``:
    another checkout's mockcp, first on the path, run by the same interpreter; ``env``: more
    variables for the child)."""
    if tree is not None:
        saved = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = tree
        try:
            return serve_mockcp(db, fixture, clock, env=env)
        finally:
            if saved is None:
                os.environ.pop("PYTHONPATH")
            else:
                os.environ["PYTHONPATH"] = saved
    port = free_port()
    argv = [
        sys.executable,
        "-P",  # not the working directory first: PYTHONPATH (a baseline's tree) decides
        "-m",
        "mockcp",
        "serve",
        "--port",
        str(port),
        "--fixture",
        fixture,
        "--clock",
        clock,
        "--db",
        f"sqlite:///{db}",
    ]
    if clock == "frozen":
        argv += ["--start", START]
    server = Server(argv, port, "/_mock/health", None, env=env)
    key, password = banner_credentials(server)
    bodies = {
        op: ENVELOPE.format(key=key, password=password, body=xml).encode()
        for op, xml in OPS.items()
    }
    return server, bodies


def gunicorn_throughput(tmp: Path, world: str, workers: int, body: bytes, seconds: float) -> float:
    """Small-op requests per second at 16 clients from ``gunicorn -w workers`` on one SQLite
    file (the README's command), the world built by the workers themselves."""
    port = free_port()
    db = tmp / f"gunicorn-{workers}-{time.monotonic_ns()}.sqlite3"
    env = {"MOCKCP_DB": f"sqlite:///{db}", "MOCKCP_FIXTURE": world,
           "MOCKCP_CLOCK_MODE": "frozen", "MOCKCP_CLOCK_START": START}  # fmt: skip
    argv = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", "4",
            "-b", f"127.0.0.1:{port}", "mockcp.app:wsgi_from_env()"]  # fmt: skip
    server = Server(argv, port, "/_mock/health", None, env=env)
    try:
        _, answer = first_answer(server, body)
        assert b"getCPNInstancesResponse" in answer, answer[:300]
        load(server, SOAP, body, 4, seconds / 2)  # warm every worker
        rps, _ = load(server, SOAP, body, 16, seconds)
    finally:
        server.stop()
    return float(rps)


def first_answer(server: Server, body: bytes) -> tuple[float, bytes]:
    """Seconds to the first SOAP answer (the world is planned on the first read) and its bytes."""
    import urllib.request

    start = time.perf_counter()
    request = urllib.request.Request(
        server.url + SOAP, data=body, method="POST", headers={"Content-Type": "text/xml"}
    )
    with urllib.request.urlopen(request, timeout=600) as reply:
        data = bytes(reply.read())
    return time.perf_counter() - start, data


def in_process(fixture: str, clock: str) -> tuple[tuple[Any, Any], dict[str, bytes]]:
    from werkzeug.test import Client

    from mockcp.app import create_app
    from mockcp.config import Settings, parse_start
    from mockcp.domain.tenants import list_tenants

    start = parse_start(START) if clock == "frozen" else None
    app = create_app(
        Settings(database_url="sqlite://", fixture=fixture, clock_mode=clock, clock_start=start)
    )
    with app.sessions() as db:
        tenant = list_tenants(db)[0]
    bodies = {
        op: ENVELOPE.format(key=tenant.license_key, password=tenant.password, body=xml).encode()
        for op, xml in OPS.items()
    }
    return (app, Client(app)), bodies


def page_measures(repeats: int, samples: int, note: Callable[[str, float], None]) -> None:
    """The 500-row page, in process, against the pure-lxml floor of the same rows."""
    (app, client), wide = in_process(str(BENCH / "wide.yaml"), "frozen")
    post = client.post
    page = post(SOAP, data=wide["getStations"]).get_data()
    rows, body = rows_of(page, "stationData")
    head = [(str(c.tag), c.text, ()) for c in body if c.tag != "stationData"]
    print(f"wide world page: {len(rows)} stationData rows, {len(page):,} bytes")
    from spyne import const

    from mockcp.soap.tuning import install_plain_init, uninstall_plain_init
    from mockcp.soap.types import MODULES

    floor = (str(body.tag), dict(body.nsmap), head, rows)
    uninstall_plain_init(MODULES)
    stock = post(SOAP, data=wide["getStations"]).get_data()
    install_plain_init(MODULES)
    assert stock == page, "the lean and stock paths answered different bytes"
    for _ in range(repeats):
        lean, spyne = alternate(
            lambda: post(SOAP, data=wide["getStations"]),
            lambda: install_plain_init(MODULES),
            lambda: uninstall_plain_init(MODULES),
            samples,
        )
        install_plain_init(MODULES)
        note("mockcp: 500-row getStations page, in process (ms)", lean)
        note("mockcp: 500-row page, spyne's stock constructor (ms)", spyne)
        lean_mean, with_gc = alternate(
            lambda: post(SOAP, data=wide["getStations"]),
            lambda: setattr(const, "MIN_GC_INTERVAL", math.inf),
            lambda: setattr(const, "MIN_GC_INTERVAL", 1.0),
            samples,
            statistics.mean,  # spyne collects at most once a second: a mean shows its share
        )
        note("mockcp: 500-row page, mean (ms)", lean_mean)
        note("mockcp: 500-row page, spyne's periodic gc.collect() on, mean (ms)", with_gc)
        note("floor: lxml render of the same rows from tuples (ms)",
             median_ms(lambda: render_floor(*floor), samples))  # fmt: skip
        rows_new, rows_old = alternate(
            lambda: post(SOAP, data=wide["getStations"]),
            lambda: replaced_paths(False),
            lambda: replaced_paths(True),
            samples,
        )
        note("mockcp: 500-row page, plain rows and compiled builders (ms)", rows_new)
        note("mockcp: 500-row page, ORM rows and the per-field loop (ms)", rows_old)
        frozen, thawed = alternate(  # the process heap out of the GC's full collections, or not
            lambda: post(SOAP, data=wide["getStations"]), gc.freeze, gc.unfreeze, samples,
            statistics.mean,  # a full collection falls on one page in several: a mean shows it
        )
        gc.unfreeze()
        note("mockcp: 500-row page, heap frozen (gc.freeze), mean (ms)", frozen)
        note("mockcp: 500-row page, heap not frozen, mean (ms)", thawed)


def replaced_paths(on: bool) -> None:
    """Station rows as ORM objects and the per-field build loop (the paths x18p replaced)."""
    from mockcp.domain.stations import rows
    from mockcp.soap import wire_out

    rows.REFERENCE = wire_out.REFERENCE = on


def main() -> None:  # noqa: PLR0915  (one linear script of measurements)
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one short repeat, no Java/moto")
    parser.add_argument(
        "--small",
        action="store_true",
        help="per-call path only: the small op against the canned ceiling, realtime vs frozen",
    )
    parser.add_argument(
        "--page", action="store_true", help="the 500-row page against the lxml floor only"
    )
    parser.add_argument("--baseline", help="with --small: an older checkout's mockcp, served "
                        "beside this one and measured in the same interleaved repeats")  # fmt: skip
    parser.add_argument("--wiremock", action="store_true",
                        help="with --small: WireMock serving the same answers, measured alike")
    parser.add_argument("--world", help="the world of the served measures (default: demo, or "
                        "minimal with --quick/--small)")  # fmt: skip
    args = parser.parse_args()
    args.quick = args.quick or args.small
    repeats, window = (1, 1.0) if args.quick else (3, 3.0)
    if args.small:
        repeats, window = 3, 2.0
    samples = 7  # calls per median of an in-process page
    results: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        results.setdefault(name, []).append(value)

    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    if args.page:
        page_measures(3, samples, note)
        report(results)
        return
    tmp = Path(tempfile.mkdtemp(prefix="mockcp-anchors-"))
    world = args.world or ("minimal" if args.quick else "demo")
    print(f"world for the served measures and reset: {world}")

    # mockcp serve, frozen clock: start-to-ready, the first read (plans the history), answers.
    mock, bodies = serve_mockcp(tmp / "frozen.sqlite3", world, "frozen")
    note("mockcp serve: start to ready (s)", mock.ready)
    first, _ = first_answer(mock, bodies["getStationStatus"])
    note("mockcp serve: first read, planning the history (s)", first)
    recordings = {op: first_answer(mock, body)[1] for op, body in bodies.items()}
    (tmp / "recordings.json").write_text(
        json.dumps({k: v.decode("latin-1") for k, v in recordings.items()})
    )
    port = free_port()
    canned = Server(
        [sys.executable, str(BENCH / "canned_server.py"), str(port), str(tmp / "recordings.json")],
        port,
        "/",
        None,
    )
    anchors: list[tuple[str, Server]] = [("canned", canned), ("mockcp", mock)]
    if args.small and args.baseline:
        old, old_bodies = serve_mockcp(tmp / "baseline.sqlite3", world, "frozen", args.baseline)
        assert old_bodies["getCPNInstances"] == bodies["getCPNInstances"]  # the same tenant
        first_answer(old, old_bodies["getStationStatus"])
        anchors.append(("baseline", old))
        print(f"baseline: mockcp from {args.baseline}")
    clocks: list[tuple[str, Server, dict[str, bytes]]] = [("frozen", mock, bodies)]
    if not args.quick or args.small:
        live, live_bodies = serve_mockcp(tmp / "live.sqlite3", world, "realtime")
        first_answer(live, live_bodies["getStationStatus"])  # plan its history before measuring
        clocks.append(("realtime", live, live_bodies))
    jar = None if args.quick and not args.wiremock else wiremock_jar()
    if isinstance(jar, Path):
        port = free_port()
        root = wiremock_root(recordings, SOAP)
        argv = ["java", "-jar", str(jar), "--port", str(port), "--root-dir", str(root),
                "--disable-banner", "--no-request-journal"]  # fmt: skip
        anchors.append(("wiremock", Server(argv, port, "/__admin/mappings", None)))
    elif jar is not None:
        print(f"WireMock not measured: {jar}")

    small = bodies["getCPNInstances"]
    for _, server in anchors:  # warm up (the JVM's JIT, connection pools), not measured
        load(server, SOAP, small, 4, window / 2)
    for _ in range(repeats):  # interleaved: each repeat measures every server in turn
        for name, server in anchors:
            for clients in (1, 16):
                rps, cpu = load(server, SOAP, small, clients, window)
                note(f"{name}: getCPNInstances req/s, {clients} client(s)", rps)
                note(f"{name}: getCPNInstances server CPU ms/req, {clients} client(s)", cpu)
        for name, server, op_bodies in clocks:
            for op in ("getStationStatus", "getStations"):
                rps, cpu = load(server, SOAP, op_bodies[op], 1, window)
                note(f"mockcp {name} clock: {op} ({world}, all rows) CPU ms/req", cpu)
    for _, server in anchors:
        server.stop()
    for name, server, _ in clocks:
        if name != "frozen":
            server.stop()

    if args.small:
        mock.stop()
        for _ in range(repeats if world == "minimal" else 1):
            for workers in (1, 2, 4):
                try:
                    rps = gunicorn_throughput(tmp, world, workers, small, window)
                except (OSError, AssertionError, TimeoutError) as exc:
                    print(f"gunicorn -w {workers} not measured: {exc!r}")
                    continue
                note(f"mockcp gunicorn -w {workers}: getCPNInstances req/s, 16 client(s)", rps)
        report(results)
        return

    # moto_server's start-to-ready, beside mockcp's.
    moto = None if args.quick else moto_server()
    if isinstance(moto, Path):
        for n in range(repeats):
            port = free_port()
            server = Server([str(moto), "-p", str(port)], port, "/", None)
            note("moto_server: start to ready (s)", server.ready)
            server.stop()
            again, _ = serve_mockcp(tmp / f"again{n}.sqlite3", world, "frozen")
            note("mockcp serve: start to ready (s)", again.ready)
            again.stop()
    elif moto is not None:
        print(f"moto_server not measured: {moto}")

    # In process: the lean path against spyne's stock paths, in the same run.
    (app, client), small_bodies = in_process("minimal", "frozen")
    soap = app.soap
    post = client.post
    small_call = small_bodies["getCPNInstances"]
    cache = soap.credentials

    def no_cache() -> None:
        soap.credentials = None

    def with_cache() -> None:
        soap.credentials = cache

    cached, uncached = alternate(lambda: post(SOAP, data=small_call), with_cache, no_cache, 200)
    note("mockcp: getCPNInstances in process (ms)", cached)
    note("mockcp: getCPNInstances in process, no credential cache (ms)", uncached)

    page_measures(repeats, samples, note)

    # Reset then first read, in process.
    (app, client), reset_bodies = in_process(world, "frozen")
    post = client.post
    for _ in range(repeats):
        start = time.perf_counter()
        app.reset()
        post(SOAP, data=reset_bodies["getStations"])
        note(f"mockcp: reset + first getStations, {world} world (s)", time.perf_counter() - start)
    mock.stop()

    report(results)


def report(results: dict[str, list[float]]) -> None:
    print(f"load average at end: {os.getloadavg()}")
    print(f"{'measure':<72} median  (samples)")
    for name, values in results.items():
        shown = ", ".join(f"{v:.3g}" for v in values)
        print(f"{name:<72} {statistics.median(values):.4g}  ({shown})")
    ratios(results)


RPS = "getCPNInstances req/s, {} client(s)"
PAGE = "mockcp: 500-row getStations page, in process (ms)"
CLOCK = "mockcp {} clock: {} ({}, all rows) CPU ms/req"
RATIOS = [
    *(
        (f"small op throughput mockcp / {anchor} ({n} clients)", f"mockcp: {RPS.format(n)}",
         f"{key}: {RPS.format(n)}")
        for n in (1, 16)
        for anchor, key in (("canned ceiling", "canned"), ("WireMock", "wiremock"))
    ),
    ("small op server CPU per request, mockcp / canned ceiling (1 client)",
     "mockcp: getCPNInstances server CPU ms/req, 1 client(s)",
     "canned: getCPNInstances server CPU ms/req, 1 client(s)"),
    ("mockcp throughput 16 clients / 1 client", f"mockcp: {RPS.format(16)}",
     f"mockcp: {RPS.format(1)}"),
    ("baseline throughput 16 clients / 1 client", f"baseline: {RPS.format(16)}",
     f"baseline: {RPS.format(1)}"),
    *(
        (f"small op throughput mockcp / baseline ({n} clients)", f"mockcp: {RPS.format(n)}",
         f"baseline: {RPS.format(n)}")
        for n in (1, 16)
    ),
    ("small op server CPU per request, baseline / mockcp (1 client)",
     "baseline: getCPNInstances server CPU ms/req, 1 client(s)",
     "mockcp: getCPNInstances server CPU ms/req, 1 client(s)"),
    ("small op server CPU per request, baseline / mockcp (16 clients)",
     "baseline: getCPNInstances server CPU ms/req, 16 client(s)",
     "mockcp: getCPNInstances server CPU ms/req, 16 client(s)"),
    ("small op throughput baseline / canned ceiling (1 clients)", f"baseline: {RPS.format(1)}",
     f"canned: {RPS.format(1)}"),
    *(
        (f"gunicorn -w {n} / -w 1 throughput (16 clients)",
         f"mockcp gunicorn -w {n}: {RPS.format(16)}", f"mockcp gunicorn -w 1: {RPS.format(16)}")
        for n in (2, 4)
    ),
    ("500-row page mockcp / lxml floor", PAGE,
     "floor: lxml render of the same rows from tuples (ms)"),
    ("500-row page, heap not frozen / frozen (gc.freeze), means",
     "mockcp: 500-row page, heap not frozen, mean (ms)",
     "mockcp: 500-row page, heap frozen (gc.freeze), mean (ms)"),
    ("500-row page, ORM rows and per-field loop / plain rows and compiled builders",
     "mockcp: 500-row page, ORM rows and the per-field loop (ms)",
     "mockcp: 500-row page, plain rows and compiled builders (ms)"),
    ("500-row page, stock constructor / lean",
     "mockcp: 500-row page, spyne's stock constructor (ms)", PAGE),
    ("500-row page, spyne's periodic gc.collect() on / off (means)",
     "mockcp: 500-row page, spyne's periodic gc.collect() on, mean (ms)",
     "mockcp: 500-row page, mean (ms)"),
    ("small op in process, no credential cache / cache",
     "mockcp: getCPNInstances in process, no credential cache (ms)",
     "mockcp: getCPNInstances in process (ms)"),
    *(
        (f"{op} realtime / frozen clock (CPU per request, {world})",
         CLOCK.format("realtime", op, world), CLOCK.format("frozen", op, world))
        for op in ("getStationStatus", "getStations")
        for world in ("demo", "minimal")
    ),
    ("start to ready mockcp / moto_server", "mockcp serve: start to ready (s)",
     "moto_server: start to ready (s)"),
]  # fmt: skip


def ratios(results: dict[str, list[float]]) -> None:
    for label, top, bottom in RATIOS:
        if results.get(top) and results.get(bottom):
            ratio = statistics.median(results[top]) / statistics.median(results[bottom])
            print(f"ratio  {label:<70} {ratio:.2f}")


if __name__ == "__main__":
    main()
