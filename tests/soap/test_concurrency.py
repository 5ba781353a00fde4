"""Reads and writes from many threads on one app never race (issue 17).

24 client threads of both tenants run every read and write operation while the clock
moves; on a SQLite file and on PostgreSQL the app answers no Server fault, keeps every
acknowledged write once, and the statuses agree with the sessions afterwards.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.db.engine import drop_schema, make_engine
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.load_mix import MIX, WRITES, Worker, check_world, run_load

THREADS = 24
SECONDS = 8.0


def _store(name: str, tmp_path: Path) -> str:
    if name == "sqlite-file":
        return f"sqlite:///{tmp_path / 'world.sqlite3'}"
    url = os.environ.get("MOCKCP_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("MOCKCP_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against")
    assert url != "unavailable", "CI could not start PostgreSQL (see .ci/postgres.sh output)"
    engine = make_engine(url)
    drop_schema(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("store", ["sqlite-file", "postgresql"])
def test_threads_mixing_reads_writes_and_clock_moves_get_no_server_fault(
    store: str, tmp_path: Path
) -> None:
    url = _store(store, tmp_path)
    clock = ManualClock(START)
    with MockChargePoint(Settings(database_url=url, fixture="minimal"), clock) as mock:
        tenants = mock.tenants()
        workers = [
            Worker(i, tenants[i % 2].org_id, mock.client(tenants[i % 2]), clock.now)
            for i in range(THREADS)
        ]
        tally = run_load(workers, SECONDS, lambda: clock.advance(timedelta(minutes=41)), 0.25)
        assert tally.server_faults == []
        assert tally.other == []
        assert tally.foreign == []
        ran = {name for name, _ in tally.by_operation}
        assert ran == {name for name, _ in MIX}  # every operation ran, writes included
        assert any(tally.by_operation[(w, "code:100")] for w in WRITES)
        mock.client(tenants[0]).service.getStationStatus(searchQuery={})  # statuses at now
        assert check_world(url, tally) == []
