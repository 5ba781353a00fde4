"""Start to ready (issue 18): ``mockcp serve`` against moto_server, and where mockcp's start goes.

    .venv/bin/python bench/bench_start.py [--repeats 5] [--worlds minimal,demo] [--no-moto]
                                          [--baseline /path/to/older/checkout] [--kept]

Two measures from spawn, interleaved, each start its own process:
- **ready**: the first HTTP answer (mockcp: ``/_mock/health``; moto_server: ``/``), and then
  the latency of mockcp's first SOAP call once ready (work moved from the start to the first
  call would show there);
- **first answer**: the first real API answer, sent as soon as the port takes it: mockcp's
  getCPNInstances through a WS-Security envelope (as bench_anchors.py builds them), moto's STS
  GetCallerIdentity (moto loads a service's backend on its first call). A start that moved its
  work to the first call shows here;
- **WSDL then first answer** (mockcp): the served WSDL fetched first, as a zeep client built
  from it does (the WSDL document is built on its first request).
With ``--baseline``, the older tree's mockcp (the same venv, its own sources first on the path)
is started beside, interleaved. Every start builds its world, unless ``--kept``: then each
tree keeps planned images in a folder of its own (``MOCKCP_CACHE_DIR``), filled by the
unmeasured start, and every measured start copies its kept image (``mockcp serve``'s default
on a fresh store). Every child writes and reads bytecode caches, as an installed
package does (``PYTHONDONTWRITEBYTECODE`` is not passed on), and each server starts once,
unmeasured, first: a fresh install compiles its bytecode then.

Then, in a child per tree and world (CPU ms, medians of the repeats, the collector on or off
as that tree's ``mockcp serve`` has it while starting): importing the
third-party stack, then mockcp's own modules on top (``mockcp.app``); ``create_app`` and its
phases (loading the world, planning its history, the rest); the first getCPNInstances in
process; and what opening the same store again costs after a file copy (what a kept planned
image would cost a fresh store instead of a build).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from anchors import (
    ENVELOPE,
    Server,
    banner_credentials,
    child_environment,
    free_port,
    moto_server,
    tree_cpu,
)

START = "2024-03-12T17:00:00Z"
SOAP = "/webservices/chargepoint/services/5.1"
WSDL = "/cp_api_5.1.wsdl"
STS = (  # moto picks the service from the credential scope; the signature is not checked
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240312/us-east-1/sts/aws4_request, "
    "SignedHeaders=host, Signature=00"
)
THIRD_PARTY = (
    "sqlalchemy.orm", "spyne.application", "spyne.server.wsgi", "spyne.protocol.soap",
    "werkzeug.wrappers", "lxml.etree", "yaml", "waitress.server",
)  # fmt: skip

PHASES = r"""
import gc, json, os, shutil, sys, tempfile, time
if sys.argv[5] == "collector off":  # as this tree's mockcp serve starts (mockcp/startgc.py)
    gc.disable()
clock = time.process_time
began = clock()
for name in THIRD_PARTY:
    __import__(name)
third = clock() - began
began = clock()
import mockcp.app as app_module
from mockcp.config import Settings, parse_start
from mockcp.domain.tenants import list_tenants
from werkzeug.test import Client
imported = clock() - began
spent = {}
def timed(name, fn):
    def wrapper(*args, **kwargs):
        start = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + clock() - start
    return wrapper
app_module.load_world = timed("load the world", app_module.load_world)
app_module.materialize = timed("plan its history", app_module.materialize)
folder = tempfile.mkdtemp()
# Every phase builds (Settings made by hand do not read MOCKCP_PLANNED_CACHE); an older
# tree has no kept images at all.
NO_IMAGES = {"planned_cache": False} if "planned_cache" in Settings.__dataclass_fields__ else {}
def settings(where):
    return Settings(database_url=f"sqlite:///{where}/start.sqlite3", fixture=sys.argv[1],
                    clock_mode="frozen", clock_start=parse_start(sys.argv[2]), **NO_IMAGES)
start = clock()
app = app_module.create_app(settings(folder))
built = clock() - start
with app.sessions() as db:
    tenant = list_tenants(db)[0]
body = sys.argv[3].format(key=tenant.license_key, password=tenant.password,
                          body="<urn:getCPNInstances/>").encode()
start = clock()
answer = Client(app).post(sys.argv[4], data=body, content_type="text/xml").get_data()
first = clock() - start
assert b"getCPNInstancesResponse" in answer, answer[:300]
app.close()
start = clock()
shutil.copytree(folder, folder + "-copy")
copied = clock() - start
start = clock()
app_module.create_app(settings(folder + "-copy")).close()
opened = clock() - start
print(json.dumps({"import the third-party stack": third, "import mockcp.app on top": imported,
                  "create_app": built, **spent,
                  "create_app, the rest": built - sum(spent.values()),
                  "first getCPNInstances in process": first,
                  "copy the store's files": copied, "open the copy": opened}))
"""


def child_env(tree: Path | None, kept: Path | None = None) -> dict[str, str]:
    """The environment of a child (anchors.child_environment: bytecode caches on), with kept
    planned images off, so every start builds its world, or kept in the folder ``kept``;
    ``tree``: that checkout's mockcp first on the path."""
    extra = {"MOCKCP_PLANNED_CACHE": "off"}  # every start builds (bench_planned.py: the copies)
    if kept is not None:
        extra = {"MOCKCP_CACHE_DIR": str(kept)}
    if tree is not None:
        extra["PYTHONPATH"] = str(tree)
    env: dict[str, str] = child_environment(extra)
    return env


def collector(tree: Path | None) -> str:
    """How the tree's ``mockcp serve`` runs Python's collector while it starts."""
    source = (tree or Path(__file__).resolve().parent.parent) / "mockcp" / "startgc.py"
    return "collector off" if source.exists() else "collector on"


def answered(url: str, body: bytes | None, headers: dict[str, str], wanted: bytes) -> bytes:
    """Post ``body`` (None: get) to ``url`` until the port takes it; the answer must hold
    ``wanted``."""
    while True:
        method = "GET" if body is None else "POST"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                data = bytes(reply.read())
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{url}: HTTP {error.code} {error.read()[:300]!r}") from None
        except OSError:
            time.sleep(0.01)  # as anchors.wait_http polls
            continue
        if wanted not in data:
            raise RuntimeError(f"{url}: no {wanted!r} in {data[:300]!r}")
        return data


def first_answer(
    argv: Sequence[str], port: int, body: bytes, headers: dict[str, str], wanted: bytes,
    path: str, env: dict[str, str], wsdl: str | None = None,
) -> tuple[float, float]:  # fmt: skip
    """(wall, CPU) seconds from spawn to the first real API answer; with ``wsdl``, that
    document is fetched first, as a zeep client built from the served WSDL does."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        if wsdl is not None:
            answered(f"http://127.0.0.1:{port}{wsdl}", None, {}, b"definitions")
        answered(f"http://127.0.0.1:{port}{path}", body, headers, wanted)
        wall = time.perf_counter() - start
        return wall, tree_cpu(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)


def started(
    argv: list[str], port: int, probe: str, env: dict[str, str], call: bytes | None = None,
    calls: list[float] | None = None,
) -> tuple[float, float]:  # fmt: skip
    """(wall seconds, CPU seconds) from spawn to the first answer; with ``call``, then the
    latency of the first SOAP call after ready is added to ``calls`` (seconds)."""
    server = Server(argv, port, probe, None, env=env)
    cpu = server.cpu()
    if call is not None and calls is not None:
        start = time.perf_counter()
        answered(server.url + SOAP, call, {"Content-Type": "text/xml"}, b"getCPNInstancesResponse")
        calls.append(time.perf_counter() - start)
    server.stop()
    return server.ready, cpu


def serve_argv(world: str, folder: Path, port: int) -> list[str]:
    db = f"sqlite:///{folder}/s.db"
    return [sys.executable, "-P", "-m", "mockcp", "serve", "--port", str(port),
            "--fixture", world, "--clock", "frozen", "--start", START, "--db", db]  # fmt: skip


def credentials(world: str, folder: Path, env: dict[str, str]) -> bytes:
    """The getCPNInstances envelope of the world's first tenant, read from the banner of an
    unmeasured start (which also writes the tree's bytecode caches)."""
    port = free_port()
    server = Server(serve_argv(world, folder, port), port, "/_mock/health", None, env=env)
    key, password = banner_credentials(server)
    server.stop()
    envelope: str = ENVELOPE.format(key=key, password=password, body="<urn:getCPNInstances/>")
    return envelope.encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worlds", default="minimal,demo")
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout")
    parser.add_argument("--kept", action="store_true", help="starts copy kept planned images")
    args = parser.parse_args()
    worlds = args.worlds.split(",")
    trees: dict[str, Path | None] = {"mockcp": None}
    if args.baseline is not None:
        trees = {"baseline": args.baseline.resolve(), "mockcp": None}
    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    moto = None if args.no_moto else moto_server()
    if isinstance(moto, str):
        print(f"moto_server not measured: {moto}")
    scratch = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip())
    kept = {tree: scratch / f"kept-{tree}" if args.kept else None for tree in trees}
    bodies = {}
    for tree, where in trees.items():
        for world in worlds:
            folder = scratch / f"{tree}-{world}-warm"
            folder.mkdir()
            bodies[tree, world] = credentials(world, folder, child_env(where, kept[tree]))
    moto_env = child_env(None)
    if isinstance(moto, Path):
        port = free_port()
        started([str(moto), "-p", str(port)], port, "/", moto_env)  # unmeasured, as above
    runs: dict[str, list[tuple[float, float]]] = {}
    first_calls: dict[str, list[float]] = {}
    for repeat in range(args.repeats):
        if isinstance(moto, Path):
            port = free_port()
            runs.setdefault("ready, moto_server", []).append(
                started([str(moto), "-p", str(port)], port, "/", moto_env)
            )
            port = free_port()
            headers = {"Authorization": STS, "Content-Type": "application/x-www-form-urlencoded"}
            body = b"Action=GetCallerIdentity&Version=2011-06-15"
            runs.setdefault("first answer, moto_server (STS)", []).append(first_answer(
                [str(moto), "-p", str(port)], port, body, headers,
                b"GetCallerIdentityResponse", "/", moto_env,
            ))  # fmt: skip
        for tree, where in trees.items():
            env = child_env(where, kept[tree])
            for world in worlds:
                folder = scratch / f"{tree}-{world}-{repeat}"
                (folder / "r").mkdir(parents=True)
                (folder / "a").mkdir()
                port = free_port()
                after = first_calls.setdefault(f"{tree} serve {world}", [])
                runs.setdefault(f"ready, {tree} serve {world}", []).append(started(
                    serve_argv(world, folder / "r", port), port, "/_mock/health", env,
                    bodies[tree, world], after,
                ))  # fmt: skip
                port = free_port()
                runs.setdefault(f"first answer, {tree} serve {world}", []).append(first_answer(
                    serve_argv(world, folder / "a", port), port, bodies[tree, world],
                    {"Content-Type": "text/xml; charset=utf-8"}, b"getCPNInstancesResponse",
                    SOAP, env,
                ))  # fmt: skip
                (folder / "w").mkdir()
                port = free_port()
                runs.setdefault(f"WSDL then first answer, {tree} serve {world}", []).append(
                    first_answer(
                        serve_argv(world, folder / "w", port), port, bodies[tree, world],
                        {"Content-Type": "text/xml; charset=utf-8"}, b"getCPNInstancesResponse",
                        SOAP, env, WSDL,
                    )
                )  # fmt: skip
    print(f"load average after the starts: {os.getloadavg()}")
    for name, samples in runs.items():
        wall = statistics.median(run[0] for run in samples)
        cpu = statistics.median(run[1] for run in samples)
        print(f"{name}: median {wall:.3f} s wall, CPU {cpu:.3f} s  "
              f"(wall {[round(run[0], 3) for run in samples]})")  # fmt: skip
    for name, seconds in first_calls.items():
        print(f"the first SOAP call after ready, {name}: median "
              f"{1000 * statistics.median(seconds):.1f} ms "
              f"({[round(1000 * s, 1) for s in seconds]})")  # fmt: skip
    for tree, where in trees.items():
        for world in worlds:
            phases: dict[str, list[float]] = {}
            for _ in range(args.repeats):
                out = subprocess.run(
                    [sys.executable, "-P", "-c", f"THIRD_PARTY = {THIRD_PARTY!r}\n" + PHASES,
                     world, START, ENVELOPE, SOAP, collector(where)],
                    capture_output=True, text=True, check=True, env=child_env(where),
                )  # fmt: skip
                for name, value in json.loads(out.stdout.strip().splitlines()[-1]).items():
                    phases.setdefault(name, []).append(value)
            print(f"phases of a start, {tree}, {world} (CPU ms, medians): " + ", ".join(
                f"{name} {1000 * statistics.median(values):.0f}" for name, values in phases.items()
            ))  # fmt: skip
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
