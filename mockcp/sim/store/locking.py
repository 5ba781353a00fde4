"""One writer at a time on the simulated world, across threads and processes.

Planning, status updates and every write operation take the world lock first; the others
wait for it and then read what was planned (architecture 1.5). The lock lives in the
database, so it holds across gunicorn workers as well as threads:

- PostgreSQL: ``pg_advisory_xact_lock`` on one key per schema (``world_lock_key``: a sandbox's
  schema has its own world, so its writers never queue behind another's), released by the
  commit or rollback;
- SQLite: a write to the ``world_meta`` lock row, which takes SQLite's one write lock
  (RESERVED) until the transaction ends; waiting goes through ``busy_timeout``.

Take it before the transaction writes anything (a request takes it first thing), so two
transactions never wait on each other's row locks. Taking it again in the same
transaction is free.

A read request marks its session ``may_publish``: when its ``materialize`` had to take the
lock, it commits the planned world at once and releases the lock, so reads do not queue
for the rest of each other's requests. A write keeps the lock to its end.
"""

from __future__ import annotations

import zlib

from sqlalchemy import URL, text
from sqlalchemy.orm import Session

WORLD_LOCK_KEY = 0x6D6F636B70  # "mockp": the base of the world lock's advisory keys
LOCK_ROW = "world_lock"
_HELD = "mockcp.world_lock"
_PUBLISH = "mockcp.may_publish"


def world_lock_key(url: URL) -> int:
    """The advisory key of the world behind ``url``: one per schema (the URL's query holds a
    sandbox's search_path), the same in every process that opens that URL."""
    return WORLD_LOCK_KEY + zlib.crc32(str(url.query).encode())


def hold_world(db: Session) -> None:
    """Take the world's write lock for the rest of ``db``'s transaction (idempotent)."""
    if holds_world(db):
        return
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        key = world_lock_key(bind.engine.url)
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        # An UPDATE takes the write lock whether or not the row exists; insert it when
        # absent (we hold the lock, so no other transaction can insert it meanwhile).
        done = db.execute(
            text("UPDATE world_meta SET value = value WHERE key = :key"), {"key": LOCK_ROW}
        )
        if getattr(done, "rowcount", 1) == 0:
            db.execute(
                text("INSERT INTO world_meta (key, value) VALUES (:key, '')"), {"key": LOCK_ROW}
            )
    db.info[_HELD] = db.get_transaction()


def holds_world(db: Session) -> bool:
    """Whether ``db``'s current transaction holds the world lock."""
    transaction = db.get_transaction()
    return transaction is not None and db.info.get(_HELD) is transaction


def may_publish(db: Session) -> None:
    """Let ``publish`` commit what this (read-only) session planned."""
    db.info[_PUBLISH] = True


def publishes(db: Session) -> bool:
    """Whether ``publish`` would commit ``db``'s planning (a read's session)."""
    return bool(db.info.get(_PUBLISH))


def publish(db: Session) -> bool:
    """Commit the planning done under a lock a read took itself (a no-op elsewhere);
    whether it did."""
    if db.info.get(_PUBLISH) and holds_world(db):
        db.commit()
        return True
    return False
