"""Sandbox templates go when no sandbox uses them (at the last delete, a reset, a shutdown),
and a process keeps a bounded number of sandbox apps open (least recently used closed)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from mockcp.db.engine import make_engine
from mockcp.domain.tenants import Tenant
from mockcp.sandboxes import Sandboxes
from mockcp.testing import MockChargePoint
from tests.worlds.helpers import admin
from tests.worlds.test_sandboxes import START_TEXT, inside, make, serving_parent, stored_parent

__all__ = ["stored_parent"]  # the fixture, parametrized over SQLite and PostgreSQL


def boxes(parent: MockChargePoint) -> Sandboxes:
    assert parent.wsgi.sandboxes is not None
    return parent.wsgi.sandboxes


def answers(parent: MockChargePoint, sandbox: str) -> list[str]:
    """The CPN names the sandbox's first tenant reads over SOAP (a whole world answers)."""
    _, found = admin(parent.wsgi, "GET", f"/sandboxes/{sandbox}/tenants")
    tenant = Tenant(found[0]["orgID"], found[0]["organizationName"], found[0]["licenseKey"],
                    found[0]["password"])
    return [c.cpnName for c in parent.client(tenant).service.getCPNInstances()]


def orphan_every_template(parent: MockChargePoint) -> None:
    """Forget which sandbox came from which template, as a crash between a template's build
    and its record (or a store from before the record) leaves it."""
    with parent.wsgi.engine.begin() as conn:
        conn.execute(text("DELETE FROM mockcp_sandbox_template"))


def test_a_template_goes_with_the_last_sandbox_copied_from_it(
    stored_parent: MockChargePoint,
) -> None:
    parent, templates = stored_parent, boxes(stored_parent).templates
    other, _ = make(parent, {"start": "2024-06-01T00:00:00Z"})
    other_template = templates.present()
    assert len(other_template) == 1
    a, _ = make(parent)
    b, _ = make(parent)
    assert len(templates.present()) == 2
    assert admin(parent.wsgi, "DELETE", f"/sandboxes/{a}")[0] == 200
    assert len(templates.present()) == 2  # b still came from it
    assert admin(parent.wsgi, "DELETE", f"/sandboxes/{b}")[0] == 200
    assert templates.present() == other_template
    assert answers(parent, other) == ["USA", "EU", "AU", "CA"]
    c, _ = make(parent)  # its template is built again
    assert answers(parent, c) == ["USA", "EU", "AU", "CA"]
    assert len(templates.present()) == 2


def test_reset_and_shutdown_remove_templates_no_sandbox_uses(
    stored_parent: MockChargePoint, tmp_path: Path
) -> None:
    parent, templates = stored_parent, boxes(stored_parent).templates
    kept, _ = make(parent)
    orphan_every_template(parent)
    assert len(templates.present()) == 1
    assert admin(parent.wsgi, "POST", "/reset") == (200, {"status": "reset"})
    assert templates.present() == []
    assert answers(parent, kept) == ["USA", "EU", "AU", "CA"]  # its world is its own

    url = parent.settings.database_url
    with MockChargePoint(parent.settings) as second:  # another process on the store
        make(second)
        orphan_every_template(second)
        assert len(boxes(second).templates.present()) == 1
    assert boxes(parent).templates.present() == []  # the shutdown removed it
    if url.startswith("sqlite:///"):
        folder = Path(f"{url.removeprefix('sqlite:///')}.sandboxes")
        assert list(folder.glob("template-*")) == []
    else:
        engine = make_engine(url)
        with engine.connect() as conn:
            left = conn.execute(
                text("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'mockcp_tpl_%'")
            ).scalar_one()
        engine.dispose()
        assert left == 0


def test_a_process_keeps_a_bounded_number_of_sandbox_apps_open(
    stored_parent: MockChargePoint,
) -> None:
    parent, sandboxes = stored_parent, boxes(stored_parent)
    sandboxes.max_open = 2
    first, _ = make(parent)
    inside(parent, first, "POST", "/clock", {"advance": "PT1H"})
    second, _ = make(parent)
    third, _ = make(parent)
    assert sandboxes.open_ids() == [second, third]  # the least recently used was closed
    # closed is not gone: the next call opens it again, with everything it had
    assert inside(parent, first, "GET", "/clock")["now"] == "2024-03-12T18:00:00Z"
    assert sandboxes.open_ids() == [third, first]
    assert admin(parent.wsgi, "DELETE", f"/sandboxes/{third}")[0] == 200
    assert sandboxes.open_ids() == [first]


def test_in_memory_sandboxes_are_never_closed_to_make_room() -> None:
    for parent in serving_parent("sqlite://"):
        boxes(parent).max_open = 1
        made = [make(parent)[0] for _ in range(3)]
        assert boxes(parent).open_ids() == made
        for sandbox in made:
            assert inside(parent, sandbox, "GET", "/clock")["now"] == START_TEXT


def test_a_sqlite_store_without_sandboxes_gets_no_templates_folder(tmp_path: Path) -> None:
    """A world file that never had a sandbox is left alone beside the user's other files:
    a reset and a shutdown (which collect unused templates) make no ``.sandboxes`` folder."""
    from mockcp.app import create_app
    from mockcp.config import Settings, parse_start

    store = tmp_path / "world.sqlite3"
    app = create_app(
        Settings(database_url=f"sqlite:///{store}", fixture="minimal", clock_mode="frozen",
                 clock_start=parse_start(START_TEXT))
    )  # fmt: skip
    app.reset()
    app.close()
    assert not Path(f"{store}.sandboxes").exists()
    assert store.exists()
