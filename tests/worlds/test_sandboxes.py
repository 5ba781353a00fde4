"""Sandboxes: isolated worlds on the same SOAP endpoint, chosen by the caller's licence key;
nothing one sandbox's SOAP or control-plane calls do is seen by another or by the parent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zeep
from sqlalchemy import text
from zeep.exceptions import Fault

from mockcp.config import Settings
from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.helpers import SHED_30, admin, now
from tests.worlds.stores import store_url
from tests.worlds.test_snapshots import port_load

START_TEXT = "2024-03-12T17:00:00Z"


def serving_parent(url: str) -> Iterator[MockChargePoint]:
    settings = Settings(database_url=url, fixture="minimal", clock_mode="frozen",
                        clock_start=START)
    with MockChargePoint(settings) as mock:
        yield mock


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def any_parent(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MockChargePoint]:
    """A parent world on each store (sandboxes in memory, SQLite files, schemas)."""
    url = "sqlite://" if request.param == "memory" else store_url(request.param, tmp_path)
    yield from serving_parent(url)


@pytest.fixture(params=["sqlite", "postgres"])
def stored_parent(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MockChargePoint]:
    """A parent world on a store other processes could share (files, schemas)."""
    yield from serving_parent(store_url(request.param, tmp_path))


@pytest.fixture
def parent() -> Iterator[MockChargePoint]:
    yield from serving_parent("sqlite://")


def make(parent: MockChargePoint, body: object = None) -> tuple[str, list[Tenant]]:
    status, made = admin(parent.wsgi, "POST", "/sandboxes", body or {"start": START_TEXT})
    assert status == 201, made
    status, found = admin(parent.wsgi, "GET", f"/sandboxes/{made['id']}/tenants")
    assert status == 200
    tenants = [Tenant(t["orgID"], t["organizationName"], t["licenseKey"], t["password"])
               for t in found]
    return str(made["id"]), tenants


def inside(parent: MockChargePoint, sandbox: str, method: str, path: str, body: Any = None) -> Any:
    status, answer = admin(parent.wsgi, method, f"/sandboxes/{sandbox}{path}", body)
    assert status in {200, 201}, answer
    return answer


def test_a_sandbox_has_its_own_credentials_clock_world_and_snapshots(
    any_parent: MockChargePoint,
) -> None:
    parent = any_parent
    a, a_tenants = make(parent)
    b, b_tenants = make(parent)
    own = parent.tenants()
    assert all(t.license_key.endswith(f"@{a}") for t in a_tenants)
    assert {t.license_key for t in a_tenants}.isdisjoint(t.license_key for t in b_tenants)
    assert {t.license_key for t in a_tenants}.isdisjoint(t.license_key for t in own)

    inside(parent, a, "POST", "/clock", {"advance": "PT2H"})
    assert inside(parent, a, "GET", "/clock")["now"] == "2024-03-12T19:00:00Z"
    assert inside(parent, b, "GET", "/clock")["now"] == now(parent.wsgi) == START_TEXT

    a_client = parent.client(a_tenants[0])
    assert a_client.service.shedLoad(shedQuery=SHED_30).Success == 1
    assert port_load(a_client)[1:] == (1, 30)
    inside(parent, b, "POST", "/clock", {"advance": "PT2H"})
    admin(parent.wsgi, "POST", "/clock", {"advance": "PT2H"})
    assert port_load(parent.client(b_tenants[0]))[1:] == (0, 0)
    assert port_load(parent.client(own[0]))[1:] == (0, 0)

    inside(parent, a, "POST", "/snapshots", {"name": "shed"})
    assert inside(parent, b, "GET", "/snapshots") == []
    assert admin(parent.wsgi, "GET", "/snapshots") == (200, [])
    inside(parent, b, "POST", "/reset")
    assert port_load(a_client)[1:] == (1, 30)  # a reset of b leaves a alone
    assert [r["operation"] for r in inside(parent, b, "GET", "/journal")] == []
    assert "shedLoad" in [r["operation"] for r in inside(parent, a, "GET", "/journal")]
    assert "shedLoad" not in [r["operation"] for r in admin(parent.wsgi, "GET", "/journal")[1]]


def storage_exists(parent: MockChargePoint, sandbox: str) -> bool:
    """Whether the sandbox's own storage is there (a file beside the parent's, or a schema)."""
    url = parent.settings.database_url
    if url == "sqlite://":
        return sandbox in [s["id"] for s in admin(parent.wsgi, "GET", "/sandboxes")[1]]
    if url.startswith("sqlite:///"):
        folder = Path(f"{url.removeprefix('sqlite:///')}.sandboxes")
        return any(folder.glob(f"{sandbox}.sqlite3*"))  # its world, its journal, their locks
    with parent.wsgi.engine.connect() as conn:
        found = conn.execute(
            text("SELECT 1 FROM pg_namespace WHERE nspname = :name"),
            {"name": f"mockcp_sb_{sandbox}"},
        ).first()
    return found is not None


def test_a_deleted_sandbox_answers_nothing(any_parent: MockChargePoint) -> None:
    parent = any_parent
    a, a_tenants = make(parent)
    assert storage_exists(parent, a)
    assert [s["id"] for s in admin(parent.wsgi, "GET", "/sandboxes")[1]] == [a]
    assert admin(parent.wsgi, "DELETE", f"/sandboxes/{a}") == (200, {"deleted": a})
    assert admin(parent.wsgi, "GET", "/sandboxes") == (200, [])
    assert not storage_exists(parent, a)
    assert admin(parent.wsgi, "GET", f"/sandboxes/{a}/clock") == (
        404,
        {"error": f"no sandbox {a!r}"},
    )
    with pytest.raises(Fault):  # the key names no sandbox any more: the parent refuses it
        parent.client(a_tenants[0]).service.getCPNInstances()
    assert admin(parent.wsgi, "DELETE", f"/sandboxes/{a}") == (404, {"error": f"no sandbox {a!r}"})


def test_a_made_up_sandbox_key_is_refused(parent: MockChargePoint) -> None:
    _, tenants = make(parent)
    real = tenants[0]
    forged = Tenant(real.org_id, real.organization_name,
                    real.license_key.rsplit("@", 1)[0] + "@sb00000000", real.password)
    with pytest.raises(Fault):
        parent.client(forged).service.getCPNInstances()


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"fixture": "/etc/passwd"}, 400, "fixture must be one of ['demo', 'minimal']"),
        (
            {"start": "3000-01-01T00:00:00Z"},
            400,
            "start must lie between 1990-01-01 and 2200-01-01 (got 3000-01-01)",
        ),
        (
            {"colour": "red"},
            400,
            'send {} or any of {"start": "...Z", "seed": N, "fixture": "minimal"}',
        ),
        ({"clock": "sideways"}, 400, "unknown clock mode 'sideways' (frozen, realtime or xN"
                                     " with N > 0)"),
        ({"clock": 2}, 400, 'clock must be "frozen", "realtime" or "xN"'),
    ],
)
def test_a_wrong_sandbox_request_is_a_400(
    parent: MockChargePoint, body: object, status: int, error: str
) -> None:
    assert admin(parent.wsgi, "POST", "/sandboxes", body) == (status, {"error": error})
    assert admin(parent.wsgi, "GET", "/sandboxes") == (200, [])


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_sandbox_runs_the_clock_mode_it_asks_for(kind: str, tmp_path: Path) -> None:
    """The parent's clock is frozen; a sandbox asks for x60 (and a template of one mode is
    never copied into a sandbox of another)."""
    url = "sqlite://" if kind == "memory" else store_url(kind, tmp_path)
    for parent in serving_parent(url):
        frozen, _ = make(parent, {"start": START_TEXT, "clock": "frozen"})
        fast, _ = make(parent, {"start": START_TEXT, "clock": "x60"})
        assert inside(parent, frozen, "GET", "/clock")["mode"] == "frozen"
        assert inside(parent, fast, "GET", "/clock")["mode"] == "x60"
        assert inside(parent, frozen, "GET", "/clock")["now"] == START_TEXT


def test_a_sandbox_keeps_its_start(parent: MockChargePoint) -> None:
    a, _ = make(parent)
    assert admin(parent.wsgi, "POST", f"/sandboxes/{a}/reset", {"fixture": "demo"}) == (
        400,
        {"error": "a sandbox keeps the start it was made with: make another sandbox"},
    )


def test_parallel_workers_each_with_a_sandbox_do_not_interfere(
    stored_parent: MockChargePoint,
) -> None:
    """Four threads, each its own sandbox: moving clocks and shedding at once."""
    parent = stored_parent
    results: dict[int, tuple[str, tuple[object, ...]]] = {}
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            sandbox, tenants = make(parent)
            client: zeep.Client = parent.client(tenants[0])
            inside(parent, sandbox, "POST", "/clock", {"advance": f"PT{2 + n}H"})
            query = {"shedStation": {"stationID": "1:10002", "percentShedPerStation": 10 * (n + 1)},
                     "timeInterval": 0}
            for _ in range(3):
                assert client.service.shedLoad(shedQuery=query).Success == 1
                inside(parent, sandbox, "POST", "/clock", {"advance": "PT1M"})
            results[n] = (inside(parent, sandbox, "GET", "/clock")["now"], port_load(client)[1:])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert results == {n: (f"2024-03-12T{19 + n}:03:00Z", (1, 10 * (n + 1))) for n in range(4)}
    assert now(parent.wsgi) == START_TEXT


def test_a_template_dropped_behind_the_process_is_built_again(
    stored_parent: MockChargePoint,
) -> None:
    """The process remembers the template world it copied sandboxes from; the store decides:
    when another process (or a wipe) removed it, the next sandbox builds it again instead of
    copying from nothing (a per-process cache is never trusted stale)."""
    parent = stored_parent
    first, _ = make(parent)
    url = parent.settings.database_url
    if url.startswith("sqlite:///"):
        templates = list(Path(url.removeprefix("sqlite:///")).parent.rglob("template-*.sqlite3"))
        assert templates
        for template in templates:
            template.unlink()
    else:
        with parent.wsgi.engine.begin() as conn:
            schemas = conn.execute(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'mockcp_tpl_%'")
            ).scalars()
            for schema in list(schemas):
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    second, tenants = make(parent)
    assert second != first
    reply = parent.client(tenants[0]).service.getCPNInstances()
    assert [c.cpnName for c in reply] == ["USA", "EU", "AU", "CA"]  # a whole world, copied
