"""CPU per small call in process, this tree against an older checkout, alternated (issue 18).

    .venv/bin/python bench/bench_percall.py [--baseline /path/to/old/checkout] [--rounds 3]

Each round runs one child process per tree (the older one with its checkout first on the
path), each timing ``getCPNInstances`` through the whole WSGI app (guard, gate, state read,
recorder and journal, SOAP path) on a fresh SQLite file, minimal world, frozen clock: the
median of five batches of ``time.process_time`` per call. Rounds alternate the trees, so the
machine's load falls on both alike; the ratio is what counts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import io, statistics, sys, tempfile, time
sys.path.insert(0, {bench!r})
from anchors import ENVELOPE
from mockcp.app import create_app
import mockcp.app as mockcp_app
from mockcp.config import Settings, parse_start
from mockcp.domain.tenants import list_tenants
url = f"sqlite:///{{tempfile.mkdtemp()}}/percall.sqlite3"
app = create_app(Settings(database_url=url, fixture="minimal", clock_mode="frozen",
                          clock_start=parse_start("2024-03-12T17:00:00Z")))
with app.sessions() as db:
    tenant = list_tenants(db)[0]
body = ENVELOPE.format(key=tenant.license_key, password=tenant.password,
                       body="<urn:getCPNInstances/>").encode()
base = {{"REQUEST_METHOD": "POST", "PATH_INFO": "/webservices/chargepoint/services/5.1",
        "CONTENT_TYPE": "text/xml", "SERVER_NAME": "bench", "SERVER_PORT": "80",
        "wsgi.url_scheme": "http", "SERVER_PROTOCOL": "HTTP/1.1"}}
def call():
    environ = dict(base, CONTENT_LENGTH=str(len(body)))
    environ["wsgi.input"] = io.BytesIO(body)
    answer = b"".join(app(environ, lambda *_: None))
    assert b"<cpnName>" in answer, answer[:300]
for _ in range(200):
    call()
batches = []
for _ in range(5):
    start = time.process_time()
    for _ in range({calls}):
        call()
    batches.append((time.process_time() - start) / {calls} * 1000)
print(mockcp_app.__file__, file=sys.stderr)
print(statistics.median(batches))
"""


def cpu_per_call(tree: str | None, calls: int) -> float:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = tree
    code = CHILD.format(bench=str(Path(__file__).resolve().parent), calls=calls)
    out = subprocess.run(
        [sys.executable, "-P", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    print(f"  {out.stderr.strip().splitlines()[-1]}: {out.stdout.strip()} ms")
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="an older checkout to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=400)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    new: list[float] = []
    old: list[float] = []
    for _ in range(args.rounds):
        new.append(cpu_per_call(None, args.calls))
        if args.baseline:
            old.append(cpu_per_call(args.baseline, args.calls))
    print(f"load average at end: {os.getloadavg()}")
    print(f"this tree: getCPNInstances CPU ms/call {statistics.median(new):.3f}  ({new})")
    if old:
        print(f"baseline:  getCPNInstances CPU ms/call {statistics.median(old):.3f}  ({old})")
        print(f"ratio baseline / this tree: {statistics.median(old) / statistics.median(new):.2f}")


if __name__ == "__main__":
    main()
