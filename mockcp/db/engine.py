"""Engine and session construction; the schema is created from the models."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from mockcp.db import activity, people, store_epoch, timelimit, world_state  # noqa: F401
from mockcp.db.models import Base


def make_engine(url: str) -> Engine:
    """An engine for ``url``; in-memory SQLite shares one connection across threads."""
    if url.startswith("sqlite"):
        in_memory = url in {"sqlite://", "sqlite:///:memory:"}
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if in_memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        if not in_memory:
            event.listen(engine, "connect", _sqlite_wal)
        timelimit.install(engine)  # statements stop at a request's deadline (mockcp.deadline)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args=server_options(url))


def server_options(url: str) -> dict[str, str]:
    """PostgreSQL: commits do not wait for the WAL flush (a crash of PostgreSQL itself may lose
    the last few: a mock's world, never corrupted), and the world lock is not held across an
    fsync per request. The URL's own ``options`` (a sandbox's search_path) are kept beside it.
    Every engine on the store takes these (the store gate's too: a call's journal row is
    written on its connection)."""
    if not url.startswith("postgresql"):
        return {}
    given = make_url(url).query.get("options", "")
    given = " ".join(given) if isinstance(given, tuple) else given
    return {"options": f"{given} -c synchronous_commit=off".strip()}


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


# Writers queue for the world lock (mockcp.sim.store.locking) through SQLite's busy handler:
# long enough for 32 clients queued behind each other's writes.
BUSY_TIMEOUT_MS = 30_000


def _sqlite_wal(dbapi_connection: object, _record: object) -> None:
    """A file database in WAL mode: readers see the last committed world while a reset or a
    write runs, and never wait for the writer. synchronous=NORMAL: a commit is written to the
    WAL without an fsync, so every acknowledged commit survives the death of the process
    (``kill -9``, tested in tests/worlds/test_serve.py); only a crash of the machine itself
    may lose the last ones, as PostgreSQL's ``synchronous_commit=off`` above. FULL cost an
    fsync per journal row, which was most of a small call's time (issue 18)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_connection(path: str) -> sqlite3.Connection:
    """A plain DBAPI connection to the SQLite file ``path`` with the settings an engine's
    connections get (``make_engine``: foreign keys, busy timeout, WAL, synchronous=NORMAL), in
    autocommit mode (its user writes BEGIN and COMMIT), usable from any thread. For a
    connection kept open by one thread outside any pool (``db.journal_rows``); it has no
    request time limit (``timelimit``): its user runs outside any request's deadline."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    _sqlite_pragmas(connection, None)
    _sqlite_wal(connection, None)
    return connection


def release_connections(engine: Engine) -> None:
    """Close pooled connections (before a fork); an in-memory database keeps its only one."""
    if not isinstance(engine.pool, StaticPool):
        engine.dispose()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    sessions = sessionmaker(engine, expire_on_commit=False)
    timelimit.bound_transactions(sessions, BUSY_TIMEOUT_MS)  # a request's time limit
    return sessions


def create_schema(engine: Engine) -> None:
    """The world's tables; on PostgreSQL its epoch too (``db/store_epoch.py``)."""
    Base.metadata.create_all(engine)
    store_epoch.install(engine)


def drop_schema(engine: Engine) -> None:
    Base.metadata.drop_all(engine)
    store_epoch.uninstall(engine)
