"""The request journal lives beside the world, and is still part of the store (issue 17,
``mockcp.db.journal_store``): a snapshot keeps it as it was, a restore brings that back, a
reset empties it, and on a SQLite file its rows are in ``<store>.journal.db``, not in the
world's file (whose write lock a call's row therefore never waits for)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.db.journal_store import SUFFIX
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.helpers import admin
from tests.worlds.stores import store_url


def journaled(mock: MockChargePoint) -> list[tuple[int, str]]:
    return [(e["id"], e["operation"]) for e in mock.journal.calls()]


@pytest.mark.parametrize("store", ["sqlite-file", "postgresql", "memory"])
def test_snapshots_restores_and_resets_carry_the_journal_with_the_world(
    store: str, tmp_path: Path
) -> None:
    url = "sqlite://" if store == "memory" else store_url(
        "sqlite" if store == "sqlite-file" else "postgres", tmp_path
    )
    with MockChargePoint(Settings(database_url=url, fixture="minimal"), ManualClock(START)) as mock:
        client = mock.client(mock.tenants()[0])
        client.service.getCPNInstances()
        client.service.getStations(searchQuery={})
        kept = journaled(mock)
        assert [operation for _, operation in kept] == ["getCPNInstances", "getStations"]
        assert admin(mock.wsgi, "POST", "/snapshots", {"name": "two"})[0] == 201
        client.service.getOrgsAndStationGroups(searchQuery={})
        assert len(journaled(mock)) == 3
        assert admin(mock.wsgi, "POST", "/snapshots/two/restore")[0] == 200
        assert journaled(mock) == kept  # the journal as the snapshot found it
        client.service.getCPNInstances()
        after = journaled(mock)
        assert after[:2] == kept and after[2][1] == "getCPNInstances"
        assert after[2][0] > max(entry for entry, _ in kept)  # ids are never reused
        assert admin(mock.wsgi, "POST", "/reset") == (200, {"status": "reset"})
        assert journaled(mock) == []
        client.service.getStations(searchQuery={})
        if store == "sqlite-file":
            world = Path(url.removeprefix("sqlite:///"))
            assert "journal_entry" not in _tables(world)
            assert "journal_entry" in _tables(Path(f"{world}{SUFFIX}"))
        assert [operation for _, operation in journaled(mock)] == ["getStations"]


def _tables(path: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
