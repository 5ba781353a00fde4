"""A child of bench_serving.py: one server on mockcp's stack with given waitress settings.

    python bench/serving_child.py WORLD|canned:RECS.json|canned-row:RECS.json PORT THREADS RUNNING

WORLD (minimal, demo) is built on a fresh SQLite file (or ``$BENCH_DB_URL``) with a frozen
clock, and its first tenant's licence key and password are printed on one line; ``canned``
replays recorded answers (bench/canned_server.py), ``canned-row`` also commits one SQLite row
per call before it answers. RUNNING is ``ServerLimits.running``
(how many run at once unless stuck; 0: no limit, as waitress alone).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: bench.*

from bench.canned_server import canned_app, row_writer  # noqa: E402
from mockcp.server import ServerLimits, serve_forever  # noqa: E402

START = "2024-03-12T17:00:00Z"


def mockcp_app(world: str) -> Callable[..., Iterable[bytes]]:
    from mockcp.app import create_app
    from mockcp.config import Settings, parse_start
    from mockcp.domain.tenants import list_tenants

    url = os.environ.get("BENCH_DB_URL") or f"sqlite:///{tempfile.mkdtemp()}/serving.sqlite3"
    settings = Settings(
        database_url=url, fixture=world, clock_mode="frozen", clock_start=parse_start(START)
    )
    app: Any = create_app(settings)
    with app.sessions() as db:
        tenant = list_tenants(db)[0]
    print(tenant.license_key, tenant.password, flush=True)
    return app  # type: ignore[no-any-return]


def main() -> None:
    what, port, threads, running = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    logging.basicConfig(level=logging.WARNING)  # as ``mockcp serve``
    logging.getLogger("spyne").setLevel(logging.CRITICAL)  # as ``cli.serving_scope``
    if what.startswith(("canned:", "canned-row:")):
        with open(what.split(":", 1)[1], encoding="utf-8") as handle:
            recordings = {k: v.encode("latin-1") for k, v in json.load(handle).items()}
        rows = f"{tempfile.mkdtemp()}/rows.sqlite3" if what.startswith("canned-row:") else None
        app = canned_app(recordings, row_writer(rows) if rows else None)
    else:
        app = mockcp_app(what)
    serve_forever(app, "127.0.0.1", port, ServerLimits(threads=int(threads), running=int(running)))


if __name__ == "__main__":
    main()
