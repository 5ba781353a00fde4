"""Control-plane benchmarks: what the journal and the fault lookup cost every SOAP call.

    .venv/bin/python bench/bench_control_plane.py

1. A getCPNInstances round trip through the whole endpoint (the recorder writing a journal
   row, the call wrapper asking the store for armed faults) against the same call sent to the
   spyne app inside the recorder (no journal row; the fault lookup stays), same run, same
   test client; on in-memory SQLite and on a SQLite file.
2. Reading a full journal (10,000 entries): a filtered GET and a verify with a parameter
   matcher (absolute; informative).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import event
from werkzeug.test import Client

from mockcp.app import SOAP_PATH, create_app
from mockcp.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_foundation import best_of, cpn_envelope  # noqa: E402  (bench/ is not on the path)


def _wal(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def bench_journal_cost(url: str, wal: bool = False) -> tuple[float, float]:
    app = create_app(Settings(database_url=url, fixture="minimal", clock_mode="frozen"))
    if wal:  # as i17's db/engine.py sets it: commits without an fsync each
        event.listen(app.engine, "connect", _wal)
        app.engine.dispose()
    body = cpn_envelope(app)
    full, inner = Client(app), Client(app._soap_wsgi)
    assert b"<cpnID>1</cpnID>" in full.post(SOAP_PATH, data=body).get_data()
    assert b"<cpnID>1</cpnID>" in inner.post(SOAP_PATH, data=body).get_data()
    with_journal = best_of(lambda: full.post(SOAP_PATH, data=body), 7, 50)
    without = best_of(lambda: inner.post(SOAP_PATH, data=body), 7, 50)
    app.engine.dispose()
    return with_journal, without


def bench_journal_reads() -> tuple[float, float]:
    """A full journal: one real call's entry, copied 10,000 times straight into the store."""
    from mockcp.domain import journal

    app = create_app(Settings(database_url="sqlite://", fixture="minimal", clock_mode="frozen"))
    body, client = cpn_envelope(app), Client(app)
    client.post(SOAP_PATH, data=body)
    with app.sessions() as db, db.begin():
        (entry,) = journal.find(db, journal.Matcher())
        call = journal.Call(
            entry.at, entry.wall_at or entry.at, entry.version, entry.operation, entry.org_id,
            entry.http_status or 200, entry.response_code, entry.fault, entry.duration_ms or 0,
            entry.params,
        )
        for _ in range(10_000):
            journal.record(db, call)
    listed = best_of(lambda: client.get("/_mock/journal?operation=getCPNInstances&limit=100"),
                       5, 3)
    matcher = {"operation": "getCPNInstances", "params": {"nothing": "1"}}
    verified = best_of(lambda: client.post("/_mock/journal/verify", json=matcher), 5, 3)
    return listed, verified


def main() -> None:
    print("| benchmark | with journal | without (same run) | ratio |")
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for name, url, wal in (
            ("in-memory SQLite", "sqlite://", False),
            ("SQLite file (rollback journal, FULL)", f"sqlite:///{Path(folder) / 'a.sqlite3'}",
             False),
            ("SQLite file (WAL, synchronous NORMAL)", f"sqlite:///{Path(folder) / 'b.sqlite3'}",
             True),
        ):
            full, inner = bench_journal_cost(url, wal)
            print(f"| getCPNInstances in process, {name} | {full * 1e3:.2f} ms | "
                  f"{inner * 1e3:.2f} ms | {full / inner:.2f}x |")
    listed, verified = bench_journal_reads()
    print(f"\n10,000 entries: filtered GET (last 100) {listed * 1e3:.0f} ms, "
          f"verify with a param matcher {verified * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
