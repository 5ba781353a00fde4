"""Reset to the start and named snapshots, in one process (in-memory world, test clock)."""

from __future__ import annotations

from decimal import Decimal

import zeep

from mockcp.testing import MockChargePoint
from tests.worlds.helpers import SHED_30, admin, now


def port_load(client: zeep.Client) -> tuple[Decimal, int, int]:
    reply = client.service.getLoad(searchQuery={"stationID": "1:10002"})
    port = reply.stationData[0].Port[0]
    return port.portLoad, port.shedState, port.percentShed


def shed(client: zeep.Client, percent: int) -> None:
    query = {**SHED_30, "shedStation": {"stationID": "1:10002", "percentShedPerStation": percent}}
    assert client.service.shedLoad(shedQuery=query).Success == 1


def test_reset_returns_data_clock_journal_and_forced_queue_to_the_start(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    app = mock.wsgi
    start = now(app)
    admin(app, "POST", "/clock", {"advance": "PT2H"})
    shed(client, 30)
    assert port_load(client)[1:] == (1, 30)
    status, _ = admin(app, "POST", "/faults", {"operation": "getLoad", "code": "CANNOT_SHED_NOW"})
    assert status == 201
    assert admin(app, "GET", "/journal")[1] != []
    assert admin(app, "POST", "/reset") == (200, {"status": "reset"})
    assert now(app) == start
    assert admin(app, "GET", "/journal") == (200, [])
    assert admin(app, "GET", "/faults") == (200, [])
    admin(app, "POST", "/clock", {"advance": "PT2H"})
    assert port_load(client)[1:] == (0, 0)


def test_a_snapshot_rewinds_the_clock_and_replays_a_demand_response_event_two_ways(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    app = mock.wsgi
    admin(app, "POST", "/clock", {"advance": "PT2H"})  # 1:10002 draws 7.2 kW
    status, saved = admin(app, "POST", "/snapshots", {"name": "before-dr"})
    assert (status, saved["name"], saved["clock"]) == (201, "before-dr", "2024-03-12T19:00:00Z")
    shed(client, 30)
    admin(app, "POST", "/clock", {"advance": "PT1H"})
    first = port_load(client)
    assert first == (Decimal("5.040"), 1, 30)

    status, restored = admin(app, "POST", "/snapshots/before-dr/restore")
    assert (status, restored["restored"]["name"]) == (200, "before-dr")
    assert now(app) == "2024-03-12T19:00:00Z"
    assert port_load(client) == (Decimal("7.200"), 0, 0)
    shed(client, 50)
    admin(app, "POST", "/clock", {"advance": "PT1H"})
    assert port_load(client) == (Decimal("3.600"), 1, 50)


def test_snapshots_are_listed_deleted_and_checked(mock: MockChargePoint) -> None:
    app = mock.wsgi
    assert admin(app, "GET", "/snapshots") == (200, [])
    assert admin(app, "POST", "/snapshots", {"name": "a"})[0] == 201
    admin(app, "POST", "/clock", {"advance": "P1D"})
    assert admin(app, "POST", "/snapshots", {"name": "b.2"})[0] == 201
    status, listed = admin(app, "GET", "/snapshots")
    assert [(s["name"], s["clock"]) for s in listed] == [
        ("a", "2024-03-12T17:00:00Z"),
        ("b.2", "2024-03-13T17:00:00Z"),
    ]
    assert admin(app, "POST", "/snapshots", {"name": "a"}) == (
        409,
        {"error": "a snapshot named 'a' exists; delete it first"},
    )
    assert admin(app, "DELETE", "/snapshots/a") == (200, {"deleted": "a"})
    assert [s["name"] for s in admin(app, "GET", "/snapshots")[1]] == ["b.2"]
    assert admin(app, "POST", "/snapshots/a/restore") == (404, {"error": "no snapshot named 'a'"})
    assert admin(app, "DELETE", "/snapshots/a") == (404, {"error": "no snapshot named 'a'"})
    bad = (
        "a snapshot name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    )
    for body in ({"name": "../x"}, {"name": ""}, {"name": "x" * 65}, {"name": "@start"}):
        assert admin(app, "POST", "/snapshots", body) == (400, {"error": bad})
    for body in (None, {"nom": "x"}, {"name": 3}, ["a"]):
        assert admin(app, "POST", "/snapshots", body) == (400, {"error": 'send {"name": "..."}'})
    assert admin(app, "POST", "/snapshots/@start/restore") == (400, {"error": bad})
    assert now(app) == "2024-03-13T17:00:00Z"  # nothing of the above moved the world


def test_a_reset_keeps_the_snapshots(mock: MockChargePoint, client: zeep.Client) -> None:
    app = mock.wsgi
    admin(app, "POST", "/clock", {"advance": "PT2H"})
    shed(client, 30)
    admin(app, "POST", "/snapshots", {"name": "shed"})
    admin(app, "POST", "/reset")
    assert now(app) == "2024-03-12T17:00:00Z"
    assert admin(app, "POST", "/snapshots/shed/restore")[0] == 200
    assert port_load(client)[1:] == (1, 30)
