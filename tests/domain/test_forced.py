"""domain.forced: a fault armed for N calls fires on exactly the first N matching calls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from mockcp.db.engine import create_schema, make_engine, make_sessionmaker
from mockcp.domain import forced

NOW = datetime(2024, 3, 12, 17, tzinfo=UTC)
OPERATIONS = frozenset({"shedLoad", "getLoad", "getStations"})


@pytest.fixture(scope="module")
def sessions() -> Iterator[sessionmaker[Session]]:
    engine = make_engine("sqlite://")
    create_schema(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(1, 6),
    org=st.sampled_from([None, "1:ORG00001"]),
    calls=st.lists(
        st.tuples(st.sampled_from(sorted(OPERATIONS)), st.sampled_from(["1:ORG00001", "1:ORG2"])),
        max_size=20,
    ),
)
def test_count_fires_on_exactly_the_first_n_matching_calls(
    sessions: sessionmaker[Session], count: int, org: str | None, calls: list[tuple[str, str]]
) -> None:
    with sessions() as db:  # one in-memory store for every example: cleared first
        forced.clear(db)
        body: dict[str, object] = {"operation": "shedLoad", "code": "126", "count": count}
        if org is not None:
            body["orgID"] = org
        forced.arm(db, OPERATIONS, body, NOW, NOW)
        db.commit()
        fired = [forced.take(db, op, who, NOW, NOW, 1) is not None for op, who in calls]
    matching = [op == "shedLoad" and org in (None, who) for op, who in calls]
    expected, left = [], count
    for match in matching:
        expected.append(match and left > 0)
        left -= 1 if match and left > 0 else 0
    assert fired == expected
