"""The store's half of the per-request time limit (``mockcp.deadline``).

- SQLite: a progress handler on every connection asks, every few thousand virtual-machine
  steps, whether the running request's deadline has passed; if so SQLite interrupts the
  statement (``OperationalError: interrupted``). A writer's wait for the world lock
  (``busy_timeout``) is cut to the request's remaining time at each transaction's start.
- PostgreSQL: each transaction begun under a deadline sets ``statement_timeout`` to the
  remaining time (``SET LOCAL``: it ends with the transaction), so a long statement or a
  wait for the world's advisory lock is cancelled by the server (``QueryCanceled``). The
  app's connections open with the whole limit as their default (``engine.make_engine``),
  so a transaction begun within ``SLACK`` of its request's start (a call's first, nearly
  always) sends no ``SET`` at all: the default then exceeds the time left by at most
  ``SLACK``, as SQLite's busy timeout in steps of 100 ms does. A round trip less per call
  (issue 18). A transaction without a deadline on such a connection lifts the default
  (``SET LOCAL statement_timeout = 0``), so the control plane and start-up keep no limit.

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
_DEFAULT = "mockcp.statement_timeout_ms"  # a PostgreSQL connection's default, when it has one
SLACK = 0.1  # seconds a statement may outlast its deadline when no SET LOCAL is sent


def install(engine: Engine) -> None:
    """Stop SQLite statements at the running request's deadline (a no-op elsewhere)."""
    if engine.dialect.name != "sqlite":
        return

    def on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.set_progress_handler(_interrupt, PROGRESS_STEPS)

    event.listen(engine, "connect", on_connect)


def remember_default(engine: Engine, request_limit: float | None) -> None:
    """Note on each new connection of ``engine`` the default ``statement_timeout`` it was
    opened with (``engine.server_options``): ``request_limit`` on PostgreSQL, else none."""
    if engine.dialect.name != "postgresql" or not request_limit:
        return
    default = milliseconds(request_limit)

    def on_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info[_DEFAULT] = default

    event.listen(engine, "connect", on_connect)


def _interrupt() -> int:
    return 1 if deadline.expired() else 0


def bound_transactions(sessions: sessionmaker[Session], busy_timeout_ms: int) -> None:
    """Every transaction a session of ``sessions`` begins under a deadline is bounded by it."""

    def after_begin(_session: Session, _tx: SessionTransaction, connection: Any) -> None:
        left = deadline.remaining()
        dialect = connection.dialect.name
        if dialect == "postgresql":
            default = connection.connection.info.get(_DEFAULT)
            if left is None:
                if default is not None:  # no deadline: no limit, as without a default
                    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
                return
            deadline.check()
            if default is None or not milliseconds(left) <= default <= milliseconds(left + SLACK):
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds(left)}")
        elif dialect == "sqlite":  # in steps of 100 ms: most calls send no PRAGMA at all
            wanted = busy_timeout_ms if left is None else min(busy_timeout_ms, _step(left))
            info = connection.connection.info
            if info.get(_BUSY, busy_timeout_ms) != wanted:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {wanted}")
                info[_BUSY] = wanted

    event.listen(sessions, "after_begin", after_begin)


def milliseconds(seconds: float) -> int:
    """``seconds`` as PostgreSQL's ``statement_timeout`` (whole milliseconds, at least 1)."""
    return max(int(seconds * 1000), 1)


def _step(seconds: float) -> int:
    """The time left in milliseconds, rounded down to 100 ms (at least 1 ms)."""
    return max(int(seconds * 10) * 100, 1)
