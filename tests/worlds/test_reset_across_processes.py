"""A restore made by another process (another app on the same store, so the in-process gate
does not help) while SOAP reads run: every answer belongs to exactly one world.

The two worlds differ in their clock (two hours apart) and in their data (a shed): a read
that took its clock from one and its rows from the other answers neither world's load."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import zeep
from sqlalchemy import Engine, text

from mockcp.config import Settings
from mockcp.db.storegate import StoreGate
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.helpers import SHED_30, admin
from tests.worlds.stores import store_url

Answer = tuple[Decimal, int, int]


def load(client: zeep.Client) -> Answer:
    port = client.service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0].Port[0]
    return port.portLoad, port.shedState, port.percentShed


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_restore_in_another_process_is_seen_whole_or_not_at_all(
    kind: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=store_url(kind, tmp_path), fixture="minimal",
                        clock_mode="frozen", clock_start=START)
    with MockChargePoint(settings) as readers, MockChargePoint(settings) as resetter:
        app, client = resetter.wsgi, readers.client()
        assert admin(app, "POST", "/clock", {"advance": "PT2H"})[0] == 200
        unshed = load(client)  # planned up to this clock
        assert admin(app, "POST", "/snapshots", {"name": "unshed"})[0] == 201
        assert admin(app, "POST", "/clock", {"advance": "PT2H"})[0] == 200
        assert client.service.shedLoad(shedQuery=SHED_30).Success == 1
        shed = load(client)
        assert admin(app, "POST", "/snapshots", {"name": "shed"})[0] == 201
        # each world answers one way, again and again, and the two differ in every field
        assert {load(client) for _ in range(3)} == {shed}
        assert admin(app, "POST", "/snapshots/unshed/restore")[0] == 200
        assert {load(client) for _ in range(3)} == {unshed}
        assert all(a != b for a, b in zip(shed, unshed, strict=True))

        seen: list[Answer] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def reader() -> None:
            mine = readers.client()
            try:
                while not stop.is_set():
                    seen.append(load(mine))
            except BaseException as exc:  # a fault ends the test
                errors.append(exc)

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        for round_ in range(12):
            name = "unshed" if round_ % 2 else "shed"
            assert admin(app, "POST", f"/snapshots/{name}/restore")[0] == 200
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert len(seen) >= 3
    assert set(seen) <= {shed, unshed}, [a for a in seen if a not in {shed, unshed}]


def reset_queued(engine: Engine) -> bool:
    """Whether an exclusive holder waits at the gate (PostgreSQL: an advisory lock not
    granted; SQLite: the turnstile held, which a reset takes before it waits)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                     " AND mode = 'ExclusiveLock'")
            ).scalar_one()
        return bool(waiting)
    with open(f"{engine.url.database}.turnstile", "a+b") as turnstile:
        try:
            fcntl.flock(turnstile, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(turnstile, fcntl.LOCK_UN)
        return False


def wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        threading.Event().wait(0.05)
    raise AssertionError("the condition never held")


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_store_gate_lets_readers_share_and_a_reset_wait_for_them(
    kind: str, tmp_path: Path
) -> None:
    """Two gates on one store (two processes' worth): readers of both hold it together; a
    reset waits until every reader has left, and a reader that comes while the reset waits
    queues behind it (a stream of readers cannot starve a reset)."""
    settings = Settings(database_url=store_url(kind, tmp_path), fixture="minimal")
    with MockChargePoint(settings) as one:
        engine = one.wsgi.engine
        first, second = StoreGate(engine), StoreGate(engine)
        order: list[str] = []

        def reset() -> None:
            with second.exclusive():
                order.append("reset")

        def late_reader() -> None:
            with first.shared():
                order.append("late reader")

        try:
            with first.shared(), second.shared():  # readers share it across "processes"
                resetting = threading.Thread(target=reset)
                resetting.start()
                wait_until(lambda: reset_queued(engine))
                late = threading.Thread(target=late_reader)
                late.start()
                late.join(0.3)
                assert resetting.is_alive() and late.is_alive() and order == []
                order.append("readers done")
            resetting.join(10)
            late.join(10)
            assert order == ["readers done", "reset", "late reader"]
        finally:
            first.close()
            second.close()
