"""A world is planned once, when it is built: the start image holds its history up to the
start, so a reset (or a sandbox copied from a template) and the first read after it plan
nothing again (issue 18: reset + first read in milliseconds, not a re-plan of 90 days)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import func, select
from zeep.helpers import serialize_object

from mockcp.config import Settings
from mockcp.db.activity import ChargingSession, WorldMeta
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.helpers import admin


def planned(mock: MockChargePoint) -> tuple[int, str | None]:
    """How many sessions the store holds, and through when it is planned."""
    with mock.wsgi.sessions() as db:
        count = db.scalar(select(func.count()).select_from(ChargingSession))
        horizon = db.get(WorldMeta, "planned_until")
        return int(count or 0), None if horizon is None else horizon.value


def test_the_build_plans_the_history_and_a_reset_keeps_it_planned(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", fixture="minimal",
                        clock_mode="frozen", clock_start=START)
    with MockChargePoint(settings) as mock:
        at_start = planned(mock)
        sessions, horizon = at_start
        assert sessions > 0 and horizon == "2024-03-13T07:00:00+00:00"  # the start's local day
        client = mock.client()
        first = serialize_object(client.service.getChargingSessionData(searchQuery={}), dict)
        assert first["ChargingSessionData"]  # sessions of the planned history
        assert planned(mock) == at_start  # the first read planned nothing
        assert admin(mock.wsgi, "POST", "/clock", {"advance": "P2D"})[0] == 200
        client.service.getChargingSessionData(searchQuery={})
        assert planned(mock)[0] > sessions  # two more days, planned by the read
        assert admin(mock.wsgi, "POST", "/reset") == (200, {"status": "reset"})
        assert planned(mock) == at_start  # back to the planned start, not to an empty plan
        again = serialize_object(client.service.getChargingSessionData(searchQuery={}), dict)
        assert planned(mock) == at_start
        assert again == first  # the same answer as from the fresh build
        # the reset copied its image back without row-by-row key checks, and gave every
        # pooled connection back with foreign keys on
        with ExitStack() as stack:
            connections = [stack.enter_context(mock.wsgi.engine.connect()) for _ in range(5)]
            assert [c.exec_driver_sql("PRAGMA foreign_keys").scalar() for c in connections] == [
                1
            ] * 5
