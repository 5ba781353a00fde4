"""PostgreSQL's ``statement_timeout`` under a request's time limit (mockcp/db/timelimit.py).

The app's connections open with the whole limit as their default, so a transaction begun at
its request's start sends no ``SET LOCAL``; one begun later sets the time left; one begun
without a deadline lifts the default. Each case asks the server what is in force."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker

from mockcp import deadline
from mockcp.db.engine import make_engine, make_sessionmaker
from tests.worlds.stores import postgres_url

LIMIT = 2.0  # seconds: the app's request limit in these tests


@pytest.fixture
def sessions() -> Iterator[tuple[sessionmaker[Session], list[str]]]:
    """Sessions on an engine made as the app makes it, and the SETs its connections sent."""
    engine = make_engine(postgres_url(), LIMIT)
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("SET"):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield make_sessionmaker(engine), sent
    finally:
        engine.dispose()


def in_force(db: Session) -> int:
    """The ``statement_timeout`` in force, in milliseconds (0: none)."""
    shown = db.execute(text("SHOW statement_timeout")).scalar_one()
    assert isinstance(shown, str)
    for unit, factor in (("ms", 1), ("s", 1000), ("min", 60_000)):
        if shown.endswith(unit) and shown[: -len(unit)].isdigit():
            return int(shown[: -len(unit)]) * factor
    return int(shown)


def test_a_call_s_first_transaction_runs_under_the_default_with_no_set(
    sessions: tuple[sessionmaker[Session], list[str]],
) -> None:
    make, sent = sessions
    with deadline.limit(LIMIT), make() as db:
        assert in_force(db) == 2000  # the connection's default: the request's whole limit
    assert sent == []


def test_a_later_transaction_sets_the_time_left(
    sessions: tuple[sessionmaker[Session], list[str]],
) -> None:
    make, sent = sessions
    with deadline.limit(LIMIT):
        time.sleep(0.3)  # past the slack: the default would outlast the deadline
        with make() as db:
            shown = in_force(db)
    assert len(sent) == 1 and sent[0].startswith("SET LOCAL statement_timeout = ")
    left = int(sent[0].rsplit(" ", 1)[1])
    assert 0 < left <= 1700
    assert shown == left


def test_another_limit_than_the_default_is_set(
    sessions: tuple[sessionmaker[Session], list[str]],
) -> None:
    make, sent = sessions
    with deadline.limit(10 * LIMIT), make() as db:  # longer than the default: not cut by it
        shown = in_force(db)
    assert len(sent) == 1
    assert 19_000 < shown <= 20_000


def test_no_deadline_lifts_the_default_and_the_next_call_has_it_again(
    sessions: tuple[sessionmaker[Session], list[str]],
) -> None:
    make, sent = sessions
    with make() as db:  # the control plane, start-up: no limit at all
        assert in_force(db) == 0
        db.commit()
    with deadline.limit(LIMIT), make() as db:  # the same pooled connection, its default back
        assert in_force(db) == 2000
    assert sent == ["SET LOCAL statement_timeout = 0"]


def test_an_engine_without_a_limit_sets_only_under_a_deadline() -> None:
    engine = make_engine(postgres_url())
    try:
        make = make_sessionmaker(engine)
        with make() as db:
            assert in_force(db) == 0
        with deadline.limit(LIMIT), make() as db:
            assert 1000 < in_force(db) <= 2000
    finally:
        engine.dispose()
