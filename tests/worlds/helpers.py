"""Control-plane calls for the world tests (JSON in, status and JSON out), and a SQLite
file's tables as sorted rows (to compare two stores table for table)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from mockcp.app import MockChargePointApp
from mockcp.db.images import PREFIX

# Wall-clock columns: when the clock was anchored, when the start image was taken. Every
# other value of every table must be the same, row for row.
WALL = {"sim_clock": {"wall"}, "mockcp_snapshot": {"taken_wall"}}
Rows = dict[str, list[tuple[object, ...]]]


def rows(path: Path) -> Rows:
    """Every table of the SQLite file ``path`` (start images included), rows sorted, wall-clock
    columns left out."""
    conn = sqlite3.connect(path)
    try:
        names = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        found: Rows = {}
        for name in sorted(names):
            wall = WALL.get(name.removeprefix(PREFIX).split("__")[-1], set())
            columns = [c for (_, c, *_) in conn.execute(f'PRAGMA table_info("{name}")')]
            chosen = ", ".join(f'"{c}"' for c in columns if c not in wall)
            found[name] = sorted(conn.execute(f'SELECT {chosen} FROM "{name}"'), key=repr)
        return found
    finally:
        conn.close()

SHED_30 = {"shedStation": {"stationID": "1:10002", "percentShedPerStation": 30},
           "timeInterval": 0}


def admin(app: MockChargePointApp, method: str, path: str, body: object = None) -> tuple[int, Any]:
    """``method`` on ``/_mock<path>`` of ``app``; the answer must be JSON."""
    reply = Client(app).open(f"/_mock{path}", method=method, json=body)
    assert reply.headers["Content-Type"] == "application/json", reply.get_data()
    return reply.status_code, json.loads(reply.get_data())


def now(app: MockChargePointApp) -> str:
    status, body = admin(app, "GET", "/clock")
    assert status == 200
    return str(body["now"])
