"""One read of the store per SOAP call (db/callstate.py, issue 18).

A call reads the clock, the credentials stamp, whether any forced fault may fire and the
world's identity in one query; it skips the fault lookup when none may fire. Two apps on one
SQLite file stand for two server processes: what one arms or moves, the other's very next
call must see.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from werkzeug.test import Client

from mockcp.app import MockChargePointApp, create_app
from mockcp.config import Settings
from mockcp.db.activity import WorldMeta
from mockcp.db.callstate import read_call_state
from mockcp.db.journal_table import JournalEntry
from mockcp.db.stamps import CREDENTIALS_KEY
from mockcp.domain.tenants import list_tenants
from mockcp.worldclock import StoredClock, read_state
from mockcp.worlds import world_identity
from tests.conftest import START
from tests.soap.envelopes import cpn_call
from tests.soap.work import forget_kept

OK_ANSWER = "getCPNInstancesResponse"
FORCED = "Forced fault in getCPNInstances (/_mock/faults)."


def open_app(url: str) -> MockChargePointApp:
    """An app on ``url`` that computes every call (the statements of the full path are
    counted here; a read served from memory, ``mockcp/answers.py``, sends none)."""
    return create_app(
        Settings(
            database_url=url,
            fixture="minimal",
            clock_mode="frozen",
            clock_start=START,
            answer_cache=False,
        )
    )


@pytest.fixture
def pair(tmp_path: Path) -> tuple[MockChargePointApp, MockChargePointApp]:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return open_app(url), open_app(url)


def call(app: MockChargePointApp) -> tuple[int, str, str]:
    """getCPNInstances as the first tenant (``envelopes.cpn_call``)."""
    with app.sessions() as db:
        tenant = list_tenants(db)[0]
    return cpn_call(app, tenant.license_key, tenant.password)


@contextmanager
def statements(app: MockChargePointApp) -> Iterator[list[str]]:
    """Every SQL statement ``app``'s engine runs inside the block."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        seen.append(" ".join(sql.split()))

    event.listen(app.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.engine, "before_cursor_execute", note)


def arm(app: MockChargePointApp, body: dict[str, object]) -> None:
    reply = Client(app).post("/_mock/faults", json=body)
    assert reply.status_code == 201, reply.get_data()


def test_the_state_query_reads_what_the_separate_reads_did(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    one, other = pair
    state = read_call_state(one.engine)
    assert isinstance(one.clock, StoredClock)
    assert state.clock == read_state(one.engine)
    with one.sessions() as db:
        stamp = db.scalar(select(WorldMeta.value).where(WorldMeta.key == CREDENTIALS_KEY))
    assert stamp is not None and state.credentials == stamp
    assert state.identity == world_identity(one.engine)
    assert state.identity is not None and state.identity[0] == "minimal"
    assert state.faults_armed is False
    arm(other, {"operation": "getLoad", "code": "UNKNOWN_ERROR", "count": 1})
    assert read_call_state(one.engine).faults_armed is True
    other.clock.advance(timedelta(minutes=7))
    assert read_call_state(one.engine).clock == read_state(one.engine)


def test_a_call_reads_the_store_once_and_skips_the_fault_lookup_when_none_is_armed(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    one, other = pair
    call(one)  # warm: planning, caches
    with statements(one) as seen:
        assert call(one) == (200, "ok", "getCPNInstancesResponse")
    # The world's file unchanged since the last call: its state from memory (answers.call_state).
    assert not [s for s in seen if "sim_clock" in s or "forced_fault" in s]
    forget_kept(one)
    with statements(one) as seen:
        assert call(one) == (200, "ok", "getCPNInstancesResponse")
    assert [s for s in seen if "forced_fault" in s] == [
        s for s in seen if s.startswith("SELECT sim_clock")
    ]
    assert len([s for s in seen if "sim_clock" in s]) == 1  # the clock: once per call
    assert not [s for s in seen if s.startswith("SELECT forced_fault")]
    arm(other, {"operation": "getCPNInstances", "fault": "server", "count": 1})
    with statements(one) as seen:
        assert call(one) == (500, "soapenv:Server", FORCED)
    assert len([s for s in seen if s.startswith("SELECT sim_clock")]) == 1  # the file moved on
    assert [s for s in seen if s.startswith("SELECT forced_fault")]
    assert call(one) == (200, "ok", "getCPNInstancesResponse")  # the count is spent


def test_the_journal_keeps_the_instant_the_call_read(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    one, other = pair
    other.clock.advance(timedelta(hours=3))
    assert call(one)[1] == "ok"
    with one.journal.reading() as db:
        newest = db.scalars(select(JournalEntry).order_by(JournalEntry.id.desc())).first()
    assert newest is not None and newest.operation == "getCPNInstances"
    assert newest.at == START + timedelta(hours=3)


def test_an_in_memory_world_tells_its_own_process_clock() -> None:
    app = open_app("sqlite://")
    assert not isinstance(app.clock, StoredClock)
    app.clock.advance(timedelta(minutes=42))
    assert call(app)[1] == "ok"
    with app.journal.reading() as db:
        newest = db.scalars(select(JournalEntry).order_by(JournalEntry.id.desc())).first()
    assert newest is not None and newest.at == START + timedelta(minutes=42)


@pytest.fixture(scope="module")
def shared_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[MockChargePointApp, ...]:
    url = f"sqlite:///{tmp_path_factory.mktemp('callstate') / 'shared.sqlite3'}"
    return open_app(url), open_app(url)


STEPS = st.lists(
    st.tuples(st.sampled_from(["arm", "call", "clear"]), st.integers(0, 1), st.integers(1, 3)),
    max_size=8,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_forced_counts_fire_exactly_as_armed_whichever_process_arms_or_calls(
    shared_pair: tuple[MockChargePointApp, ...], steps: list[tuple[str, int, int]]
) -> None:
    """Model: a fault armed for n calls answers the next n calls of any process, then none."""
    assert Client(shared_pair[0]).delete("/_mock/faults").status_code == 200
    left = 0
    for action, who, count in steps:
        app = shared_pair[who]
        if action == "arm":
            arm(app, {"operation": "getCPNInstances", "fault": "server", "count": count})
            left += count
        elif action == "clear":
            assert Client(app).delete("/_mock/faults").status_code == 200
            left = 0
        else:
            expected = (
                (500, "soapenv:Server", FORCED) if left else (200, "ok", "getCPNInstancesResponse")
            )
            assert call(app) == expected
            left = max(left - 1, 0)
    assert read_call_state(shared_pair[1].engine).faults_armed is (left > 0)
