"""The planner's generators (issue 18): what seeding them costs a world's build.

    .venv/bin/python bench/bench_station_day.py --baseline /path/to/older/checkout \
        [--repeats 5] [--worlds demo,minimal]

The older tree and this one (each names how its planner draws: ``rng.PLANNER``, e.g.
"port-day/1", one ``Random`` per port-day, per session's driver, per reservation, per
cancellation and per station-day's alarms; "station-day/2", one per station-day for all of
them) each build the world in a child process (frozen clock at a fixed start, a fresh SQLite
file, kept images off, its sources first on the path, this venv), interleaved; each child
reports the CPU of ``create_app``, the CPU of the planner itself (the planning passes,
``sim/store/engine._plan``), how many generators it seeded (``rng._SEED`` counted) and how
many sessions it planned (two planners that draw otherwise plan other worlds). Medians and
the ratios against the older tree, from the same run.

Then, in this process, what one generator costs and its parts: ``for_entity`` and a first
draw, ``derive_seed`` (sha256 of the parts' text, the candidate for a cheaper derivation)
and seeding the C generator alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

CHILD = """
import json, sys, tempfile, time
from datetime import UTC, datetime
from pathlib import Path
import mockcp.rng as rng
import mockcp.sim.store.engine as engine
from mockcp.app import create_app
from mockcp.config import Settings
seeded = [0]
planner = [0.0]
seed = rng._SEED
def counted(generator, value):
    seeded[0] += 1
    return seed(generator, value)
rng._SEED = counted
plan = engine._plan
def timed(*args):
    began = time.process_time()
    try:
        return plan(*args)
    finally:
        planner[0] += time.process_time() - began
engine._plan = timed
with tempfile.TemporaryDirectory() as folder:
    url = f"sqlite:///{Path(folder) / 'world.db'}"
    settings = Settings(database_url=url, fixture=sys.argv[1], clock_mode="frozen",
                        clock_start=datetime(2024, 3, 12, 17, tzinfo=UTC), planned_cache=False)
    began = time.process_time()
    create_app(settings).engine.dispose()
    build = time.process_time() - began
    from sqlalchemy import create_engine, text
    with create_engine(url).connect() as conn:
        sessions = conn.execute(text("select count(*) from charging_session")).scalar()
print(json.dumps({"build": build, "planner": planner[0], "generators": seeded[0],
                  "sessions": sessions, "drawn": getattr(rng, "PLANNER", "port-day/0")}))
"""


def child(fixture: str, tree: Path | None) -> dict[str, float | str]:
    """One build of ``fixture`` in a child process (``tree``'s mockcp first on the path)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKCP_")}
    env.update({"MOCKCP_PLANNED_CACHE": "off", "MOCKCP_CACHE_DIR": tempfile.mkdtemp()})
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    done = subprocess.run([sys.executable, "-P", "-c", CHILD, fixture], env=env, check=True,
                          capture_output=True, text=True, cwd=tempfile.gettempdir())  # fmt: skip
    found: dict[str, float | str] = json.loads(done.stdout.splitlines()[-1])
    return found


def builds(fixture: str, repeats: int, baseline: Path) -> None:
    trees: dict[str, Path | None] = {"baseline": baseline.resolve(), "this tree": None}
    drawn = {name: child(fixture, tree)["drawn"] for name, tree in trees.items()}  # (compiles)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(repeats):
        for name, tree in trees.items():
            found = child(fixture, tree)
            runs[name].append({k: float(v) for k, v in found.items() if k != "drawn"})
    medians = {
        name: {key: statistics.median(r[key] for r in found) for key in found[0]}
        for name, found in runs.items()
    }
    for name, got in medians.items():
        planner = [round(r["planner"], 3) for r in runs[name]]
        print(f"{fixture}, {name} ({drawn[name]}): create_app CPU {got['build']:.3f} s, "
              f"planner CPU {got['planner']:.3f} s {planner}, generators "
              f"{got['generators']:.0f}, sessions {got['sessions']:.0f}")  # fmt: skip
    old, new = medians["baseline"], medians["this tree"]
    print(f"{fixture}: planner CPU {new['planner'] / old['planner']:.3f} x baseline "
          f"(saved {old['planner'] - new['planner']:.3f} s), create_app "
          f"{new['build'] / old['build']:.3f} x, generators "
          f"{new['generators'] / old['generators']:.3f} x")  # fmt: skip


def one_generator() -> None:
    from mockcp.rng import _SEED, Random, derive_seed, for_entity

    def per_call(call: object, number: int = 20_000) -> float:
        return min(timeit.repeat(call, number=number, repeat=7)) / number * 1e6  # type: ignore[arg-type]

    value, plain = derive_seed(7, "x"), Random(0)
    whole = per_call(lambda: for_entity(7, "station-day", 123, "2024-03-01").random())
    derive = per_call(lambda: derive_seed(7, "station-day", 123, "2024-03-01"))
    seeding = per_call(lambda: _SEED(plain, value))
    print(f"one generator: for_entity + a first draw {whole:.2f} us; derive_seed (sha256) "
          f"{derive:.2f} us ({derive / whole:.0%}); seeding the C generator {seeding:.2f} us "
          f"({seeding / whole:.0%})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True, help="an older checkout")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worlds", default="demo,minimal")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    for fixture in args.worlds.split(","):
        builds(fixture, args.repeats, args.baseline)
    one_generator()
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
