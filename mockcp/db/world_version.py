"""Has the world's database changed since I last looked? In microseconds, across processes.

An answer kept in memory (``mockcp/answers.py``) may be served again only while the world it
was computed from is unchanged, whichever process wrote to the store in between. On a SQLite
file SQLite itself knows: ``PRAGMA data_version`` on a connection changes whenever another
connection (of this process or any other) has committed to the file since the last time that
connection asked. So the process keeps one read-only connection to the world's file that never
writes (its threads ask it in turn: one descriptor per store and process, however many threads
and sandboxes), asks it on every call, and when the answer differs from what it saw last, moves
the process's ``epoch`` on. Everything kept under an older epoch is stale.

The connection is also dropped when the file at the path is another file (a sandbox deleted and
made again at the same name), when the process forked (gunicorn --preload), and at ``forget()``
(this process rebuilt or restored the store), so it never reads a file the store no longer is.
Writes of this process go through other connections, so they are seen like anyone else's.

Only a SQLite file has this: ``for_engine`` gives None for an in-memory store (one connection,
which sees no change of its own) and for PostgreSQL. PostgreSQL has no counter of commits a
client can read, so its world keeps one: ``db/store_epoch.py`` (``StoreEpoch``), a one-row
``world_epoch(token, n)`` that every transaction writing a world table moves on once, at its
COMMIT, from a deferred trigger (the lock on the row is the last a writer takes: no queue
inside transactions, no deadlock), with a token drawn anew whenever the schema is made, read
in one round trip on a connection the request already holds. The two worries that had kept
it unbuilt are answered there: writers do not queue on the row while they hold other locks
(the bump is deferred to commit and taken once per transaction, not per statement), and no
write path can forget it (it is a trigger on every world table, not a call after commit).
The small op served from memory costs about half the server CPU of computing it on
PostgreSQL (BENCHMARKS.md, *s7pg*).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from dataclasses import dataclass

from sqlalchemy import Engine

MEMORY = frozenset({None, "", ":memory:"})


@dataclass(slots=True)
class _Probe:
    """The process's read-only look at the file."""

    conn: sqlite3.Connection
    file: tuple[int, int]  # (st_dev, st_ino) of the file it opened
    pid: int
    seen: int | None = None  # the last data_version this connection answered


class WorldVersion:
    """The epoch of one SQLite world file, as seen by this process (see the module doc)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._uri = f"file:{path}?mode=ro"
        self._lock = threading.Lock()  # the probe, the epoch: one thread at a time
        self._epoch = 0
        self._probe: _Probe | None = None

    @classmethod
    def for_engine(cls, engine: Engine) -> WorldVersion | None:
        if engine.dialect.name != "sqlite" or engine.url.database in MEMORY:
            return None
        return cls(str(engine.url.database))

    def current(self) -> int | None:
        """This process's epoch of the file after looking at it now; None when the file
        cannot be read (absent, being made): nothing may be served from memory then."""
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        file = (stat.st_dev, stat.st_ino)
        with self._lock:
            probe = self._probe
            if probe is None or probe.file != file or probe.pid != os.getpid():
                probe = self._open(file)
                if probe is None:
                    return None
            try:
                row = probe.conn.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                self._drop()
                return None
            if row is None:
                return None
            version = int(row[0])
            if version != probe.seen:  # a new connection has seen nothing: it moves the epoch
                self._epoch += 1
                probe.seen = version
            return self._epoch

    def forget(self) -> None:
        """Stale everything: this process rebuilds, restores or resets the store."""
        with self._lock:
            self._epoch += 1
            self._drop()

    def close(self) -> None:
        self.forget()

    def _open(self, file: tuple[int, int]) -> _Probe | None:
        """A new probe (under the lock), the old one closed unless another process's."""
        self._drop()
        try:
            conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
        except sqlite3.Error:
            return None
        self._probe = _Probe(conn, file, os.getpid())
        return self._probe

    def _drop(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None and probe.pid == os.getpid():  # a parent's is left alone
            with contextlib.suppress(sqlite3.Error):
                probe.conn.close()
