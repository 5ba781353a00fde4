"""Session pages read along the index their caller's share of the world calls for (issue 18).

``domain/sessions/plan_choice.py``: a caller holding at least ``WALK_SHARE`` of the world's
ports walks the time-ordered index; a smaller one reads its own sessions through the port
index. (That both plans answer alike is ``tests/soap/test_page_paths.py``'s.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from mockcp.db.activity import ChargingSession
from mockcp.db.engine import create_schema, make_engine, make_sessionmaker
from mockcp.db.models import Port
from mockcp.domain.sessions.plan_choice import WALK_SHARE, session_port, walks_in_time_order


@pytest.fixture
def db() -> Iterator[Session]:
    engine = make_engine("sqlite://")
    create_schema(engine)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def plan(db: Session, walk: bool) -> str:
    statement = (
        select(ChargingSession.id)
        .where(session_port(walk).in_([3, 5, 8]))
        .order_by(ChargingSession.start_time, ChargingSession.id)
        .limit(101)
    )
    sql = statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    return " ".join(str(row[-1]) for row in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))


def test_a_walk_reads_the_time_index_and_a_small_caller_the_port_index(db: Session) -> None:
    walked, by_port = plan(db, walk=True), plan(db, walk=False)
    assert "ix_charging_session_start_id" in walked and "port_pk" not in walked
    assert "ix_charging_session_port_pk" in by_port


def test_the_walk_is_chosen_by_the_callers_share_of_the_worlds_ports(db: Session) -> None:
    station_pk = 1
    db.execute(text("PRAGMA foreign_keys = OFF"))  # (ports alone: only their ids are counted)
    db.execute(Port.__table__.insert(), [
        {"id": pk, "station_pk": station_pk, "port_number": pk, "connector": "J1772",
         "connector_labels": [], "voltage": 240, "current": 32, "power_kw": 7.2,
         "latitude": 0.0, "longitude": 0.0} for pk in range(1, 81)
    ])  # fmt: skip
    share = int(80 * WALK_SHARE)
    assert walks_in_time_order(db, list(range(1, share + 1)))
    assert not walks_in_time_order(db, list(range(1, share)))
