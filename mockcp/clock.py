"""The simulated clock: the only place that reads the wall clock.

``ManualClock`` moves only when told (tests, scenarios, frozen servers);
``ScaledClock`` runs at ``factor`` times real time from a start instant.
Bucket functions hold the only 15-minute arithmetic of the code base.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Protocol

BUCKET = timedelta(minutes=15)


class Clock(Protocol):
    """Anything that tells the simulated time (UTC, timezone-aware)."""

    def now(self) -> datetime: ...


def utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (a naive value is taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class ManualClock:
    """A clock that moves only by ``advance``/``set``."""

    def __init__(self, start: datetime) -> None:
        self._now = utc(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (never backwards)."""
        if delta < timedelta(0):
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._now += delta
            return self._now

    def set(self, instant: datetime) -> datetime:
        """Jump forward to ``instant``."""
        instant = utc(instant)
        with self._lock:
            if instant < self._now:
                raise ValueError("a clock only moves forward")
            self._now = instant
            return self._now


class ScaledClock:
    """Simulated time = start + factor x (wall time elapsed since creation)."""

    def __init__(self, start: datetime, factor: float = 1.0) -> None:
        if factor <= 0:
            raise ValueError("factor must be positive")
        self._start = utc(start)
        self._factor = factor
        self._origin = time.monotonic()
        self._lock = threading.Lock()

    @property
    def factor(self) -> float:
        return self._factor

    def now(self) -> datetime:
        with self._lock:
            elapsed = time.monotonic() - self._origin
            return self._start + timedelta(seconds=elapsed * self._factor)


def wall_now() -> datetime:
    """The real UTC time: only for choosing a default simulated start."""
    return datetime.now(UTC).replace(microsecond=0)


def bucket_start(instant: datetime) -> datetime:
    """The start of the 15-minute bucket holding ``instant``."""
    instant = utc(instant)
    return instant.replace(minute=instant.minute - instant.minute % 15, second=0, microsecond=0)


def buckets_between(start: datetime, end: datetime) -> Iterator[datetime]:
    """Bucket starts from the bucket of ``start`` up to (excluding) ``end``."""
    current = bucket_start(start)
    end = utc(end)
    while current < end:
        yield current
        current += BUCKET
