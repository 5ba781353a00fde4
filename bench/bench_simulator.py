"""Simulator benchmarks: ratios against plain baselines measured in the same run.

    .venv/bin/python bench/bench_simulator.py

1. Planning the demo world's 90-day history (first read) against a plain SQLite bulk insert of
   the same session rows.
2. Advancing the demo world by 7 days (the next read) against the same baseline per row.
3. One getChargingSessionData page (100 rows) on the demo world with 90 days of history
   against the same page with 7 days of history.
4. One getChargingSessionData page on a world holding about 1 M sessions against the same
   page on the ~10 k-session demo world: the 90-day history copied 80 times further into the
   past with a bulk insert (the page cost is what is measured, not planning). Two pages: the
   oldest (startRecord 1) and the one a poller reads (fromTimeStamp = a day ago); and the
   same two getTransactionData pages (sessions, addenda and stored reservations together).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from mockcp.app import create_app
from mockcp.clock import SimClock
from mockcp.config import Settings
from mockcp.db.activity import ChargingSession
from mockcp.domain.context import World
from mockcp.domain.principal import Principal
from mockcp.domain.sessions.charging import SessionSearch, search_sessions
from mockcp.domain.sessions.transactions import TransactionQuery, transactions
from mockcp.domain.stations.query import StationQuery
from mockcp.seed.loader import FIXTURES
from mockcp.sim.store.engine import materialize

START = datetime(2024, 3, 12, 17, tzinfo=UTC)


def plain_insert(rows: Sequence[tuple[object, ...]]) -> float:
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
        ]
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
            search_sessions(World(db, principal, 7, now), query, 1)
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
            search_sessions(World(db, principal, 7, began_now), query, 1)
            return time.perf_counter() - began

        short_page = min(small_page() for _ in range(5))
    print(
        f"session page: 97 days of history {long_page * 1000:.0f} ms, "
        f"7 days {short_page * 1000:.0f} ms, ratio {long_page / short_page:.1f}x"
    )
    million_pages()


def timed(call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - began)
    return best


OLDEST_MONEY = TransactionQuery()
RECENT_MONEY = TransactionQuery(from_time=START - timedelta(days=1), to_time=START)


def money(db: Session, principal: Principal, query: TransactionQuery) -> object:
    return transactions(World(db, principal, 7, START), query, None, None)


def million_pages() -> None:
    app = create_app(Settings(database_url="sqlite://", fixture="demo"), SimClock(START))
    principal = Principal(1, "1:ORG00001", "x", "k")
    recent = SessionSearch(StationQuery(), from_time=START - timedelta(days=1))
    oldest = SessionSearch(StationQuery())
    with app.sessions() as db:
        materialize(db, 7, START)
        db.commit()
        small = db.scalar(select(func.count()).select_from(ChargingSession)) or 0
        def session_page(q: SessionSearch) -> Callable[[], object]:
            return lambda: search_sessions(World(db, principal, 7, START), q, 1)

        def money_page(q: TransactionQuery) -> Callable[[], object]:
            return lambda: money(db, principal, q)

        pages = [timed(session_page(q)) for q in (oldest, recent)] + [
            timed(money_page(q)) for q in (OLDEST_MONEY, RECENT_MONEY)
        ]
        table = cast(Table, ChargingSession.__table__)
        rows = [dict(r._mapping) for r in db.execute(select(table))]
        span = timedelta(days=91)
        for copy in range(1, 81):
            shifted = [
                {**r, "id": r["id"] + copy * 1000,  # (the next sessions of the same port)
                 "start_time": r["start_time"] - copy * span,
                 "end_time": r["end_time"] - copy * span,
                 "charging_end_time": r["charging_end_time"] - copy * span,
                 "reported_at": r["reported_at"] and r["reported_at"] - copy * span}
                for r in rows
            ]
            db.execute(insert(table), shifted)
        db.commit()
        large = db.scalar(select(func.count()).select_from(ChargingSession)) or 0
        big = [timed(session_page(q)) for q in (oldest, recent)] + [
            timed(money_page(q)) for q in (OLDEST_MONEY, RECENT_MONEY)
        ]
    names = ("oldest page", "a day's page", "oldest transaction page", "a day's transactions")
    for name, a, b in zip(names, pages, big, strict=True):
        print(
            f"{name}: {large} sessions {b * 1000:.1f} ms, {small} sessions {a * 1000:.1f} ms, "
            f"ratio {b / a:.2f}x"
        )


if __name__ == "__main__":
    main()
