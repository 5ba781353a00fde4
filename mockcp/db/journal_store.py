"""Where the request journal lives: beside the world, never under the world's write lock.

Every SOAP call writes one journal row, reads included. SQLite has one writer per database
file, and a write that sits at a bound (an event at the 7-day horizon plans a week) holds
the world's write lock for all of it; with the journal in the world's file every other
tenant's call waited for that commit to write its row. So on SQLite the journal is a
database of its own:

- a SQLite file: ``<store>.journal.db`` beside it (its own engine, WAL and write lock: a
  journal insert only ever waits for another journal insert, a few hundred microseconds);
- an in-memory store: an in-memory journal of its own (one connection, as the world's: its
  transactions are serialised by a lock here);
- PostgreSQL: the world's own database (``shared``): its world lock is an advisory lock
  that a journal insert never takes, so one database does. A call's row is written on the
  connection that holds the call's store gate (autocommit: no checkout, ping or BEGIN/COMMIT
  of its own). The insert commits alone, then each upkeep statement; both upkeeps cover a
  range up to the newest id, so one lost between (a crash) is done by the next row's.

The journal is still part of the store. Its rows are written and read inside the store's
gate (``db.storegate``) as before, so a reset or a restore never interleaves with a call's
row. A snapshot keeps the journal's image in the journal's database (``db.images``, same
tag, same transaction when the databases are one), a restore or a reset brings it back, a
rebuild for another world empties it, and a sandbox has the journal of its own store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from mockcp.db import images
from mockcp.db.engine import make_engine, make_sessionmaker, release_connections
from mockcp.db.journal_rows import LOCK_SUFFIX, RowWriter
from mockcp.db.journal_table import JOURNAL, insert_row

SUFFIX = ".journal.db"  # beside a SQLite file store (never SQLite's own "-journal")
FILE_SUFFIXES = (SUFFIX, f"{SUFFIX}-wal", f"{SUFFIX}-shm", f"{SUFFIX}{LOCK_SUFFIX}")
MEMORY = frozenset({None, "", ":memory:"})


def journal_url(world: Engine) -> str | None:
    """The journal database of the store behind ``world``; None: the world's own."""
    if world.dialect.name != "sqlite":
        return None
    if world.url.database in MEMORY:
        return "sqlite://"
    return f"sqlite:///{world.url.database}{SUFFIX}"


class JournalStore:
    """The journal's database of the store behind ``world`` (see the module docstring)."""

    def __init__(self, world: Engine) -> None:
        url = journal_url(world)
        self.shared = url is None
        self.engine: Engine = world if url is None else make_engine(url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)
        # An in-memory journal is one connection shared by every thread: one user at a time.
        self._one = threading.Lock() if url == "sqlite://" else None
        # A call's row on SQLite: prepared statements on a connection per thread, writers in
        # turn (db.journal_rows); PostgreSQL: the general path (``writing``).
        self._rows = RowWriter(self.engine, self._one) if url is not None else None
        # PostgreSQL: the connection that holds the call's store gate (``StoreGate.held``),
        # lent for its row; set by the app.
        self.lent: Callable[[], Connection | None] | None = None

    def tables(self) -> list[Table]:
        return list(JOURNAL.sorted_tables)

    def _turn(self) -> AbstractContextManager[object]:
        return self._one if self._one is not None else nullcontext()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session on the journal, for reads."""
        with self._turn(), self.sessions() as db:
            yield db

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction on the journal, committed at the end (rolled back on an error):
        a plain connection, no ORM session (this runs once per call)."""
        with self._turn(), self.engine.begin() as conn:
            yield conn

    def append(self, values: Mapping[str, object], limit: int, xml_calls: int) -> int:
        """One call's row (``values`` by column name) in a transaction of its own, bounded by
        ``limit`` and ``xml_calls`` (``journal_table.upkeep``), committed on return."""
        if self._rows is not None:
            return self._rows.append(values, limit, xml_calls)
        held = self.lent() if self.lent is not None else None
        if held is not None and not held.invalidated:  # autocommit: the insert commits alone
            try:
                return insert_row(held, values, limit, xml_calls)
            except DBAPIError as error:  # the gate's session was lost: a pooled, pinged one
                if not error.connection_invalidated:
                    raise
        with self.writing() as conn:
            return insert_row(conn, values, limit, xml_calls)

    @contextmanager
    def observed(self, seen: Callable[[str], None]) -> Iterator[None]:
        """``seen`` gets each statement a call's row sends outside the engine (SQLite's rows,
        ``db.journal_rows``) inside the block: for counting a call's work in tests."""
        if self._rows is None:
            yield
            return
        self._rows.observer = seen
        try:
            yield
        finally:
            self._rows.observer = None

    @contextmanager
    def beside(self, world: Connection) -> Iterator[Connection]:
        """A write transaction on the journal beside the world's transaction ``world``
        (``world`` itself when they share one database). Taken after the world's write lock
        and released before it: a call's row never holds the journal while it waits for the
        world, so the two never wait on each other."""
        if self.shared:
            yield world
            return
        with self._turn(), images.write_transaction(self.engine) as conn:
            yield conn

    def create(self) -> None:
        """The journal's tables (under the world's build lock: one process creates them)."""
        JOURNAL.create_all(self.engine)

    def rebuild(self) -> None:
        """Empty for another world: its images and its table dropped, the table made again."""
        if not self.shared:
            with self._turn(), images.write_transaction(self.engine) as conn:
                images.drop_all_images(conn)
        JOURNAL.drop_all(self.engine)
        JOURNAL.create_all(self.engine)
        self._renew()

    def save_image(self, conn: Connection, tag: str) -> None:
        images.save_image(conn, tag, self.tables())

    def restore_image(self, conn: Connection, tag: str) -> None:
        """The journal as it was when the image ``tag`` was taken; empty when the journal's
        database has no such image (a journal file made after the image, a sandbox copied
        from a template's world file: their journals began empty)."""
        self._renew()
        if images.has_image(conn, tag, self.tables()):
            images.restore_image(conn, tag, self.tables())
            return
        for table in self.tables():
            conn.execute(table.delete())

    def drop_image(self, conn: Connection, tag: str) -> None:
        images.drop_image(conn, tag, self.tables())

    def drop_all_images(self, conn: Connection) -> None:
        if not self.shared:  # one database: the world's drop_all_images dropped them
            images.drop_all_images(conn)

    def _renew(self) -> None:
        if self._rows is not None:
            self._rows.renew()

    def release(self) -> None:
        """Close pooled connections and the rows' own (before a fork), as
        ``release_connections`` the world's."""
        if self._rows is not None:
            self._rows.close()
        if not self.shared:
            release_connections(self.engine)

    def close(self) -> None:
        if self._rows is not None:
            self._rows.close()
        if not self.shared:
            self.engine.dispose()
