"""A call's journal row on SQLite (``mockcp.db.journal_rows``, issue 18): the quick path stores
exactly what the general path (``journal.record`` on a SQLAlchemy connection) stores, its
connections follow rebuilds and close with the store, and writers of several processes lose
no row."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from mockcp.db.engine import make_engine
from mockcp.db.journal_rows import CHECKPOINT_ROWS, LOCK_SUFFIX
from mockcp.db.journal_store import SUFFIX, JournalStore
from mockcp.db.journal_table import COLUMNS, TABLE
from mockcp.domain import journal
from mockcp.domain.journal import Call, JournalEntry

STORES = ["sqlite-file", "memory"]


@contextmanager
def journal_store(kind: str, where: Path) -> Iterator[JournalStore]:
    world = make_engine("sqlite://" if kind == "memory" else f"sqlite:///{where}/w.sqlite3")
    store = JournalStore(world)
    store.create()
    try:
        yield store
    finally:
        store.close()
        world.dispose()


def general(store: JournalStore, call: Call, limit: int, xml_calls: int) -> None:
    """The row as the general path writes it: ``record`` in ``writing()``'s transaction."""
    with store.writing() as conn:
        journal.record(conn, call, limit, xml_calls)


def raw_rows(store: JournalStore) -> list[tuple[Any, ...]]:
    """Every stored value as SQLite holds it, with its storage class."""
    picked = ", ".join(f"{name}, typeof({name})" for name in ("id", *COLUMNS))
    with store.reading() as db:
        found = db.connection().exec_driver_sql(f"SELECT {picked} FROM journal_entry ORDER BY id")
        return [tuple(row) for row in found]


def orm_rows(store: JournalStore) -> list[dict[str, object]]:
    with store.reading() as db:
        entries = db.scalars(select(JournalEntry).order_by(JournalEntry.id)).all()
        return [{column.name: getattr(e, column.key) for column in TABLE.columns} for e in entries]


def both_ways(
    kind: str, where: Path, calls: list[Call], limit: int, xml_calls: int
) -> tuple[list[Any], list[Any]]:
    """(raw rows, ORM rows) of ``calls`` written the general way, then journal.append's."""
    found: list[tuple[list[Any], list[Any]]] = []
    ways: list[Callable[[JournalStore, Call, int, int], None]] = [general, journal.append]
    for number, way in enumerate(ways):
        (where / str(number)).mkdir(exist_ok=True)
        with journal_store(kind, where / str(number)) as store:
            for call in calls:
                way(store, call, limit, xml_calls)
            found.append((raw_rows(store), orm_rows(store)))
    (raw_general, orm_general), (raw_quick, orm_quick) = found
    assert raw_quick == raw_general
    assert orm_quick == orm_general
    return raw_quick, orm_quick


def a_call(number: int, **changes: Any) -> Call:
    at = datetime(2024, 3, 12, 17, tzinfo=UTC) + timedelta(seconds=number)
    fields: dict[str, Any] = {
        "at": at, "wall_at": at, "version": "5.1", "operation": "getStations", "org_id": "1:ORG",
        "http_status": 200, "response_code": "100", "fault": None, "duration_ms": 1.25,
        "params": {"searchQuery": {}}, "request_xml": f"<q n='{number}'/>",
        "response_xml": "<a/>",
    }  # fmt: skip
    fields.update(changes)
    return Call(**fields)


TEXT = st.text(max_size=12)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
INSTANTS = st.datetimes(
    datetime(2001, 1, 1), datetime(2090, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=9))]),
)  # fmt: skip
CALLS = st.builds(
    Call, at=INSTANTS, wall_at=INSTANTS, version=st.none() | st.sampled_from(["5.0", "5.1"]),
    operation=st.none() | TEXT, org_id=st.none() | TEXT, http_status=st.integers(100, 599),
    response_code=st.none() | TEXT, fault=st.none() | TEXT,
    duration_ms=st.floats(0, 1e7, allow_nan=False), params=JSON,
    details=st.dictionaries(TEXT, TEXT, max_size=3), request_xml=st.none() | TEXT,
    response_xml=st.none() | TEXT,
)  # fmt: skip


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=15, deadline=None)
@given(calls=st.lists(CALLS, min_size=1, max_size=6))
def test_the_quick_row_is_the_general_rows_column_for_column(
    kind: str, calls: list[Call], tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw, orm = both_ways(kind, tmp_path_factory.mktemp("rows"), calls, 10_000, 0)
    assert [row["operation"] for row in orm] == [call.operation for call in calls]
    assert [row["params"] for row in orm] == [call.params for call in calls]
    assert all(row[2 * (1 + COLUMNS.index("at")) + 1] == "text" for row in raw)


@pytest.mark.parametrize("kind", STORES)
def test_the_bounds_trim_and_sweep_the_same_rows(kind: str, tmp_path: Path) -> None:
    """Past the limit every row drops the oldest; every XML_SWEEP ids the older calls' XML
    goes: the same rows on both paths, and as the rule says."""
    calls = [a_call(n, params=None if n % 7 == 0 else {"n": str(n)}) for n in range(1, 331)]
    _, orm = both_ways(kind, tmp_path, calls, 150, 40)
    assert [row["id"] for row in orm] == list(range(181, 331))  # the newest 150
    kept = [row["id"] for row in orm if row["request_xml"] is not None]
    assert kept == list(range(261, 331))  # swept at 300: up to 260; 301-330 not yet
    assert [row["params"] for row in orm if row["id"] % 7 == 0][:2] == [None, None]


@pytest.mark.parametrize("kind", STORES)
def test_rows_follow_a_rebuild_here_and_by_another_process(kind: str, tmp_path: Path) -> None:
    def append(store: JournalStore, number: int) -> int:
        return store.append(journal.row_values(a_call(number)), 100, 0)

    with journal_store(kind, tmp_path) as store:
        assert [append(store, n) for n in range(3)] == [1, 2, 3]
        store.rebuild()  # dropped and made again: ids start over
        assert append(store, 9) == 1
        last = a_call(9).at
        if kind == "sqlite-file":  # another process's store on the same files rebuilds it
            world = make_engine(f"sqlite:///{tmp_path}/w.sqlite3")
            other = JournalStore(world)
            try:
                assert append(other, 10) == 2
                other.rebuild()
            finally:
                other.close()
                world.dispose()
            assert append(store, 11) == 1  # this store's connection sees the new table
            last = a_call(11).at
        assert [row["at"] for row in orm_rows(store)] == [last]


def test_a_row_waits_for_the_writers_turn_on_the_lock_file(tmp_path: Path) -> None:
    """The turn is the flock on ``<journal>.lock``, which another process may hold."""
    with journal_store("sqlite-file", tmp_path) as store:
        lock = os.open(tmp_path / f"w.sqlite3{SUFFIX}{LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            writer = threading.Thread(target=lambda: journal.append(store, a_call(1), 100, 0))
            writer.start()
            writer.join(0.5)
            waited = writer.is_alive()
            rows_meanwhile = orm_rows(store)
            fcntl.flock(lock, fcntl.LOCK_UN)
            writer.join()
        finally:
            os.close(lock)
        assert waited and rows_meanwhile == []
        assert [row["id"] for row in orm_rows(store)] == [1]


def open_files(path: Path, suffixes: tuple[str, ...] = ("", "-wal", "-shm", LOCK_SUFFIX)) -> int:
    """How many of this process's descriptors point at ``path`` or its journal files."""
    names = {str(path) + suffix for suffix in suffixes}
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            found += os.readlink(f"/proc/self/fd/{fd}") in names
        except OSError:
            continue
    return found


def test_the_threads_of_a_process_share_one_connection_closed_with_the_store(
    tmp_path: Path,
) -> None:
    """However many threads write rows, a store holds one connection to the journal (and one
    descriptor of its lock file) in a process, and none after ``close()``."""
    journal_file = tmp_path / f"w.sqlite3{SUFFIX}"
    with journal_store("sqlite-file", tmp_path) as store:
        store.release()  # the pool's connection of create(): only the rows' own are counted
        assert open_files(journal_file) == 0
        wrote, done = threading.Semaphore(0), threading.Event()

        def writer(number: int) -> None:
            journal.append(store, a_call(number), 100, 0)
            wrote.release()
            done.wait()

        living = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
        try:
            for thread in living:
                thread.start()
            for _ in living:
                wrote.acquire()  # each of the four has written its row, and lives on
            ended = threading.Thread(target=lambda: journal.append(store, a_call(9), 100, 0))
            ended.start()
            ended.join()
            with_five = open_files(journal_file, (LOCK_SUFFIX,)), open_files(journal_file, ("",))
            store.close()  # while the four threads still live
            after_close = open_files(journal_file)
        finally:
            done.set()
            for thread in living:
                thread.join()
        assert with_five == (1, 1) and after_close == 0
        journal.append(store, a_call(10), 100, 0)  # a closed store opens anew
        assert len(orm_rows(store)) == 6
    assert open_files(journal_file) == 0


ROWS = 200  # per thread: 4 threads in each of two processes


def write_rows(url: str, name: str, out: Any) -> None:
    """A writer process: four threads appending ROWS rows each; puts what went wrong."""
    store = JournalStore(make_engine(url))
    failed: list[str] = []

    def write(thread: int) -> None:
        try:
            for n in range(ROWS):
                journal.append(store, a_call(n, operation=f"{name}-{thread}",
                                             duration_ms=float(n)), 100_000, 0)  # fmt: skip
        except Exception as exc:  # noqa: BLE001  (reported to the test)
            failed.append(repr(exc))

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    out.put((name, failed))


def test_writers_of_several_processes_lose_no_row(tmp_path: Path) -> None:
    """Two processes of four threads each append at once: every row is kept, in each
    writer's order, with ids 1..N, and no writer ever raised ("database is locked")."""
    url = f"sqlite:///{tmp_path}/w.sqlite3"
    world: Engine = make_engine(url)
    store = JournalStore(world)
    store.create()
    store.release()  # nothing open across the fork
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    try:
        writers = [ctx.Process(target=write_rows, args=(url, f"p{n}", out)) for n in range(2)]
        with warnings.catch_warnings():  # (Python 3.12 warns of fork beside xdist's threads:
            # the children only append through stores of their own)
            warnings.filterwarnings("ignore", "This process .* is multi-threaded")
            for writer in writers:
                writer.start()
        reports = sorted(out.get(timeout=120) for _ in writers)
        for writer in writers:
            writer.join(60)
        assert reports == [("p0", []), ("p1", [])]
        assert [writer.exitcode for writer in writers] == [0, 0]
        rows = orm_rows(store)
        assert [row["id"] for row in rows] == list(range(1, 2 * 4 * ROWS + 1))
        for n in range(2):
            for thread in range(4):
                mine = [row["duration_ms"] for row in rows if row["operation"] == f"p{n}-{thread}"]
                assert mine == [float(i) for i in range(ROWS)]  # each writer's rows, in order
    finally:
        store.close()
        world.dispose()


def test_the_rows_connections_checkpoint_the_wal_after_their_turn(tmp_path: Path) -> None:
    """Their commits never checkpoint (``wal_autocheckpoint=0``), so the rows checkpoint it
    themselves every CHECKPOINT_ROWS ids: the WAL is reused, not grown by every row."""
    big = "x" * 4096  # a row of about two pages
    with journal_store("sqlite-file", tmp_path) as store:
        store.release()  # no other connection of the engine commits meanwhile
        for n in range(8 * CHECKPOINT_ROWS):
            journal.append(store, a_call(n, request_xml=big, response_xml=big), 100_000, 0)
        wal = (tmp_path / f"w.sqlite3{SUFFIX}-wal").stat().st_size
        assert len(orm_rows(store)) == 8 * CHECKPOINT_ROWS
    # About one checkpoint's worth of rows (each a few pages); never checkpointed, the WAL
    # would hold every row's pages, more than all of their XML (measured: 5 MB against 31).
    written = 8 * CHECKPOINT_ROWS * 2 * len(big)
    assert 0 < wal < written / 2


@pytest.mark.parametrize("kind", STORES)
def test_a_rows_statements_are_observed_for_counting(kind: str, tmp_path: Path) -> None:
    """A call's counted work (tests/soap/work.py) sees its row's statements on this path too:
    the insert, and past the limit the trim."""
    seen: list[str] = []
    with journal_store(kind, tmp_path) as store, store.observed(seen.append):
        journal.append(store, a_call(1), 1, 0)
        journal.append(store, a_call(2), 1, 0)
    assert [statement.split()[0] for statement in seen] == ["INSERT", "INSERT", "DELETE"]
