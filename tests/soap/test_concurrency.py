"""Reads and writes from many threads on one app never race (issue 17).

24 client threads of both tenants run every read and write operation while the clock
moves; on a SQLite file and on PostgreSQL the app answers no Server fault, keeps every
acknowledged write once, and the statuses agree with the sessions afterwards.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.load_mix import MIX, WRITES, Worker, check_world, run_load
from tests.worlds.stores import store_url

THREADS = 24
SECONDS = 8.0


def _store(name: str, tmp_path: Path) -> str:
    return store_url("sqlite" if name == "sqlite-file" else "postgres", tmp_path)


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
