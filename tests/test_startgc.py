"""``mockcp serve`` starts with Python's cyclic collector off, and serves with it on and the
start's heap frozen (mockcp/startgc.py); an in-process caller gets its collector back as it
had it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import zeep
from zeep.wsse.username import UsernameToken

from mockcp.cli import main
from mockcp.startgc import built_for_good, collector_after_start
from tests.serving import free_port


@pytest.fixture
def collector() -> Iterator[None]:
    """The test process's collector on and nothing frozen, and so again after the test."""
    enabled = gc.isenabled()
    gc.enable()
    assert gc.get_freeze_count() == 0
    try:
        yield
    finally:
        gc.unfreeze()
        if not enabled:
            gc.disable()


@pytest.mark.server
@pytest.mark.usefixtures("collector")
def test_serve_builds_with_the_collector_off_and_answers_soap_with_it_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mockcp.app
    import mockcp.server

    seen: dict[str, object] = {}
    create_app = mockcp.app.create_app

    def building(*args: Any, **kwargs: Any) -> mockcp.app.MockChargePointApp:
        seen["collector while building"] = gc.isenabled()
        return create_app(*args, **kwargs)

    def serving(app: mockcp.app.MockChargePointApp, host: str, port: int) -> None:
        seen["collector while serving"] = gc.isenabled()
        seen["frozen while serving"] = gc.get_freeze_count()
        with app.sessions() as db:
            from mockcp.domain.tenants import list_tenants

            tenant = list_tenants(db)[0]
        with mockcp.server.running(app, host, port) as base:  # the first call after ready
            client = zeep.Client(
                f"{base}/cp_api_5.1.wsdl",
                wsse=UsernameToken(tenant.license_key, tenant.password),
            )
            rows = client.service.getCPNInstances()
        seen["cpn"] = [row.cpnID for row in rows]

    monkeypatch.setattr(mockcp.app, "create_app", building)
    monkeypatch.setattr(mockcp.server, "serve_forever", serving)
    monkeypatch.setenv("MOCKCP_PROGRESS", "0")
    argv = ["serve", "--fixture", "minimal", "--db", "sqlite://", "--port", str(free_port())]
    assert main([*argv, "--clock", "frozen", "--start", "2024-03-12T17:00:00Z"]) == 0
    assert seen["collector while building"] is False
    assert seen["collector while serving"] is True
    assert isinstance(seen["frozen while serving"], int) and seen["frozen while serving"] > 10_000
    assert seen["cpn"] == ["1", "2", "3", "4"]
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the caller's collector, as it was


@pytest.mark.usefixtures("collector")
def test_a_caller_with_the_collector_off_or_objects_frozen_keeps_them() -> None:
    gc.disable()
    with collector_after_start() as ready:
        ready()
        assert not gc.isenabled() and gc.get_freeze_count() > 0
    assert not gc.isenabled() and gc.get_freeze_count() == 0
    gc.enable()
    gc.freeze()  # the caller's own: the start neither adds to them nor thaws them
    frozen = gc.get_freeze_count()
    with collector_after_start() as ready:
        assert not gc.isenabled()
        made: list[list[object]] = [[] for _ in range(1000)]  # objects the start made
        ready()
        assert gc.isenabled() and gc.get_freeze_count() <= frozen  # none of them frozen
    assert gc.isenabled() and 0 < gc.get_freeze_count() <= frozen
    assert len(made) == 1000


@pytest.mark.usefixtures("collector")
def test_a_start_that_fails_gives_the_collector_back() -> None:
    with pytest.raises(RuntimeError), collector_after_start():
        assert not gc.isenabled()
        raise RuntimeError("the world did not build")
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector")
def test_garbage_made_after_ready_is_collected() -> None:
    with collector_after_start() as ready:
        ready()
        frozen = gc.get_freeze_count()
        ring: list[object] = []
        ring.append(ring)  # a cycle only the collector frees
        del ring
        assert gc.collect() >= 1
        assert gc.get_freeze_count() == frozen


@pytest.mark.usefixtures("collector")
def test_a_gunicorn_worker_builds_with_the_collector_off_and_keeps_its_heap_frozen() -> None:
    def build() -> tuple[bool, list[object]]:
        return gc.isenabled(), [[] for _ in range(1000)]

    enabled_while_building, made = built_for_good(build)
    assert enabled_while_building is False
    assert gc.isenabled() and gc.get_freeze_count() >= len(made)
    gc.unfreeze()

    def failing() -> None:
        raise RuntimeError("the world did not build")

    with pytest.raises(RuntimeError):
        built_for_good(failing)
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector")
def test_a_world_is_built_with_the_collector_paused_and_reset_builds_so_too() -> None:
    """An in-process world (the pytest plugin's, a sandbox's, a reset to a new start) is
    built with the collector off: every statement of the build runs so; serving does not."""
    import threading

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from mockcp.clock import ManualClock
    from mockcp.config import Settings, parse_start
    from mockcp.testing import MockChargePoint

    seen: list[tuple[str, bool]] = []
    builder = threading.get_ident()

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        writes = sql.lstrip().upper().startswith("INSERT")  # a build's rows
        if threading.get_ident() == builder and (writes or stage == "serve"):
            seen.append((stage, gc.isenabled()))

    stage = "build"
    event.listen(Engine, "before_cursor_execute", statement)
    try:
        settings = Settings(database_url="sqlite://", fixture="minimal", planned_cache=False)
        with MockChargePoint(settings, ManualClock(parse_start("2024-03-12T17:00:00Z"))) as mock:
            assert gc.isenabled()
            stage = "serve"
            tenant = mock.tenants()[0]
            assert [c.cpnName for c in mock.client(tenant).service.getCPNInstances()][0] == "USA"
            stage = "reset to a new start"
            mock.wsgi.reset({"start": "2024-06-01T00:00:00Z"})
            assert gc.isenabled()
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
    by_stage: dict[str, set[bool]] = {}
    for where, enabled in seen:
        by_stage.setdefault(where, set()).add(enabled)
    assert by_stage["build"] == {False}
    assert by_stage["serve"] == {True}  # the call's reads
    assert by_stage["reset to a new start"] == {False}


@pytest.mark.usefixtures("collector")
def test_builds_in_two_threads_share_one_pause() -> None:
    """The collector comes back when the last of two overlapping builds ends, not before."""
    import threading

    from mockcp.startgc import collector_paused

    entered, leave = threading.Event(), threading.Event()

    def long_build() -> None:
        with collector_paused():
            entered.set()
            leave.wait(10)

    other = threading.Thread(target=long_build)
    other.start()
    assert entered.wait(10)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other build still runs
    leave.set()
    other.join(10)
    assert gc.isenabled()
