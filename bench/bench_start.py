"""Start to ready (issue 18): ``mockcp serve`` against moto_server, and where mockcp's start goes.

    .venv/bin/python bench/bench_start.py [--repeats 3] [--worlds minimal,demo] [--no-moto]

Start to ready is spawn to the first HTTP answer, interleaved: moto_server (from a throwaway
venv in bench/.cache, as bench_anchors does), then ``mockcp serve`` on a fresh SQLite file per
world (frozen clock at a fixed start). Then, in a child per world, the phases of a start:
importing mockcp, loading the world, planning its history (``materialize``), the rest of
``create_app``; and what opening the same store again costs after a file copy (what a kept
planned image would cost a fresh store instead of a build).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from anchors import Server, free_port, moto_server

START = "2024-03-12T17:00:00Z"

PHASES = r"""
import json, os, shutil, sys, tempfile, time
began = time.perf_counter()
import mockcp.app as app_module
from mockcp.config import Settings, parse_start
imported = time.perf_counter() - began
spent = {}
def timed(name, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
    return wrapper
app_module.load_world = timed("load the world", app_module.load_world)
app_module.materialize = timed("plan its history", app_module.materialize)
folder = tempfile.mkdtemp()
def settings(where):
    return Settings(database_url=f"sqlite:///{where}/start.sqlite3", fixture=sys.argv[1],
                    clock_mode="frozen", clock_start=parse_start(sys.argv[2]))
start = time.perf_counter()
app = app_module.create_app(settings(folder))
built = time.perf_counter() - start
app.close()
start = time.perf_counter()
shutil.copytree(folder, folder + "-copy")
copied = time.perf_counter() - start
start = time.perf_counter()
app_module.create_app(settings(folder + "-copy")).close()
opened = time.perf_counter() - start
size = sum(os.path.getsize(os.path.join(folder, name)) for name in os.listdir(folder))
print(json.dumps({"import mockcp.app": imported, "create_app": built, **spent,
                  "copy the store's files": copied, "open the copy": opened, "MB": size / 1e6}))
"""


def started(argv: list[str], port: int, probe: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from spawn to the first answer."""
    server = Server(argv, port, probe, None)
    cpu = server.cpu()
    server.stop()
    return server.ready, cpu


def serve_ready(world: str, folder: Path) -> tuple[float, float]:
    port = free_port()
    db = f"sqlite:///{folder}/s.db"
    argv = [sys.executable, "-P", "-m", "mockcp", "serve", "--port", str(port)]
    argv += ["--fixture", world, "--clock", "frozen", "--start", START, "--db", db]
    return started(argv, port, "/_mock/health")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worlds", default="minimal,demo")
    parser.add_argument("--no-moto", action="store_true")
    args = parser.parse_args()
    worlds = args.worlds.split(",")
    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    moto = None if args.no_moto else moto_server()
    if isinstance(moto, str):
        print(f"moto_server not measured: {moto}")
    ready: dict[str, list[tuple[float, float]]] = {}
    scratch = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip())
    for repeat in range(args.repeats):
        if isinstance(moto, Path):
            port = free_port()
            moto_run = started([str(moto), "-p", str(port)], port, "/")
            ready.setdefault("moto_server", []).append(moto_run)
        for world in worlds:
            folder = scratch / f"{world}-{repeat}"
            folder.mkdir()
            ready.setdefault(f"mockcp serve, {world}", []).append(serve_ready(world, folder))
    print(f"load average after the starts: {os.getloadavg()}")
    for name, runs in ready.items():
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(f"start to ready, {name}: median {wall:.2f} s, CPU {cpu:.2f} s  "
              f"(wall {[round(run[0], 2) for run in runs]})")  # fmt: skip
    for world in worlds:
        out = subprocess.run(
            [sys.executable, "-P", "-c", PHASES, world, START],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        phases = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"phases of a start, {world}: " + ", ".join(
            f"{name} {value:.2f}{'' if name == 'MB' else ' s'}" for name, value in phases.items()
        ))  # fmt: skip
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
