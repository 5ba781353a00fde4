"""Every target of issue 18 in one run, ending with one table (target, measured, anchor,
ratio, bound, met or not) and the machine's load average at start and end.

    .venv/bin/python bench/bench_targets.py          # full: medians of 3 interleaved repeats
    .venv/bin/python bench/bench_targets.py --quick  # CI: one short repeat, Python anchors only
    .venv/bin/python bench/bench_targets.py --only realm,page  # some parts (the table shows all)

It drives the pieces of bench_anchors.py (served children, the canned ceiling, WireMock,
moto_server, the lxml floor) and bench_realm.py (the 60- and 6,000-station worlds):
- the small op (getCPNInstances) at 1 and 16 keep-alive clients, served by ``mockcp serve``
  (demo world, frozen clock), by the same with the answer cache off (``MOCKCP_ANSWER_CACHE=off``,
  when ``mockcp.config`` has that setting), by the canned ceiling and by WireMock, interleaved;
- getStationStatus and getStations (the same world, all rows) under the realtime and the
  frozen clock;
- start to ready of ``mockcp serve`` (no flags: the default world; and ``--fixture minimal``)
  interleaved with moto_server's, on a warm folder of planned images, and the default world's
  first start on an empty one;
- gunicorn -w 1, 2 and 4 at 16 clients on one SQLite file (and on PostgreSQL when
  ``MOCKCP_TEST_POSTGRES_URL`` is set; that database is emptied first);
- in process: the 500-row getStations page alternated call by call with the lxml floor of the
  same rows; reset + first read on the demo world; every station and session read of
  bench_realm on a 60- and a 6,000-station world, alternated, and the large world's first read.
Nothing is asserted about speed (the CI test prints the quick table); the run stops if the
lean page path and spyne's stock path ever answer different bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anchors import (  # noqa: E402  (bench/ is not a package on the path)
    BENCH,
    Server,
    free_port,
    load,
    moto_server,
    render_floor,
    rows_of,
    wiremock_jar,
    wiremock_root,
)
from bench_anchors import SOAP, START, first_answer, in_process, serve_mockcp  # noqa: E402
from targets import (  # noqa: E402
    CLOCK,
    COLD,
    FIRST_READ,
    FLOOR,
    GUNICORN,
    PAGE,
    REALM,
    REALM_OPS,
    RESET,
    RPS,
    TARGETS,
    table,
)
from targets import START as STARTED  # noqa: E402

Note = Callable[[str, float], None]


@dataclasses.dataclass
class Run:
    quick: bool
    repeats: int
    window: float  # seconds of load per throughput sample
    tmp: Path
    results: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    skipped: dict[str, str] = dataclasses.field(default_factory=dict)

    def note(self, name: str, value: float) -> None:
        self.results.setdefault(name, []).append(value)

    def skip(self, names: list[str], why: str) -> None:
        for name in names:
            self.skipped.setdefault(name, why)
        print(f"not measured: {names[0]}{' ...' if len(names) > 1 else ''}: {why}")


def answer_cache_setting() -> bool:
    """Whether this tree's settings know ``answer_cache`` (MOCKCP_ANSWER_CACHE)."""
    from mockcp.config import Settings

    return "answer_cache" in {field.name for field in dataclasses.fields(Settings)}


def served(run: Run) -> None:
    """The small op against its anchors, and the clocks' reads, interleaved repeat by repeat."""
    world = "minimal" if run.quick else "demo"
    print(f"world of the served small op: {world}")
    mock, bodies = serve_mockcp(run.tmp / "frozen.sqlite3", world, "frozen")
    run.note(f"mockcp serve --fixture {world} --db FILE: start to ready (s)", mock.ready)
    first_answer(mock, bodies["getStationStatus"])
    recordings = {op: first_answer(mock, body)[1] for op, body in bodies.items()}
    servers: list[tuple[str, Server]] = [("mockcp", mock)]
    off = [RPS.format("mockcp cache off", n) for n in (1, 16)]
    if answer_cache_setting():
        cold, _ = serve_mockcp(run.tmp / "off.sqlite3", world, "frozen",
                               env={"MOCKCP_ANSWER_CACHE": "off"})  # fmt: skip
        first_answer(cold, bodies["getStationStatus"])
        servers.append(("mockcp cache off", cold))
    else:
        run.skip(off, "mockcp.config has no answer_cache setting")
    import json

    (run.tmp / "recordings.json").write_text(
        json.dumps({k: v.decode("latin-1") for k, v in recordings.items()})
    )
    port = free_port()
    replay = [sys.executable, str(BENCH / "canned_server.py"), str(port),
              str(run.tmp / "recordings.json")]  # fmt: skip
    servers.append(("canned", Server(replay, port, "/", None)))
    wiremock = [RPS.format("wiremock", n) for n in (1, 16)]
    jar = "quick mode: Python anchors only" if run.quick else wiremock_jar()
    if isinstance(jar, Path):
        port = free_port()
        root = wiremock_root(recordings, SOAP)
        argv = ["java", "-jar", str(jar), "--port", str(port), "--root-dir", str(root),
                "--disable-banner", "--no-request-journal"]  # fmt: skip
        servers.append(("wiremock", Server(argv, port, "/__admin/mappings", None)))
    else:
        run.skip(wiremock, jar)
    live, live_bodies = serve_mockcp(run.tmp / "live.sqlite3", world, "realtime")
    first_answer(live, live_bodies["getStationStatus"])  # plans its history, not measured
    clocks = [("frozen", mock, bodies), ("realtime", live, live_bodies)]

    small = bodies["getCPNInstances"]
    for _, server in servers:  # warm up (the JVM's JIT, pools, the answer cache): not measured
        load(server, SOAP, small, 4, run.window / 2)
    for _ in range(run.repeats):
        for name, server in servers:
            for clients in (1, 16):
                rps, cpu = load(server, SOAP, small, clients, run.window)
                run.note(RPS.format(name, clients), rps)
                run.note(f"{name}: getCPNInstances server CPU ms/req, {clients} client(s)", cpu)
        for name, server, op_bodies in clocks:
            for op in ("getStationStatus", "getStations"):
                _, cpu = load(server, SOAP, op_bodies[op], 1, run.window)
                run.note(CLOCK.format(name, op), cpu)
    for _, server in servers:
        server.stop()
    live.stop()


def starts(run: Run) -> None:
    """Start to ready: moto_server, ``mockcp serve`` with no flags and with the minimal world.
    mockcp's starts keep their planned images in a folder of this run (never the user's
    ``~/.cache``): the first, unmeasured start of each fills it, so the measured ones copy
    their world, as every start after the first of the day does. The default world's first
    start is measured too, each on an empty folder (``COLD``)."""
    names = [STARTED.format(n) for n in ("moto_server", "mockcp default (demo)", "mockcp minimal")]
    cold = STARTED.format(COLD)
    moto = "quick mode: no moto_server" if run.quick else moto_server()
    if not isinstance(moto, Path):
        run.skip([*names, cold], moto)
        return
    serve = [sys.executable, "-m", "mockcp", "serve", "--port"]
    with tempfile.TemporaryDirectory(prefix="mockcp-images-") as images:
        kept = {"MOCKCP_CACHE_DIR": images}
        servers = (
            (names[0], [str(moto), "-p"], "/", None),
            (names[1], serve, "/_mock/health", kept),
            (names[2], [*serve[:-1], "--fixture", "minimal", "--port"], "/_mock/health", kept),
            (cold, serve, "/_mock/health", None),
        )
        for repeat in range(run.repeats + 1):  # the first start of each is not measured: a
            for name, argv, probe, env in servers:  # fresh install compiles its bytecode then
                with tempfile.TemporaryDirectory(prefix="mockcp-cold-") as empty:
                    port = free_port()
                    chosen = env if name != cold else {"MOCKCP_CACHE_DIR": empty}
                    server = Server([*argv, str(port)], port, probe, None, env=chosen)
                    if repeat > 0:
                        run.note(name, server.ready)
                    server.stop()


def gunicorn_rps(run: Run, url: str, workers: int, body: bytes) -> float:
    """Small-op requests per second at 16 clients from ``gunicorn -w workers`` on ``url``
    (the README's command; the workers build the minimal world themselves)."""
    port = free_port()
    env = {"MOCKCP_DB": url, "MOCKCP_FIXTURE": "minimal",
           "MOCKCP_CLOCK_MODE": "frozen", "MOCKCP_CLOCK_START": START}  # fmt: skip
    argv = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", "4",
            "-b", f"127.0.0.1:{port}", "mockcp.app:wsgi_from_env()"]  # fmt: skip
    server = Server(argv, port, "/_mock/health", None, env=env)
    try:
        _, answer = first_answer(server, body)
        assert b"getCPNInstancesResponse" in answer, answer[:300]
        load(server, SOAP, body, 4, run.window / 2)  # warm every worker
        rps, _ = load(server, SOAP, body, 16, run.window)
    finally:
        server.stop()
    return float(rps)


def gunicorns(run: Run) -> None:
    stores = {"SQLite": "", "PostgreSQL": os.environ.get("MOCKCP_TEST_POSTGRES_URL", "")}
    for store, url in stores.items():
        names = [GUNICORN.format(n, store) for n in (1, 2, 4)]
        if run.quick:
            run.skip(names, "quick mode: one process only")
            continue
        if store == "PostgreSQL" and not url:
            run.skip(names, "MOCKCP_TEST_POSTGRES_URL not set")
            continue
        _, bodies = in_process("minimal", "frozen")  # the same credentials as the workers' world
        for _ in range(run.repeats):
            for workers, name in zip((1, 2, 4), names, strict=True):
                if store == "SQLite":
                    url = f"sqlite:///{run.tmp / f'gunicorn-{time.monotonic_ns()}.sqlite3'}"
                else:
                    from bench_worlds import wipe

                    wipe(url)
                try:
                    run.note(name, gunicorn_rps(run, url, workers, bodies["getCPNInstances"]))
                except (OSError, AssertionError, TimeoutError) as exc:
                    print(f"gunicorn -w {workers} on {store} not measured: {exc!r}")


def paired_ms(a: Callable[[], object], b: Callable[[], object], n: int) -> tuple[float, float]:
    """Median ms of ``a`` and of ``b``, called alternately (the noise falls on both alike)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(n):
        for fn, samples in ((a, times[0]), (b, times[1])):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return 1000 * statistics.median(times[0]), 1000 * statistics.median(times[1])


def page(run: Run) -> None:
    """The 500-row page in process, alternated with the lxml floor of the same rows; the lean
    path's bytes checked against spyne's stock constructor's first."""
    from mockcp.soap.tuning import install_plain_init, uninstall_plain_init
    from mockcp.soap.types import MODULES

    (_, client), wide = in_process(str(BENCH / "wide.yaml"), "frozen")
    post = client.post
    answer = post(SOAP, data=wide["getStations"]).get_data()
    rows, body = rows_of(answer, "stationData")
    head = [(str(c.tag), c.text, ()) for c in body if c.tag != "stationData"]
    print(f"wide world page: {len(rows)} stationData rows, {len(answer):,} bytes")
    uninstall_plain_init(MODULES)
    stock = post(SOAP, data=wide["getStations"]).get_data()
    install_plain_init(MODULES)
    if stock != answer:
        raise SystemExit("the lean and stock paths answered different bytes")
    floor = (str(body.tag), dict(body.nsmap), head, rows)
    for _ in range(run.repeats):
        lean, bare = paired_ms(lambda: post(SOAP, data=wide["getStations"]),
                               lambda: render_floor(*floor), 3 if run.quick else 9)  # fmt: skip
        run.note(PAGE, lean)
        run.note(FLOOR, bare)


def reset(run: Run) -> None:
    """Reset then the first getStations, in process (the world planned at reset)."""
    world = "minimal" if run.quick else "demo"
    if run.quick:
        run.skip([RESET], "quick mode: the minimal world only")
    (app, client), bodies = in_process(world, "frozen")
    post = client.post
    post(SOAP, data=bodies["getStations"])
    for _ in range(run.repeats if run.quick else 2 * run.repeats + 1):
        start = time.perf_counter()
        app.reset()
        post(SOAP, data=bodies["getStations"])
        run.note(RESET.replace("demo", world), time.perf_counter() - start)


def realm(run: Run) -> None:
    """Every read of bench_realm on a 60- and a 6,000-station world (the caller's view the
    same), alternated call by call; the large world's build and first read."""
    names = [REALM.format(op, size) for op in REALM_OPS for size in (60, "6,000")]
    if run.quick:
        run.skip([*names, FIRST_READ], "quick mode: bench_realm.py --quick runs 60 vs 300")
        return
    from bench_realm import World, fixture

    small = World(fixture(run.tmp, 4), run.tmp / "realm-small.sqlite3")
    big = World(fixture(run.tmp, 400), run.tmp / "realm-large.sqlite3")
    run.note("6,000-station world: build (s)", big.built)
    run.note(FIRST_READ, big.first_read)
    for op in REALM_OPS:
        a, b = small.call(op), big.call(op)
        print(f"{op}: {a.count(b'<stationID>')} / {b.count(b'<stationID>')} station IDs")
    for _ in range(run.repeats):
        for op in REALM_OPS:
            ms_small, ms_large = paired_ms(lambda: small.call(op), lambda: big.call(op), 15)  # noqa: B023
            run.note(REALM.format(op, 60), ms_small)
            run.note(REALM.format(op, "6,000"), ms_large)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="CI: one short repeat")
    parser.add_argument("--markdown", action="store_true", help="the table in Markdown too")
    parser.add_argument("--only", help=f"some parts only, comma-separated: {', '.join(PARTS)}")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(PARTS)
    began = time.perf_counter()
    loads = os.getloadavg()
    print(f"load average at start: {loads}, cores: {os.cpu_count()}")
    failed = []
    with tempfile.TemporaryDirectory(prefix="mockcp-targets-") as tmp:
        # Planned images in a folder of this run, for every part and child (a world the user's
        # ~/.cache already holds would otherwise start in a copy's time in one run and not in
        # the next); ``starts`` keeps its own.
        os.environ["MOCKCP_CACHE_DIR"] = str(Path(tmp) / "images")
        run = Run(args.quick, 1 if args.quick else 3, 1.0 if args.quick else 3.0, Path(tmp))
        for name in chosen:
            start = time.perf_counter()
            try:
                PARTS[name](run)
            except Exception:  # noqa: BLE001  (the other parts are still measured and shown)
                traceback.print_exc()
                failed.append(f"{name} ({traceback.format_exc().strip().splitlines()[-1][:160]})")
            print(f"[{name}: {time.perf_counter() - start:.1f} s]", flush=True)
    table(run.results, run.skipped, (loads, os.getloadavg()), args.markdown)
    print(f"{len(TARGETS)} targets; the whole run took {time.perf_counter() - began:.0f} s")
    if failed:
        raise SystemExit("parts that failed: " + "; ".join(failed))


PARTS: dict[str, Callable[[Run], None]] = {
    "served": served,
    "starts": starts,
    "gunicorns": gunicorns,
    "page": page,
    "reset": reset,
    "realm": realm,
}


if __name__ == "__main__":
    main()
