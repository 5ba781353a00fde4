"""The time one request may spend: a deadline for the running request (issue 17).

The SOAP layer opens ``limit(seconds)`` around one call; everything that call runs in the
same thread (or context) sees the deadline:

- the store stops a statement that runs past it (``mockcp.db.timelimit``: SQLite's progress
  handler, PostgreSQL's ``statement_timeout`` set for the transaction's remaining time);
- the planner checks it between port days (``check``), so pure-Python work stops too.

When the deadline has passed, the request is rolled back and answered with a Client fault
(``mockcp.soap.timelimit``). Outside ``limit`` there is no deadline and nothing is stopped
(the control plane, start-up, world builds). Standard library only: every layer may ask.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The monotonic instant the running request must end by, and its limit in seconds.
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("mockcp_deadline", default=None)


class TimeLimitError(Exception):
    """The running request spent its time limit (raised by ``check``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request ran past its time limit of {seconds:g} s")
        self.seconds = seconds


@contextmanager
def limit(seconds: float | None) -> Iterator[None]:
    """Run the block under a deadline ``seconds`` from now (none when ``seconds`` is not
    positive). Nested limits keep the earlier deadline."""
    outer = _DEADLINE.get()
    if seconds is None or seconds <= 0:
        token = _DEADLINE.set(outer)
    else:
        ends = time.monotonic() + seconds
        keep = outer is not None and outer[0] <= ends
        token = _DEADLINE.set(outer if keep else (ends, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def active() -> float | None:
    """The running request's limit in seconds, or None when there is no deadline."""
    current = _DEADLINE.get()
    return None if current is None else current[1]


def remaining() -> float | None:
    """Seconds left before the deadline (negative once it passed), or None without one."""
    current = _DEADLINE.get()
    return None if current is None else current[0] - time.monotonic()


def expired() -> bool:
    """Whether the running request has a deadline and it has passed."""
    current = _DEADLINE.get()
    return current is not None and time.monotonic() >= current[0]


def check() -> None:
    """Raise ``TimeLimitError`` when the running request's deadline has passed."""
    current = _DEADLINE.get()
    if current is not None and time.monotonic() >= current[0]:
        raise TimeLimitError(current[1])


def stopwatch() -> float:
    """A monotonic reading, for measuring the pace of work done under the deadline."""
    return time.monotonic()


def affordable(spent: float, done: float) -> float | None:
    """How many more units of work fit in half the time left, at the pace of the last
    ``done`` units in ``spent`` seconds; None without a deadline (no need to split)."""
    left = remaining()
    if left is None:
        return None
    if done <= 0:
        return 0.0
    return max(left / 2, 0.0) * done / max(spent, 1e-6)
