"""The SOAP side of the per-request time limit (``mockcp.deadline``, docs/limits.md).

``limited`` opens the deadline around one call; ``out_of_time`` turns whatever stopped the
call at its deadline (the planner's ``TimeLimitError``, SQLite's interrupted statement or
lock wait, PostgreSQL's cancelled statement) into one ``Client`` fault, after the call
wrapper rolled the transaction back: nothing the call did is kept, and the journal keeps
the fault and ``timeLimit`` in the call's details.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from mockcp import deadline
from mockcp.config import Settings
from mockcp.soap.wire import client_fault

# What the store raises when it stopped a statement at the deadline (by the driver's class
# name or SQLite's message: soap/ sees no driver and no SQLAlchemy core).
CANCELLED = frozenset({"QueryCanceled"})
SQLITE_STOPS = ("interrupted", "database is locked")


def limited(settings: Settings) -> AbstractContextManager[None]:
    """The deadline of one SOAP call: ``settings.request_time_limit`` seconds from now."""
    return deadline.limit(settings.request_time_limit)


def out_of_time(operation: str, exc: BaseException, details: dict[str, str]) -> None:
    """Raise the time limit's Client fault when ``exc`` ended the call at its deadline."""
    seconds = deadline.active()
    if seconds is None or not (deadline.expired() or stopped_by_store(exc)):
        return
    details["timeLimit"] = f"{seconds:g}s"
    raise client_fault(
        f"{operation} ran past the time limit of {seconds:g} s per request and was stopped; "
        "nothing it did was kept."
    ) from None


def stopped_by_store(exc: BaseException) -> bool:
    """Whether ``exc`` is the store stopping a statement (only ever asked under a deadline,
    where SQLite's lock wait is cut to the time left)."""
    if isinstance(exc, deadline.TimeLimitError):
        return True
    cause: Any = getattr(exc, "orig", None)
    if cause is None:
        return False
    if type(cause).__name__ in CANCELLED:
        return True
    return type(cause).__module__ == "sqlite3" and str(cause) in SQLITE_STOPS
