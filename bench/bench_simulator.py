"""Simulator benchmarks: ratios against plain baselines measured in the same run.

    .venv/bin/python bench/bench_simulator.py

1. Planning the demo world's 90-day history (first read) against a plain SQLite bulk insert of
   the same session rows.
2. Advancing the demo world by 7 days (the next read) against the same baseline per row.
3. One getChargingSessionData page (100 rows) on the demo world with 90 days of history
   against the same page with 7 days of history.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from mockcp.app import create_app
from mockcp.clock import SimClock
from mockcp.config import Settings
from mockcp.db.activity import ChargingSession
from mockcp.domain.principal import Principal
from mockcp.domain.sessions import SessionSearch, search_sessions
from mockcp.domain.station_query import StationQuery
from mockcp.seed.loader import FIXTURES
from mockcp.sim.engine import materialize

START = datetime(2024, 3, 12, 17, tzinfo=UTC)


def plain_insert(rows: list[tuple[object, ...]]) -> float:
    db = sqlite3.connect(":memory:")
    db.execute("create table s (id, port, start, end, energy, power, flat, taper)")
    began = time.perf_counter()
    db.executemany("insert into s values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    return time.perf_counter() - began


def main() -> None:
    app = create_app(Settings(database_url="sqlite://", fixture="demo"), SimClock(START))
    with app.sessions() as db:
        began = time.perf_counter()
        planned = materialize(db, 7, START)
        db.commit()
        history = time.perf_counter() - began
        rows = [
            (s.id, s.port_pk, s.start_time.isoformat(), str(s.end_time), s.energy_kwh, s.power_kw,
             s.flat_hours, s.taper_hours)
            for s in db.scalars(select(ChargingSession))
        ]  # fmt: skip
        baseline = plain_insert(rows)
        print(
            f"plan 90 days: {planned} sessions in {history:.2f} s; plain insert {baseline:.3f} s; "
            f"ratio {history / baseline:.0f}x"
        )
        began = time.perf_counter()
        week = materialize(db, 7, START + timedelta(days=7))
        db.commit()
        advance = time.perf_counter() - began
        per_row = baseline / len(rows) * week
        print(
            f"advance 7 days: {week} sessions in {advance:.3f} s; plain insert ~{per_row:.4f} s; "
            f"ratio {advance / per_row:.0f}x"
        )
        principal = Principal(1, "1:ORG00001", "x", "k")
        query = SessionSearch(StationQuery())
        now = START + timedelta(days=7)

        def page() -> float:
            began = time.perf_counter()
            search_sessions(db, principal, 7, now, query, 1)
            return time.perf_counter() - began

        long_page = min(page() for _ in range(5))
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "demo7.yaml"
        text = (FIXTURES / "demo.yaml").read_text().replace("history_days: 90", "history_days: 7")
        fixture.write_text(text)
        small = create_app(
            Settings(database_url="sqlite://", fixture=str(fixture)), SimClock(START)
        )
    with small.sessions() as db:
        materialize(db, 7, START)
        db.commit()
        began_now = START

        def small_page() -> float:
            began = time.perf_counter()
            search_sessions(db, principal, 7, began_now, query, 1)
            return time.perf_counter() - began

        short_page = min(small_page() for _ in range(5))
    print(
        f"session page: 97 days of history {long_page * 1000:.0f} ms, "
        f"7 days {short_page * 1000:.0f} ms, ratio {long_page / short_page:.1f}x"
    )


if __name__ == "__main__":
    main()
