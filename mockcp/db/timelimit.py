"""The store's half of the per-request time limit (``mockcp.deadline``).

- SQLite: a progress handler on every connection asks, every few thousand virtual-machine
  steps, whether the running request's deadline has passed; if so SQLite interrupts the
  statement (``OperationalError: interrupted``). A writer's wait for the world lock
  (``busy_timeout``) is cut to the request's remaining time at each transaction's start.
- PostgreSQL: each transaction begun under a deadline sets ``statement_timeout`` to the
  remaining time (``SET LOCAL``: it ends with the transaction), so a long statement or a
  wait for the world's advisory lock is cancelled by the server (``QueryCanceled``).

Without a deadline (the control plane, start-up) nothing changes: the handler answers
"go on", SQLite's busy timeout is the engine's, and no ``SET`` is sent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from mockcp import deadline

PROGRESS_STEPS = 20_000  # SQLite virtual-machine instructions between two checks
_BUSY = "mockcp.busy_ms"  # the busy timeout a connection runs with, once lowered


def install(engine: Engine) -> None:
    """Stop SQLite statements at the running request's deadline (a no-op elsewhere)."""
    if engine.dialect.name != "sqlite":
        return

    def on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.set_progress_handler(_interrupt, PROGRESS_STEPS)

    event.listen(engine, "connect", on_connect)


def _interrupt() -> int:
    return 1 if deadline.expired() else 0


def bound_transactions(sessions: sessionmaker[Session], busy_timeout_ms: int) -> None:
    """Every transaction a session of ``sessions`` begins under a deadline is bounded by it."""

    def after_begin(_session: Session, _tx: SessionTransaction, connection: Any) -> None:
        left = deadline.remaining()
        dialect = connection.dialect.name
        if dialect == "postgresql":
            if left is not None:
                deadline.check()
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {_ms(left)}")
        elif dialect == "sqlite":  # in steps of 100 ms: most calls send no PRAGMA at all
            wanted = busy_timeout_ms if left is None else min(busy_timeout_ms, _step(left))
            info = connection.connection.info
            if info.get(_BUSY, busy_timeout_ms) != wanted:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {wanted}")
                info[_BUSY] = wanted

    event.listen(sessions, "after_begin", after_begin)


def _ms(seconds: float) -> int:
    return max(int(seconds * 1000), 1)


def _step(seconds: float) -> int:
    """The time left in milliseconds, rounded down to 100 ms (at least 1 ms)."""
    return max(int(seconds * 10) * 100, 1)
