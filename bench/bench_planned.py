"""Start to ready with kept planned images (issue 18): what the image cache saves a start.

    .venv/bin/python bench/bench_planned.py [--repeats 3] [--no-moto]
                                            [--baseline /path/to/older/checkout] [--planning-only]

``mockcp serve`` as a user runs it, with no flags (the demo world, a realtime clock, the default
start, a fresh temporary store) and with ``--fixture minimal``, each: on an empty image cache
(the first start: it builds and keeps the image), on the cache that start left (the next start:
it copies the image), and with ``MOCKCP_PLANNED_CACHE=off`` (every start builds). moto_server's
start is the anchor (started once unmeasured first: its first start compiles bytecode).
Interleaved repeats, medians of the wall time and the CPU from spawn to the first answer of
``/_mock/health``; each repeat has a cache folder of its own, never the user's.

With ``--baseline``, the older tree's first starts are measured beside (its own cache
folders, its sources first on the path). Then the planner itself: the CPU of ``create_app``
building the demo and the minimal world (a frozen clock at a fixed start, a fresh SQLite
file, kept images off) in a child process each, and with ``--baseline`` the same in the
older tree (its sources first on the path, this venv), interleaved, with the ratio of the
medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from anchors import Server, free_port, moto_server

WORLDS: dict[str, list[str]] = {"demo (no flags)": [], "minimal": ["--fixture", "minimal"]}


def ready(
    argv: list[str], port_flag: str, probe: str, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from spawn to the first answer."""
    port = free_port()
    server = Server([*argv, port_flag, str(port)], port, probe, None, env=env)
    cpu = server.cpu()
    server.stop()
    return server.ready, cpu


def serve(world: list[str], env: dict[str, str]) -> tuple[float, float]:
    argv = [sys.executable, "-P", "-m", "mockcp", "serve", *world]
    return ready(argv, "--port", "/_mock/health", env)


BUILD = """
import sys, tempfile, time
from datetime import UTC, datetime
from pathlib import Path
from mockcp.app import create_app
from mockcp.config import Settings
with tempfile.TemporaryDirectory() as folder:
    url = f"sqlite:///{Path(folder) / 'world.db'}"
    settings = Settings(database_url=url, fixture=sys.argv[1], clock_mode="frozen",
                        clock_start=datetime(2024, 3, 12, 17, tzinfo=UTC), planned_cache=False)
    began = time.process_time()
    create_app(settings).engine.dispose()
    print(time.process_time() - began)
"""


def build_cpu(fixture: str, tree: Path | None) -> float:
    """CPU seconds of one ``create_app`` build of ``fixture`` in a child (``tree``'s mockcp)."""
    env = {**os.environ, "MOCKCP_PLANNED_CACHE": "off"}
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    done = subprocess.run([sys.executable, "-P", "-c", BUILD, fixture], env=env, check=True,
                          capture_output=True, text=True, cwd=tempfile.gettempdir())  # fmt: skip
    return float(done.stdout.split()[-1])


def planning(repeats: int, baseline: Path | None) -> None:
    trees: dict[str, Path | None] = {"mockcp": None}
    if baseline is not None:
        trees = {"baseline": baseline.resolve(), **trees}
    found: dict[tuple[str, str], list[float]] = {}
    for _ in range(repeats):
        for fixture in ("demo", "minimal"):
            for name, tree in trees.items():
                found.setdefault((fixture, name), []).append(build_cpu(fixture, tree))
    for fixture in ("demo", "minimal"):
        medians = {name: statistics.median(found[fixture, name]) for name in trees}
        ratio = (f", {medians['mockcp'] / medians['baseline']:.2f} x baseline"
                 if "baseline" in medians else "")  # fmt: skip
        for name in trees:
            runs = [round(v, 3) for v in found[fixture, name]]
            shown = ratio if name == "mockcp" else ""
            print(f"create_app build CPU, {fixture}, {name}: median {medians[name]:.3f} s "
                  f"({runs}){shown}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout")
    parser.add_argument("--planning-only", action="store_true")
    args = parser.parse_args()
    for name in [k for k in os.environ if k.startswith("MOCKCP_")]:
        del os.environ[name]  # the children's settings are this script's
    if args.planning_only:
        print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
        planning(args.repeats, args.baseline)
        print(f"load average at end: {os.getloadavg()}")
        return
    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    moto = None if args.no_moto else moto_server()
    if isinstance(moto, str):
        print(f"moto_server not measured: {moto}")
    elif moto is not None:
        ready([str(moto)], "-p", "/")  # unmeasured: its first start compiles bytecode
    runs: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-planned-") as scratch:
        for repeat in range(args.repeats):
            if isinstance(moto, Path):
                runs.setdefault("moto_server", []).append(ready([str(moto)], "-p", "/"))
            for world, flags in WORLDS.items():
                if args.baseline is not None:  # the older tree's first start, on its own folder
                    old = {"MOCKCP_CACHE_DIR": str(Path(scratch) / f"old-{repeat}-{len(flags)}"),
                           "PYTHONPATH": str(args.baseline.resolve())}  # fmt: skip
                    runs.setdefault(f"{world}, first start, baseline", []).append(serve(flags, old))
                cache = {"MOCKCP_CACHE_DIR": str(Path(scratch) / f"{repeat}-{len(flags)}")}
                runs.setdefault(f"{world}, first start", []).append(serve(flags, cache))
                runs.setdefault(f"{world}, next start", []).append(serve(flags, cache))
                off = {**cache, "MOCKCP_PLANNED_CACHE": "off"}
                runs.setdefault(f"{world}, cache off", []).append(serve(flags, off))
    print(f"load average at end: {os.getloadavg()}")
    moto_wall = statistics.median(r[0] for r in runs["moto_server"]) if "moto_server" in runs else 0
    for name, found in runs.items():
        wall = statistics.median(r[0] for r in found)
        cpu = statistics.median(r[1] for r in found)
        ratio = f", {wall / moto_wall:.2f} x moto_server" if moto_wall else ""
        print(f"start to ready, {name}: median {wall:.2f} s, CPU {cpu:.2f} s{ratio}  "
              f"(wall {[round(r[0], 2) for r in found]})")  # fmt: skip
    planning(args.repeats, args.baseline)
    print(f"load average after the builds: {os.getloadavg()}")


if __name__ == "__main__":
    main()
