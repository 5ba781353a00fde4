"""The world gate of a store, across processes: requests share it, a reset takes it alone.

A request (SOAP, control plane, dashboard) holds the gate shared from its start to its end;
a reset, a snapshot restore or save holds it exclusive. So a request that runs while another
process resets the store sees the old world from start to end, or the new one, never a
clock of one and rows of the other. Waiting is fair: once a reset waits, new requests queue
behind it, and it never starves behind a stream of overlapping readers.

- PostgreSQL: a session advisory lock (``pg_advisory_lock_shared`` / ``pg_advisory_lock``)
  on a key per schema (a sandbox has its own), held on a connection of a small engine of its
  own, taken before the request opens any other connection (so the pools never wait on each
  other). PostgreSQL queues a shared request behind a waiting exclusive one. While a thread
  holds the gate shared, ``held()`` lends that connection (autocommit) to the request's
  single-statement work: the call's state and its journal row, so they cost no connection
  checkout, ping or BEGIN/COMMIT of their own (issue 18).
- SQLite file: ``flock`` on ``<file>.gate`` (shared or exclusive), entered through a
  turnstile ``<file>.turnstile`` that a reset holds while it waits, so readers cannot starve
  it. Each holder opens its own file description, so threads of one process exclude each
  other as processes do.
- In-memory SQLite lives in one process: the in-process gate (``WorldGate`` below) is
  the whole story, and this gate does nothing.
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text

from mockcp.db.engine import server_options

GATE_KEY = 0x6D6F636B6761  # "mockga": apart from the world lock's keys
GATE_SUFFIXES = (".gate", ".turnstile")


class StoreGate:
    """The cross-process gate of the store behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self._key = GATE_KEY + zlib.crc32(str(engine.url.query).encode())  # per schema
        self._path: Path | None = None
        self._locks: Engine | None = None
        if engine.dialect.name == "postgresql":
            # Its own pool: a request takes its gate connection before any other, so a
            # request never holds a world connection while it waits for a gate one.
            self._locks = create_engine(
                engine.url, pool_size=2, max_overflow=-1, pool_pre_ping=True,
                isolation_level="AUTOCOMMIT",
                connect_args=server_options(engine.url.render_as_string(hide_password=False)),
            )
            # A gate dropped without close() (an app a caller never closed) still closes its
            # pooled connections, rather than leaving them to the garbage collector.
            weakref.finalize(self, self._locks.dispose)
        elif engine.url.database not in {None, "", ":memory:"}:
            self._path = Path(str(engine.url.database))
        self._local = threading.local()  # per thread: the gate files it keeps open

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the gate with the other requests (blocks while a reset holds or awaits it)."""
        with self._hold(exclusive=False):
            yield

    def held(self) -> Connection | None:
        """PostgreSQL: the connection holding this thread's shared gate now, in autocommit
        (each statement on it commits alone); None on SQLite and outside the gate."""
        conn: Connection | None = getattr(self._local, "held", None)
        return conn

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the gate alone: every process's requests have ended, new ones wait."""
        with self._hold(exclusive=True):
            yield

    @contextmanager
    def _hold(self, exclusive: bool) -> Iterator[None]:
        if self._locks is not None:
            suffix = "" if exclusive else "_shared"
            with self._locks.connect() as conn:
                conn.execute(text(f"SELECT pg_advisory_lock{suffix}(:key)"), {"key": self._key})
                lent = getattr(self._local, "held", None)
                if not exclusive:
                    self._local.held = conn
                try:
                    yield
                finally:
                    self._local.held = lent
                    if not conn.invalidated:  # a lost session's locks went with it
                        conn.execute(
                            text(f"SELECT pg_advisory_unlock{suffix}(:key)"), {"key": self._key}
                        )
            return
        if self._path is None:
            yield
            return
        if not exclusive:
            with self._shared_files():
                yield
            return
        with (
            open(f"{self._path}.turnstile", "a+b") as turnstile,
            open(f"{self._path}.gate", "a+b") as gate,
        ):
            fcntl.flock(turnstile, fcntl.LOCK_EX)  # queue behind a reset that waits
            try:
                fcntl.flock(gate, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            finally:
                if not exclusive:
                    fcntl.flock(turnstile, fcntl.LOCK_UN)
            try:
                yield
            finally:
                fcntl.flock(gate, fcntl.LOCK_UN)
                if exclusive:
                    fcntl.flock(turnstile, fcntl.LOCK_UN)

    @contextmanager
    def _shared_files(self) -> Iterator[None]:
        """Shared on SQLite: as ``_hold`` does, on the two files this thread keeps open (its
        own file descriptions, as before; not reopened on every request)."""
        files = getattr(self._local, "files", None)
        if files is None or files.pid != os.getpid():  # (a forked child opens its own)
            files = self._local.files = _ThreadFiles(str(self._path))
        if files.depth:  # already held by this thread: flock again would change nothing
            files.depth += 1
            try:
                yield
            finally:
                files.depth -= 1
            return
        fcntl.flock(files.turnstile, fcntl.LOCK_EX)  # queue behind a reset that waits
        try:
            fcntl.flock(files.gate, fcntl.LOCK_SH)
        finally:
            fcntl.flock(files.turnstile, fcntl.LOCK_UN)
        files.depth = 1
        try:
            yield
        finally:
            files.depth = 0
            fcntl.flock(files.gate, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._locks is not None:
            self._locks.dispose()


class _ThreadFiles:
    """One thread's descriptors of a store's turnstile and gate files (closed with it)."""

    def __init__(self, path: str) -> None:
        self.pid = os.getpid()
        self.depth = 0
        self.turnstile = os.open(f"{path}.turnstile", os.O_RDWR | os.O_CREAT | os.O_APPEND)
        self.gate = os.open(f"{path}.gate", os.O_RDWR | os.O_CREAT | os.O_APPEND)

    def __del__(self) -> None:
        for fd in (self.turnstile, self.gate):
            with suppress(OSError):
                os.close(fd)


class WorldGate:
    """Requests share the world; a reset waits for them and holds new ones until it is done:
    in this process (threads), and through ``store`` in every process on the store."""

    def __init__(self, store: StoreGate | None = None) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._rebuilding = False
        self._store = store

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._rebuilding)
            self._readers += 1
        try:
            if self._store is None:
                yield
            else:
                with self._store.shared():
                    yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._rebuilding)
            self._rebuilding = True
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            if self._store is None:
                yield
            else:
                with self._store.exclusive():
                    yield
        finally:
            with self._cond:
                self._rebuilding = False
                self._cond.notify_all()
