"""A warm start's CPU (issue 18): a process that imports ``mockcp.app``, builds its app by
copying a kept planned image, and answers a first getCPNInstances in process.

    .venv/bin/python bench/bench_kept_start.py [--repeats 15] [--worlds minimal,demo]
                                               [--baseline /path/to/older/checkout]

Each start is a child of its own (bytecode caches on, as an installed package has them);
with ``--baseline``, the older tree's children (its own sources first on the path, the same
venv) are interleaved with this tree's. Each tree keeps its planned images in a folder of its
own, filled by an unmeasured first start; every measured start opens a fresh SQLite file, which
copies its image (``mockcp serve``'s default path on a fresh store, without the HTTP server).
A child reports ``time.process_time()`` (CPU since the interpreter began) after the imports,
after ``create_app`` and after the first call, and the third-party packages it imported that
a warm start does not need (yaml and faker: only a build reads a fixture or fakes one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from anchors import ENVELOPE, child_environment

START = "2024-03-12T17:00:00Z"
SOAP = "/webservices/chargepoint/services/5.1"

CHILD = r"""
import json, sys, tempfile, time
import mockcp.app as app_module
from mockcp.config import Settings, parse_start
from mockcp.domain.tenants import list_tenants
from werkzeug.test import Client
imported = time.process_time()
folder = tempfile.mkdtemp(dir=sys.argv[4])
app = app_module.create_app(Settings(
    database_url=f"sqlite:///{folder}/start.sqlite3", fixture=sys.argv[1],
    clock_mode="frozen", clock_start=parse_start(sys.argv[2]),
))
built = time.process_time()
unneeded = sorted(name for name in ("yaml", "faker") if name in sys.modules)
with app.sessions() as db:
    tenant = list_tenants(db)[0]
body = sys.argv[3].format(key=tenant.license_key, password=tenant.password,
                          body="<urn:getCPNInstances/>").encode()
answer = Client(app).post(sys.argv[5], data=body, content_type="text/xml").get_data()
called = time.process_time()
assert b"getCPNInstancesResponse" in answer, answer[:300]
app.close()
print(json.dumps({"imports": imported, "create_app returned": built, "first call answered": called,
                  "unneeded": unneeded}))
"""


Sample = tuple[dict[str, float], list[str]]  # (CPU seconds at each mark, unneeded imports)


def child(world: str, tree: Path | None, kept: Path, scratch: Path) -> Sample:
    extra = {"MOCKCP_CACHE_DIR": str(kept)}
    if tree is not None:
        extra["PYTHONPATH"] = str(tree)
    done = subprocess.run(
        [sys.executable, "-P", "-c", CHILD, world, START, ENVELOPE, str(scratch), SOAP],
        capture_output=True, text=True, check=True, env=child_environment(extra),
    )  # fmt: skip
    found = json.loads(done.stdout.strip().splitlines()[-1])
    unneeded = [str(name) for name in found.pop("unneeded")]
    return {mark: float(seconds) for mark, seconds in found.items()}, unneeded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--worlds", default="minimal,demo")
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout")
    args = parser.parse_args()
    trees: dict[str, Path | None] = {"mockcp": None}
    if args.baseline is not None:
        trees = {"baseline": args.baseline.resolve(), "mockcp": None}
    print(f"load average at start: {os.getloadavg()}, cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as where:
        scratch = Path(where)
        kept = {name: scratch / f"kept-{name}" for name in trees}
        for name, tree in trees.items():
            for world in args.worlds.split(","):
                child(world, tree, kept[name], scratch)  # fills the tree's kept image
        runs: dict[tuple[str, str], list[Sample]] = {}
        for _ in range(args.repeats):
            for world in args.worlds.split(","):
                for name, tree in trees.items():
                    runs.setdefault((name, world), []).append(
                        child(world, tree, kept[name], scratch)
                    )
    print(f"load average at end: {os.getloadavg()}")
    for (name, world), samples in runs.items():
        medians = {
            mark: 1000 * statistics.median(marks[mark] for marks, _ in samples)
            for mark in samples[0][0]
        }
        unneeded = sorted({name for _, names in samples for name in names})
        print(f"{name} {world}: CPU ms from the interpreter's start (medians of "
              f"{len(samples)}): " + ", ".join(f"{m} {v:.1f}" for m, v in medians.items())
              + f"; imported, not needed: {', '.join(unneeded) or 'none'}")  # fmt: skip


if __name__ == "__main__":
    main()
