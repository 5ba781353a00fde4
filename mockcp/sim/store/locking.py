"""One writer at a time on the simulated world, across threads and processes.

Planning, status updates and every write operation take the world lock first; the others
wait for it and then read what was planned (architecture 1.5). The lock lives in the
database, so it holds across gunicorn workers as well as threads:

- PostgreSQL: ``pg_advisory_xact_lock`` on one key, released by the commit or rollback;
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

from sqlalchemy import text
from sqlalchemy.orm import Session

WORLD_LOCK_KEY = 0x6D6F636B70  # "mockp": the one advisory lock key mockcp uses
LOCK_ROW = "world_lock"
_HELD = "mockcp.world_lock"
_PUBLISH = "mockcp.may_publish"


def hold_world(db: Session) -> None:
    """Take the world's write lock for the rest of ``db``'s transaction (idempotent)."""
    if holds_world(db):
        return
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WORLD_LOCK_KEY})
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
    """Whether ``db`` is a read's session, committed right after its planning (``publish``):
    nothing it does afterwards changes the world."""
    return bool(db.info.get(_PUBLISH))


def publish(db: Session) -> None:
    """Commit the planning done under a lock a read took itself (a no-op elsewhere)."""
    if db.info.get(_PUBLISH) and holds_world(db):
        db.commit()
