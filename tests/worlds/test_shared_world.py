"""Several servers on one store answer as one: the clock, resets, snapshots and restarts
(SQLite file and PostgreSQL, the clock in the store)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from mockcp.worldclock import StoredClock
from tests.conftest import START
from tests.worlds.helpers import SHED_30, admin, now
from tests.worlds.stores import store_url
from tests.worlds.test_snapshots import port_load


@pytest.fixture(params=["sqlite", "postgres"])
def settings_on_store(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = store_url(request.param, tmp_path)
    return Settings(database_url=url, fixture="minimal", clock_mode="frozen", clock_start=START)


@pytest.fixture
def pair(settings_on_store: Settings) -> Iterator[tuple[MockChargePoint, MockChargePoint]]:
    with MockChargePoint(settings_on_store) as first, MockChargePoint(settings_on_store) as second:
        assert isinstance(first.wsgi.clock, StoredClock)
        yield first, second


def test_a_clock_move_in_one_server_is_seen_by_the_other(
    pair: tuple[MockChargePoint, MockChargePoint],
) -> None:
    a, b = pair[0].wsgi, pair[1].wsgi
    assert now(a) == now(b) == "2024-03-12T17:00:00Z"
    assert admin(a, "POST", "/clock", {"advance": "PT2H"})[0] == 200
    assert [now(b) for _ in range(20)] == ["2024-03-12T19:00:00Z"] * 20
    assert admin(b, "POST", "/clock", {"mode": "x60"})[1]["mode"] == "x60"
    assert admin(a, "GET", "/clock")[1]["mode"] == "x60"
    admin(a, "POST", "/clock", {"mode": "frozen"})
    assert admin(b, "GET", "/clock")[1]["mode"] == "frozen"


def test_concurrent_advances_from_two_servers_lose_none(
    pair: tuple[MockChargePoint, MockChargePoint],
) -> None:
    def advance(server: MockChargePoint) -> None:
        for _ in range(15):
            assert admin(server.wsgi, "POST", "/clock", {"advance": "PT1M"})[0] == 200

    threads = [threading.Thread(target=advance, args=(server,)) for server in (*pair, *pair)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = (START + timedelta(minutes=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert now(pair[0].wsgi) == now(pair[1].wsgi) == expected


def test_reset_and_snapshot_restore_hold_across_servers(
    pair: tuple[MockChargePoint, MockChargePoint],
) -> None:
    first, second = pair
    a, b = first.wsgi, second.wsgi
    admin(a, "POST", "/clock", {"advance": "PT2H"})
    assert admin(a, "POST", "/snapshots", {"name": "before-dr"})[0] == 201
    assert first.client().service.shedLoad(shedQuery=SHED_30).Success == 1
    admin(b, "POST", "/clock", {"advance": "PT1H"})
    assert port_load(second.client())[1:] == (1, 30)
    assert [s["name"] for s in admin(b, "GET", "/snapshots")[1]] == ["before-dr"]

    assert admin(b, "POST", "/snapshots/before-dr/restore")[0] == 200
    assert now(a) == "2024-03-12T19:00:00Z"
    assert port_load(first.client())[1:] == (0, 0)

    assert first.client().service.shedLoad(shedQuery=SHED_30).Success == 1
    assert admin(b, "POST", "/reset") == (200, {"status": "reset"})
    assert now(a) == "2024-03-12T17:00:00Z"
    admin(a, "POST", "/clock", {"advance": "PT2H"})
    assert port_load(second.client())[1:] == (0, 0)


def test_a_restart_on_the_same_store_resumes_the_same_world(settings_on_store: Settings) -> None:
    with MockChargePoint(settings_on_store) as first:
        admin(first.wsgi, "POST", "/clock", {"advance": "PT2H"})
        assert first.client().service.shedLoad(shedQuery=SHED_30).Success == 1
        admin(first.wsgi, "POST", "/snapshots", {"name": "kept"})
    with MockChargePoint(settings_on_store) as again:
        assert now(again.wsgi) == "2024-03-12T19:00:00Z"
        assert port_load(again.client())[1:] == (1, 30)
        assert [s["name"] for s in admin(again.wsgi, "GET", "/snapshots")[1]] == ["kept"]
        assert admin(again.wsgi, "POST", "/reset")[0] == 200
        assert now(again.wsgi) == "2024-03-12T17:00:00Z"
