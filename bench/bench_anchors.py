"""mockcp against anchors, side by side in one run (issue 18).

    .venv/bin/python bench/bench_anchors.py            # full: 3 interleaved repeats, medians
    .venv/bin/python bench/bench_anchors.py --quick    # CI: one short repeat, Python anchors only

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
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anchors import (  # noqa: E402  (bench/ is not a package on the path)
    BENCH,
    ENVELOPE,
    Server,
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


def serve_mockcp(db: Path, fixture: str, clock: str) -> tuple[Server, dict[str, bytes]]:
    """``mockcp serve`` on a fresh SQLite file; its first tenant's request bodies."""
    port = free_port()
    argv = [
        sys.executable,
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
    server = Server(argv, port, "/_mock/health", None)
    assert server.proc.stdout is not None
    key = password = ""
    for line in server.proc.stdout:
        if "licence key" in line:
            key = line.split()[-1]
        elif "password" in line:
            password = line.split()[-1]
            break
    bodies = {
        op: ENVELOPE.format(key=key, password=password, body=xml).encode()
        for op, xml in OPS.items()
    }
    return server, bodies


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


def in_process(fixture: str, clock: str) -> tuple[object, dict[str, bytes]]:
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


def main() -> None:  # noqa: PLR0915  (one linear script of measurements)
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one short repeat, no Java/moto")
    args = parser.parse_args()
    repeats, window = (1, 1.0) if args.quick else (3, 3.0)
    results: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        results.setdefault(name, []).append(value)

    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    tmp = Path(tempfile.mkdtemp(prefix="mockcp-anchors-"))

    # mockcp serve, frozen clock, demo world: start-to-ready and the recorded answers.
    mock, bodies = serve_mockcp(tmp / "frozen.sqlite3", "demo", "frozen")
    note("mockcp serve: start to ready (s)", mock.ready)
    first, _ = first_answer(mock, bodies["getCPNInstances"])
    note("mockcp serve: first read incl. planning (s)", first)
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
    live, live_bodies = serve_mockcp(tmp / "live.sqlite3", "demo", "realtime")
    first_answer(live, live_bodies["getCPNInstances"])  # plan its history before measuring

    anchors: list[tuple[str, Server]] = [("canned", canned), ("mockcp", mock)]
    jar = None if args.quick else wiremock_jar()
    if isinstance(jar, Path):
        port = free_port()
        root = wiremock_root(recordings, SOAP)
        wiremock = Server(
            [
                "java",
                "-jar",
                str(jar),
                "--port",
                str(port),
                "--root-dir",
                str(root),
                "--disable-banner",
                "--no-request-journal",
            ],
            port,
            "/__admin/mappings",
            None,
        )
        anchors.append(("wiremock", wiremock))
    elif jar is not None:
        print(f"WireMock not measured: {jar}")

    small = bodies["getCPNInstances"]
    for _ in range(repeats):  # interleaved: each repeat measures every server in turn
        for name, server in anchors:
            body = small
            for clients in (1, 16):
                rps, cpu = load(server, SOAP, body, clients, window)
                note(f"{name}: getCPNInstances req/s, {clients} client(s)", rps)
                note(f"{name}: getCPNInstances server CPU ms/req, {clients} client(s)", cpu)
        for name, server, op_bodies in (("frozen", mock, bodies), ("realtime", live, live_bodies)):
            for op in ("getStationStatus", "getStations"):
                rps, cpu = load(server, SOAP, op_bodies[op], 1, window)
                note(f"mockcp {name} clock: {op} (demo, all rows) CPU ms/req", cpu)
    for server in (canned, mock, live, *(s for n, s in anchors if n == "wiremock")):
        server.stop()

    # moto_server's start-to-ready, beside mockcp's.
    moto = None if args.quick else moto_server()
    if isinstance(moto, Path):
        for _ in range(repeats):
            port = free_port()
            server = Server([str(moto), "-p", str(port)], port, "/", None)
            note("moto_server: start to ready (s)", server.ready)
            server.stop()
            again, _ = serve_mockcp(tmp / f"again{_}.sqlite3", "demo", "frozen")
            note("mockcp serve: start to ready (s)", again.ready)
            again.stop()
    elif moto is not None:
        print(f"moto_server not measured: {moto}")

    # The 500-row page, in process, against the pure-lxml floor of the same rows.
    (app, client), wide = in_process(str(BENCH / "wide.yaml"), "frozen")
    page = client.post(SOAP, data=wide["getStations"]).get_data()  # type: ignore[attr-defined]
    rows, body = rows_of(page, "stationData")
    head = [(str(c.tag), c.text, ()) for c in body if c.tag != "stationData"]
    print(f"wide world page: {len(rows)} stationData rows, {len(page):,} bytes")
    for _ in range(repeats):
        note(
            "mockcp: 500-row getStations page, in process (ms)",
            median_ms(lambda: client.post(SOAP, data=wide["getStations"]), 3),
        )  # type: ignore[attr-defined]
        note(
            "floor: lxml render of the same rows from tuples (ms)",
            median_ms(lambda: render_floor(str(body.tag), dict(body.nsmap), head, rows), 3),
        )

    # Reset then first read, demo world, in process.
    (app, client), demo = in_process("demo", "frozen")
    for _ in range(repeats):
        start = time.perf_counter()
        app.reset()  # type: ignore[attr-defined]
        client.post(SOAP, data=demo["getStations"])  # type: ignore[attr-defined]
        note("mockcp: reset + first getStations, demo world (s)", time.perf_counter() - start)

    print(f"load average at end: {os.getloadavg()}")
    print(f"{'measure':<72} median  (samples)")
    for name, values in results.items():
        shown = ", ".join(f"{v:.3g}" for v in values)
        print(f"{name:<72} {statistics.median(values):.4g}  ({shown})")
    ratios(results)


def ratios(results: dict[str, list[float]]) -> None:
    def m(name: str) -> float | None:
        values = results.get(name)
        return statistics.median(values) if values else None

    def show(label: str, top: str, bottom: str) -> None:
        a, b = m(top), m(bottom)
        if a is not None and b:
            print(f"ratio  {label:<64} {a / b:.2f}")

    for n in (1, 16):
        rps = f"getCPNInstances req/s, {n} client(s)"
        show(
            f"small op throughput mockcp / canned ceiling ({n} clients)",
            f"mockcp: {rps}",
            f"canned: {rps}",
        )
        show(
            f"small op throughput mockcp / WireMock ({n} clients)",
            f"mockcp: {rps}",
            f"wiremock: {rps}",
        )
    show(
        "mockcp throughput 16 clients / 1 client",
        "mockcp: getCPNInstances req/s, 16 client(s)",
        "mockcp: getCPNInstances req/s, 1 client(s)",
    )
    show(
        "500-row page mockcp / lxml floor",
        "mockcp: 500-row getStations page, in process (ms)",
        "floor: lxml render of the same rows from tuples (ms)",
    )
    for op in ("getStationStatus", "getStations"):
        show(
            f"{op} realtime / frozen clock (CPU per request)",
            f"mockcp realtime clock: {op} (demo, all rows) CPU ms/req",
            f"mockcp frozen clock: {op} (demo, all rows) CPU ms/req",
        )
    show(
        "start to ready mockcp / moto_server",
        "mockcp serve: start to ready (s)",
        "moto_server: start to ready (s)",
    )


if __name__ == "__main__":
    main()
