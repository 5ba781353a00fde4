"""One process at a time builds or replaces the world of a database.

PostgreSQL: a session advisory lock (one per schema: a sandbox builds beside its parent);
SQLite file: an exclusive ``flock`` on ``<file>.lock``
beside the database; in-memory SQLite lives in one process, a thread lock suffices.
"""

from __future__ import annotations

import fcntl
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

ADVISORY_KEY = 0x6D6F636B6370  # "mockcp"
_THREADS = threading.RLock()


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


@contextmanager
def world_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's world lock (blocking until the current holder is done)."""
    with _THREADS:
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                key = ADVISORY_KEY + zlib.crc32(str(engine.url.query).encode())  # per schema
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    conn.commit()
            return
        path = _sqlite_file(engine)
        if path is None:
            yield
            return
        with world_lock_file(path):
            yield


@contextmanager
def world_lock_file(path: Path) -> Iterator[None]:
    """The world lock of the SQLite file at ``path``: an exclusive flock on ``<path>.lock``."""
    with open(f"{path}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
