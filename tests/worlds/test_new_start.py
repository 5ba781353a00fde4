"""POST /_mock/reset {"start", "seed", "fixture"}: a reset to a new start, followed by every
server on the store (and by a server restarted on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.helpers import admin, now


def test_a_reset_to_a_new_start_moves_the_clock_and_becomes_the_start(
    mock: MockChargePoint,
) -> None:
    app = mock.wsgi
    assert admin(app, "POST", "/reset", {"start": "2025-06-01T08:00:00Z"}) == (
        200,
        {"status": "reset"},
    )
    assert now(app) == "2025-06-01T08:00:00Z"
    admin(app, "POST", "/clock", {"advance": "PT3H"})
    assert admin(app, "POST", "/reset")[0] == 200
    assert now(app) == "2025-06-01T08:00:00Z"
    assert len(mock.client().service.getCPNInstances()) == 4


def test_a_reset_to_another_fixture_and_seed_serves_that_world(mock: MockChargePoint) -> None:
    app = mock.wsgi
    assert len(admin(app, "GET", "/tenants")[1]) == 2
    assert admin(app, "POST", "/reset", {"fixture": "demo", "seed": 7})[0] == 200
    assert len(admin(app, "GET", "/tenants")[1]) == 4
    assert app.settings.root_seed == 7
    tenant = mock.tenants()[0]
    assert mock.client(tenant).service.getCPNInstances()[0].cpnName == "USA"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"fixture": "/etc/passwd"}, "fixture must be one of ['demo', 'minimal']"),
        ({"seed": -1}, "seed must be a whole number from 0 to 2**63-1"),
        ({"seed": "7"}, "seed must be a whole number from 0 to 2**63-1"),
        ({"start": "soon"}, "start 'soon' is not an ISO-8601 time"),
        (
            {"start": "3000-01-01T00:00:00Z"},
            "start must lie between 1990-01-01 and 2200-01-01 (got 3000-01-01)",
        ),
        ({"epoch": 1}, 'send {} or any of {"start": "...Z", "seed": N, "fixture": "minimal"}'),
        ([1], 'send {} or any of {"start": "...Z", "seed": N, "fixture": "minimal"}'),
    ],
)
def test_a_wrong_new_start_is_a_400_that_changes_nothing(
    mock: MockChargePoint, body: object, error: str
) -> None:
    app = mock.wsgi
    admin(app, "POST", "/clock", {"advance": "PT1H"})
    assert admin(app, "POST", "/reset", body) == (400, {"error": error})
    assert now(app) == "2024-03-12T18:00:00Z"


def test_other_servers_and_restarts_follow_a_new_start(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}",
        fixture="minimal",
        clock_mode="frozen",
        clock_start=START,
    )
    with MockChargePoint(settings) as first, MockChargePoint(settings) as second:
        body = {"fixture": "demo", "seed": 7, "start": "2025-01-01T00:00:00Z"}
        assert admin(first.wsgi, "POST", "/reset", body)[0] == 200
        assert now(second.wsgi) == "2025-01-01T00:00:00Z"
        tenants = second.tenants()
        assert len(tenants) == 4
        assert second.client(tenants[0]).service.getCPNInstances()[0].cpnName == "USA"
        assert (second.wsgi.settings.fixture, second.wsgi.settings.root_seed) == ("demo", 7)
    with MockChargePoint(settings) as restarted:
        assert now(restarted.wsgi) == "2025-01-01T00:00:00Z"
        assert len(restarted.tenants()) == 4
        assert restarted.wsgi.settings.root_seed == 7
