"""One call's journal row on a SQLite journal, cheaply: the row the SOAP edge writes for every
call (``domain.journal.append`` through ``db.journal_store.JournalStore.append``).

What the row costs on the general path (a pooled connection, ``engine.begin()``, SQLAlchemy
compiling and processing the statement) is most of it; what it stores is not changed here:

- The statements are ``db.journal_table``'s own (``INSERT``, ``TRIM``, ``SWEEP``, with the
  same ``upkeep`` rule), compiled once for the dialect, each value passed through its column
  type's own bind processor (the timestamps' text, the JSON's encoding): the stored row is the
  one ``journal_table.insert_row`` stores (``tests/worlds/test_journal_rows.py``).
- A SQLite file: one connection per process (``engine.sqlite_connection``: the engine's
  settings), opened on the first row, closed at ``close()`` and before a fork
  (``release()``); a rebuild or a restore of the journal opens a new one for the next row
  (``renew()``). SQLite takes one writer at a time anyway, so the process's threads take
  turns on a lock of their own for it: however many threads and sandboxes, a store's rows
  hold one connection (and the lock file) per process.
- The writers of all processes take turns on ``<journal file>.lock`` (``flock``) around
  BEGIN IMMEDIATE ... COMMIT. SQLite's own wait for its write lock is a sleep in growing steps
  (1, 2, 5, 10 ... ms) while the lock is held for a few tens of microseconds, so writers that
  met slept far longer than they waited and more processes served fewer calls; the kernel
  hands a released ``flock`` to the next waiter at once. Other writers of the journal (the
  control plane's, a reset's) still wait through SQLite's busy timeout, as before.
- A commit inside the turn never checkpoints the WAL (a checkpoint syncs the file, and that
  may take far longer than a row): these connections have ``wal_autocheckpoint=0``, and the
  row of every ``CHECKPOINT_ROWS`` ids runs a PASSIVE checkpoint after its turn, which never
  waits for and never blocks the other writers.
- An in-memory journal is the one connection of its engine: a row takes the store's lock.

The row is committed when ``append`` returns, before the call's answer is sent.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any

from sqlalchemy import Dialect, Engine
from sqlalchemy.sql.compiler import SQLCompiler

from mockcp.db.engine import sqlite_connection
from mockcp.db.journal_table import COLUMNS, INSERT, SWEEP, TABLE, TRIM, upkeep

LOCK_SUFFIX = ".lock"  # beside the journal file: the writers' turn (flock)
CHECKPOINT_ROWS = 250  # the row of every this many ids copies the WAL back (PASSIVE)

Processor = Callable[[Any], Any] | None


class Prepared:
    """The journal's statements compiled once for ``dialect`` (SQLite), with the processors
    that turn a row's values into what the driver stores."""

    def __init__(self, dialect: Dialect) -> None:
        compiled = _compiled(INSERT.compile(dialect=dialect, column_keys=list(COLUMNS)))
        self.insert = compiled.string
        self.binds: list[tuple[str, Processor]] = [
            (name, TABLE.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in compiled.positiontup or ()
        ]
        self.after = {
            statement: (found.string, list(found.positiontup or ()))
            for statement in (TRIM, SWEEP)
            for found in [_compiled(statement.compile(dialect=dialect))]
        }

    def values(self, row: Mapping[str, object]) -> list[object]:
        return [
            row[name] if process is None else process(row[name]) for name, process in self.binds
        ]


def _compiled(found: object) -> SQLCompiler:
    assert isinstance(found, SQLCompiler)
    return found


class _Line:
    """A process's connection to the journal file and its descriptor of the lock file."""

    __slots__ = ("db", "lock", "pid")

    def __init__(self, path: str) -> None:
        self.pid = os.getpid()
        self.lock = os.open(f"{path}{LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT | os.O_APPEND)
        try:
            self.db: sqlite3.Connection | None = sqlite_connection(path)
            # Its commits never checkpoint (a checkpoint may wait for an fsync, and a commit
            # runs inside the writers' turn): ``RowWriter.append`` checkpoints after its turn.
            self.db.execute("PRAGMA wal_autocheckpoint=0")
        except BaseException:
            os.close(self.lock)
            raise

    def close(self) -> None:
        """Close both (never a connection inherited from another process: that one is the
        parent's to close, and is left alone)."""
        db, self.db = self.db, None
        if db is None or self.pid != os.getpid():
            return
        with suppress(sqlite3.Error):
            db.close()
        with suppress(OSError):
            os.close(self.lock)

    def __del__(self) -> None:
        self.close()


class RowWriter:
    """Appends the journal's rows on SQLite (see the module docstring); ``one``: the lock of
    an in-memory journal's single connection."""

    def __init__(self, engine: Engine, one: threading.Lock | None) -> None:
        self._prepared = Prepared(engine.dialect)
        self._engine = engine
        self._one = one
        # This process's writers, one at a time (SQLite takes one writer at a time anyway):
        # so one connection per process serves them all, whatever the number of threads.
        self._lock = one if one is not None else threading.Lock()
        self._path = None if one is not None else str(engine.url.database)
        self._memory: sqlite3.Connection | None = None
        self._line: _Line | None = None
        self._checkpointing = threading.Lock()
        self._checkpointer: sqlite3.Connection | None = None
        self._stale = False
        # Given each statement a row sends (SQLAlchemy's ``before_cursor_execute`` does not see
        # these): a call's counted work (tests/soap/work.py) includes its row wherever it lives.
        self.observer: Callable[[str], None] | None = None

    def append(self, row: Mapping[str, object], limit: int, xml_calls: int) -> int:
        """Insert ``row`` and keep the journal within ``limit`` (and its XML within
        ``xml_calls``) in one transaction, committed on return; the new entry's id."""
        values = self._prepared.values(row)
        with self._lock:
            if self._one is not None:
                return self._write(self._memory_connection(), values, limit, xml_calls)
            line = self._current()
            assert line.db is not None
            fcntl.flock(line.lock, fcntl.LOCK_EX)  # every process's writers, one at a time
            try:
                new_id = self._write(line.db, values, limit, xml_calls)
            finally:
                fcntl.flock(line.lock, fcntl.LOCK_UN)
        if new_id % CHECKPOINT_ROWS == 0:  # after the turn: the others write meanwhile
            self._checkpoint()
        return new_id

    def _write(
        self, db: sqlite3.Connection, values: list[object], limit: int, xml_calls: int
    ) -> int:
        observer = self.observer
        db.execute("BEGIN IMMEDIATE")
        try:
            new_id = db.execute(self._prepared.insert, values).lastrowid
            if new_id is None:
                raise RuntimeError("the journal insert returned no id")
            if observer is not None:
                observer(self._prepared.insert)
            for statement, params in upkeep(new_id, limit, xml_calls):
                sql, names = self._prepared.after[statement]
                db.execute(sql, [params[name] for name in names])
                if observer is not None:
                    observer(sql)
        except BaseException:
            db.rollback()
            raise
        db.commit()
        return new_id

    def _checkpoint(self) -> None:
        """Copy the WAL back into the file (PASSIVE: waits for no one), on a connection of its
        own, so this process's next rows do not wait for its fsync; skipped when another
        thread is at it."""
        if not self._checkpointing.acquire(blocking=False):
            return
        try:
            if self._checkpointer is None and self._path is not None:
                self._checkpointer = sqlite_connection(self._path)
            if self._checkpointer is not None:
                self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self._checkpointing.release()

    def _memory_connection(self) -> sqlite3.Connection:
        """The in-memory journal's one connection (its engine's: a StaticPool's)."""
        if self._memory is None:
            with self._engine.connect() as conn:
                found = conn.connection.driver_connection
            assert isinstance(found, sqlite3.Connection)
            self._memory = found
        return self._memory

    def _current(self) -> _Line:
        """This process's connection (under ``_lock``): opened on the first row, after a
        rebuild or a restore, and in a forked child (never the parent's)."""
        line = self._line
        if line is not None and line.db is not None and line.pid == os.getpid():
            if not self._stale:
                return line
            line.close()
        assert self._path is not None
        self._stale = False
        self._line = line = _Line(self._path)
        return line

    def renew(self) -> None:
        """The journal was rebuilt or restored: the next row opens a new connection."""
        self._stale = True
        self._memory = None

    def close(self) -> None:
        """Close this process's connections (after a row being written, if one is)."""
        with self._lock:
            self._memory = None
            line, self._line = self._line, None
            if line is not None:
                line.close()
        with self._checkpointing:
            checkpointer, self._checkpointer = self._checkpointer, None
            if checkpointer is not None:
                with suppress(sqlite3.Error):
                    checkpointer.close()
