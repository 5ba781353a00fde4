"""Has a PostgreSQL world changed since I last looked? One row, moved by every commit that
writes the world, read in one round trip (issue 18).

``db/world_version.py`` gives a SQLite file's epoch from ``PRAGMA data_version``; PostgreSQL
has no counter of commits a client can read, so the world's schema keeps one:

- ``world_epoch(one, token, n)``: one row. ``token`` is drawn anew whenever the table is
  made (with the schema: ``create_schema``; a schema dropped and made again, a sandbox
  deleted and made again under its id, a reset to a new start: another token), and the
  epoch a process reads is ``(database oid, token, n)``: a database copied from a template
  or restored beside another has another oid, so two copies that went separate ways from
  one ``(token, n)`` are never taken for each other. The table is not a world table
  (``Base.metadata``): no image, snapshot or template copies it back to an older ``n``.
- Every transaction that writes a world table moves ``n`` on, at its COMMIT and in it: the
  first row it inserts, updates or deletes in a world table (or a TRUNCATE) fires a BEFORE
  trigger whose WHEN (a transaction-local setting, ``mockcp.epoch_touched``, is not yet
  this schema) lets it through once per transaction; it sets the setting and inserts a row
  in ``world_epoch_dirty``, whose DEFERRABLE INITIALLY DEFERRED constraint trigger runs at
  COMMIT: ``UPDATE world_epoch SET n = n + 1`` and the row deleted. The other rows of the
  transaction cost the WHEN's ``current_setting`` alone (a bulk insert of the planner or a
  restore's INSERT ... SELECT queues no event per row). Deferred to commit, the lock on
  the epoch row is the last a transaction takes (writers queue on it only for the commit
  itself; no deadlock: nobody waits for another lock while holding it; a transaction
  writes the world tables of one schema only, each on its own engine, so no two take two
  epoch rows in opposite orders). The functions are made once per schema (replaced only
  when their text changed), the triggers when missing. A rolled back
  transaction or savepoint takes its setting, its dirty row and its queued bump with it.
- What never moves it: the request journal (``journal_entry``: every call writes a row; it
  is not a world table, as on SQLite where it is another file), the images
  (``mockcp_img_*``, read by restores only, which write the world tables), the registry
  of snapshots and sandboxes (no kept value reads them), and DDL: a schema dropped and made
  again gets a new ``world_epoch`` table, hence a new token.

Why a value kept under an epoch is the value a request would read (PostgreSQL, READ
COMMITTED: each statement sees every transaction committed before it started):

- a request reads the epoch X before it uses or builds a value; every statement of the
  build starts after that read, so the value holds at least every commit X stands for;
  later commits in between may be in it too (a build over several statements sees a newer
  world): such a commit moved ``n`` on, so no request that reads the epoch after it is
  served that value, and a request that read X before it is given a world no older than X;
- a process maps what it reads to its own counter (``StoreEpoch.current``), moving on
  whenever the reading differs from the last one it mapped: every request given the same
  counter read the same ``(oid, token, n)``, and a request that reads X sees the world
  exactly as of X (every world commit moves ``n``), so a value kept under X is that world;
- a session that holds uncommitted writes (``txid_current_if_assigned()`` is set: a row
  written or locked) neither reads nor keeps a kept value (``looks``, ``writes``).

The read is ``SELECT`` of the row, the database oid and whether the transaction wrote, on the
request's own session when it has one (``looks``: no checkout), else on the connection that
holds the store gate (``StoreGate.held``), else on a pooled one. Anything that writes the
world outside SQL on its tables (none today: restores, resets, sandbox and template copies,
the planner's bulk inserts all go through INSERT/UPDATE/DELETE) must move ``n`` itself; a
session with ``session_replication_role = replica`` would not fire the triggers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mockcp.db.models import Base

TABLE = "world_epoch"
DIRTY = "world_epoch_dirty"
TOUCH = "mockcp_epoch_touch"  # the BEFORE row trigger (and its function), once per transaction
TRUNCATE = "mockcp_epoch_truncate"
BUMP = "mockcp_epoch_bump"  # the deferred trigger on world_epoch_dirty (and its function)
SETTING = "mockcp.epoch_touched"

_LOOK = text(
    f"SELECT (SELECT oid FROM pg_database WHERE datname = current_database()), e.token, e.n,"
    f" txid_current_if_assigned() IS NOT NULL FROM {TABLE} e"
)
_WRITES = text("SELECT txid_current_if_assigned() IS NOT NULL")

_FUNCTIONS = {
    TOUCH: f"""CREATE OR REPLACE FUNCTION {TOUCH}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('{SETTING}', TG_TABLE_SCHEMA, true);
  EXECUTE format('INSERT INTO %I.{DIRTY} DEFAULT VALUES', TG_TABLE_SCHEMA);
  IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    BUMP: f"""CREATE OR REPLACE FUNCTION {BUMP}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('UPDATE %I.{TABLE} SET n = n + 1', TG_TABLE_SCHEMA);
  EXECUTE format('DELETE FROM %I.{DIRTY}', TG_TABLE_SCHEMA);
  RETURN NULL;
END $$""",
}


def install(engine: Engine) -> None:
    """PostgreSQL: the epoch row, the functions and a trigger on every world table of the
    schema behind ``engine`` (after ``Base.metadata.create_all``; what exists is kept)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (one boolean PRIMARY KEY DEFAULT true"
            " CHECK (one), token text NOT NULL, n bigint NOT NULL)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE} (token, n) SELECT md5(random()::text"
            " || clock_timestamp()::text || pg_backend_pid()::text), 0"
            f" WHERE NOT EXISTS (SELECT 1 FROM {TABLE})"
        )
        conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {DIRTY} (at timestamptz)")
        sources = {
            str(name): str(source)
            for name, source in conn.execute(
                text(
                    "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace s"
                    " ON s.oid = p.pronamespace WHERE s.nspname = :schema"
                ),
                {"schema": schema},
            )
        }
        for name, function in _FUNCTIONS.items():
            body = function.split("$$")[1]
            if sources.get(name) != body:  # (made or changed: not replaced at every start)
                conn.exec_driver_sql(function.replace("%", "%%"))  # (psycopg's placeholders)
        have = {
            (str(table), str(name))
            for table, name in conn.execute(
                text(
                    "SELECT c.relname, t.tgname FROM pg_trigger t"
                    " JOIN pg_class c ON c.oid = t.tgrelid"
                    " JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = :schema"
                ),
                {"schema": schema},
            )
        }
        quote = conn.dialect.identifier_preparer.quote
        once = f"current_setting('{SETTING}', true) IS DISTINCT FROM {_literal(schema)}"
        for table in Base.metadata.sorted_tables:
            name = quote(table.name)
            if (table.name, TOUCH) not in have:
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {TOUCH} BEFORE INSERT OR UPDATE OR DELETE ON {name}"
                    f" FOR EACH ROW WHEN ({once}) EXECUTE FUNCTION {TOUCH}()"
                )
            if (table.name, TRUNCATE) not in have:
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {TRUNCATE} BEFORE TRUNCATE ON {name}"
                    f" FOR EACH STATEMENT EXECUTE FUNCTION {TOUCH}()"
                )
        if (DIRTY, BUMP) not in have:
            conn.exec_driver_sql(
                f"CREATE CONSTRAINT TRIGGER {BUMP} AFTER INSERT ON {DIRTY}"
                f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {BUMP}()"
            )


def uninstall(engine: Engine) -> None:
    """PostgreSQL: drop the epoch's tables (with the world's: the next ``install`` draws a new
    token)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}, {DIRTY}")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


Reading = tuple[Any, ...]  # (database oid, token, n)


class StoreEpoch:
    """The epoch of one PostgreSQL world (its schema), as seen by this process."""

    def __init__(self, engine: Engine, held: Callable[[], Connection | None]) -> None:
        self._engine = engine
        self._held = held  # the store gate's connection of this thread, if it holds one
        self._lock = threading.Lock()
        self._epoch = 0
        self._seen: Reading | None = None

    def current(self) -> int | None:
        """This process's epoch after reading the row now; None when it cannot be read."""
        held = self._held()
        if held is not None and not held.invalidated:  # (a lost one: a pooled connection)
            try:
                return self._map(held.execute(_LOOK).one())
            except DBAPIError as error:
                if not error.connection_invalidated:
                    return None
        try:
            with self._engine.connect() as conn:
                return self._map(conn.execute(_LOOK).one())
        except DBAPIError:
            return None

    def looks(self, db: Session) -> int | None:
        """The epoch read on ``db``'s own connection; None when ``db`` holds uncommitted
        writes (it must read them: nothing kept is served to it, nothing it builds kept)."""
        return self._map(db.execute(_LOOK).one())

    @staticmethod
    def writes(db: Session) -> bool:
        """Whether ``db``'s transaction has written (or locked) a row, not committed yet."""
        return bool(db.execute(_WRITES).scalar())

    def _map(self, row: Any) -> int | None:
        oid, token, n, writing = row
        if writing:
            return None
        reading = (oid, token, n)
        with self._lock:
            if reading != self._seen:
                self._epoch += 1
                self._seen = reading
            return self._epoch

    def forget(self) -> None:
        """Stale everything: this process rebuilds, restores or resets the store."""
        with self._lock:
            self._epoch += 1
            self._seen = None

    def close(self) -> None:
        self.forget()
