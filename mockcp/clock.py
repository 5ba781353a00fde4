"""The simulated clock: the only place that reads the wall clock.

``SimClock`` runs at ``factor`` times real time (0 = frozen) and can be advanced, set
forward or re-paced; ``ManualClock`` is a frozen SimClock for tests and scenarios.
Bucket functions hold the only 15-minute arithmetic of the code base.
"""

from __future__ import annotations

import re
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


class SimClock:
    """Simulated time that runs at ``factor`` times wall time (0 = frozen) and can be moved.

    now = anchor + factor x (wall time since the anchor); ``advance`` and ``set`` move it
    forward only, ``set_factor`` changes the pace from now on (SimPy's split: the model
    code is the same whatever the pacing).
    """

    def __init__(self, start: datetime, factor: float = 0.0) -> None:
        if factor < 0:
            raise ValueError("factor must not be negative")
        self._lock = threading.Lock()
        self._anchor = utc(start)
        self._origin = time.monotonic()
        self._factor = factor

    def _now_locked(self) -> datetime:
        elapsed = time.monotonic() - self._origin
        return self._anchor + timedelta(seconds=elapsed * self._factor)

    def _reanchor(self, instant: datetime) -> datetime:
        self._anchor, self._origin = instant, time.monotonic()
        return instant

    def now(self) -> datetime:
        with self._lock:
            return self._now_locked()

    @property
    def factor(self) -> float:
        return self._factor

    @property
    def mode(self) -> str:
        """``frozen``, ``realtime`` or ``xN``."""
        if self._factor == 0:
            return "frozen"
        if self._factor == 1:
            return "realtime"
        return f"x{self._factor:g}"

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (never backwards)."""
        if delta < timedelta(0):
            raise ValueError("a clock only moves forward")
        with self._lock:
            return self._reanchor(self._now_locked() + delta)

    def set(self, instant: datetime) -> datetime:
        """Jump forward to ``instant``."""
        instant = utc(instant)
        with self._lock:
            if instant < self._now_locked():
                raise ValueError("a clock only moves forward")
            return self._reanchor(instant)

    def set_factor(self, factor: float) -> None:
        """Change the pace from now on (0 freezes)."""
        if factor < 0:
            raise ValueError("factor must not be negative")
        with self._lock:
            self._reanchor(self._now_locked())
            self._factor = factor


class ManualClock(SimClock):
    """A frozen clock that moves only by ``advance``/``set`` (tests, scenarios)."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start, 0.0)


def parse_mode(mode: str) -> float:
    """The factor of a clock mode: ``frozen`` 0, ``realtime`` 1, ``xN`` N."""
    text = mode.strip().lower()
    if text == "frozen":
        return 0.0
    if text == "realtime":
        return 1.0
    if text.startswith("x"):
        try:
            factor = float(text[1:])
        except ValueError:
            factor = -1.0
        if factor > 0:
            return factor
    raise ValueError(f"unknown clock mode {mode!r} (frozen, realtime or xN with N > 0)")


_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """An ISO-8601 duration of weeks, days, hours, minutes and seconds (``PT15M``, ``P7D``)."""
    match = _DURATION.match(text.strip().upper())
    if match is None or text.strip().upper() in {"P", "PT"} or text.strip().upper().endswith("T"):
        raise ValueError(f"not an ISO-8601 duration of W/D/H/M/S: {text!r}")
    parts = {k: float(v) for k, v in match.groupdict().items() if v is not None}
    return timedelta(
        weeks=parts.get("w", 0),
        days=parts.get("d", 0),
        hours=parts.get("h", 0),
        minutes=parts.get("m", 0),
        seconds=parts.get("s", 0),
    )


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


def offset_minutes(text: str) -> int:
    """A UTC offset such as ``-07:00`` in minutes (-420)."""
    hours, _, minutes = text.partition(":")
    sign = -1 if hours.strip().startswith("-") else 1
    return sign * (abs(int(hours)) * 60 + int(minutes or 0))


def wall_instant() -> datetime:
    """The real UTC time to the microsecond: journal wall times and durations."""
    return datetime.now(UTC)
