"""The control plane, its worlds routes and the dashboard are built on their first request
(mockcp/app_parts.py): a start imports none of them, /_mock/health answers the same bytes
without them, and each is built once however many requests ask for it at the same time."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
from typing import Any

import pytest
from werkzeug.test import Client

from mockcp.admin.app import AdminApp
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.images import fresh_world

FRESH_START = r"""
import json, sys
from werkzeug.test import Client
from mockcp.app import create_app
from mockcp.config import Settings
PARTS = ("mockcp.admin.app", "mockcp.admin.worlds", "mockcp.ui.app", "werkzeug.routing")
app = create_app(Settings(database_url="sqlite://", fixture="minimal"))
seen = {"after the start": [name for name in PARTS if name in sys.modules]}
reply = Client(app).get("/_mock/health")
seen["health"] = [reply.status_code, reply.headers["Content-Type"], reply.get_data(as_text=True)]
seen["after health"] = [name for name in PARTS if name in sys.modules]
seen["tenants"] = Client(app).get("/_mock/tenants").status_code
seen["after tenants"] = [name for name in PARTS if name in sys.modules]
seen["dashboard"] = Client(app).get("/_mock/ui/").status_code
seen["snapshots"] = Client(app).get("/_mock/snapshots").status_code
seen["after all"] = [name for name in PARTS if name in sys.modules]
print(json.dumps(seen))
"""


def test_a_start_imports_no_control_plane_and_each_part_comes_with_its_first_request() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FRESH_START], capture_output=True, text=True, check=True
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["after the start"] == []
    assert seen["health"] == [200, "application/json", '{\n "status": "ready"\n}']
    assert seen["after health"] == []
    assert seen["tenants"] == 200
    assert seen["after tenants"] == ["mockcp.admin.app", "werkzeug.routing"]
    assert (seen["dashboard"], seen["snapshots"]) == (200, 200)
    assert seen["after all"] == [
        "mockcp.admin.app", "mockcp.admin.worlds", "mockcp.ui.app", "werkzeug.routing",
    ]  # fmt: skip


def _answer(app: Any, path: str, method: str = "GET") -> tuple[str, list[tuple[str, str]], bytes]:
    reply = Client(app).open(path, method=method)
    return reply.status, sorted(reply.headers.items()), reply.get_data()


@pytest.mark.parametrize("ready", [True, False])
def test_health_answers_the_bytes_the_control_plane_answers(
    mock: MockChargePoint, ready: bool
) -> None:
    app = mock.wsgi
    if not ready:
        app._ready.clear()  # as while the world is being built
    try:
        short = _answer(app, "/_mock/health")
        routed = _answer(app.parts.admin(), "/health")  # the control plane's own route
        head = _answer(app, "/_mock/health", "HEAD")  # other methods: the control plane's
        post = _answer(app, "/_mock/health", "POST")
    finally:
        app._ready.set()
    assert short == routed
    assert short[0] == ("200 OK" if ready else "503 SERVICE UNAVAILABLE")
    assert head[0] == short[0] and head[2] == b""
    assert post[0] == "405 METHOD NOT ALLOWED"


def test_each_part_is_built_once_by_concurrent_first_requests(
    mock: MockChargePoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    init = AdminApp.__init__

    def counted(self: AdminApp, *args: Any, **kwargs: Any) -> None:
        built.append(id(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(AdminApp, "__init__", counted)
    app = mock.wsgi
    app.parts._admin = None  # as a fresh start leaves it
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def first() -> None:
        barrier.wait()
        statuses.append(Client(app).get("/_mock/tenants").status_code)

    threads = [threading.Thread(target=first) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert len(built) == 1


def test_a_seed_followed_before_the_control_plane_is_built_is_the_one_it_plans_with(
    mock: MockChargePoint,
) -> None:
    app = mock.wsgi
    app.parts._admin = None  # not built yet
    app._follow(dataclasses.replace(app.settings, root_seed=4242))
    assert app.parts.admin()._seed == 4242
    app.parts.follow_seed(7)  # once built, it follows
    assert app.parts.admin()._seed == 7


HELD_START = r"""
import json, sys
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
with MockChargePoint(Settings(database_url=sys.argv[1], fixture="minimal")) as mock:
    reply = mock.client().service.getStationStatus(searchQuery={})
    seen = {"code": reply.responseCode, "fixture readers": sorted(
        name for name in ("yaml", "faker", "mockcp.seed.loader", "mockcp.seed.builder")
        if name in sys.modules
    )}
print(json.dumps(seen))
"""


def test_a_start_on_a_store_holding_its_world_reads_no_fixture(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A start that finds its world stored (a restart, a worker of gunicorn, a kept planned
    image copied in) and its first SOAP call import no fixture reader: yaml and the loader
    come with a build only (mockcp/seed/world.py imports them where it loads a world)."""
    settings = fresh_world(tmp_path_factory, "minimal", START)
    done = subprocess.run(
        [sys.executable, "-c", HELD_START, settings.database_url],
        capture_output=True, text=True, check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"code": "100", "fixture readers": []}
