"""The simulated clock: the only place that reads the wall clock.

``SimClock`` runs at ``factor`` times real time (0 = frozen) and can be advanced, set
forward or re-paced; ``ManualClock`` is a frozen SimClock for tests and scenarios.
Bucket functions hold the only 15-minute arithmetic of the code base.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

BUCKET = timedelta(minutes=15)


class Clock(Protocol):
    """Anything that tells the simulated time (UTC, timezone-aware)."""

    def now(self) -> datetime: ...


class MovableClock(Clock, Protocol):
    """A clock the control plane steers: moved, re-paced, saved and restored."""

    @property
    def mode(self) -> str: ...

    def advance(self, delta: timedelta) -> datetime: ...

    def set(self, instant: datetime) -> datetime: ...

    def set_factor(self, factor: float) -> None: ...

    def reading(self) -> ClockReading: ...

    def restore(self, reading: ClockReading) -> None: ...


def utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (a naive value is taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# The clock's bounds (docs/worlds.md): a pace above MAX_PACE, a move longer than MAX_STEP,
# a time more than MAX_SPAN past the world's start or outside [EARLIEST, LATEST) is refused.
MAX_PACE = 100_000.0
MAX_STEP = timedelta(days=366)
MAX_SPAN = timedelta(days=3660)
# A running clock runs at most MAX_AHEAD past the world planned so far (the store's
# ``planned_until``): a fast clock nobody calls waits there, and each call carries it on,
# so the call after a long gap at a high pace plans about a week, never pace x gap.
MAX_AHEAD = timedelta(days=7)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def check_instant(instant: datetime, what: str = "the clock") -> datetime:
    """``instant`` in UTC, or ValueError when it lies outside [EARLIEST, LATEST)."""
    instant = utc(instant)
    if not EARLIEST <= instant < LATEST:
        raise ValueError(
            f"{what} must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}"
            f" (got {instant:%Y-%m-%d})"
        )
    return instant


def check_pace(factor: float) -> float:
    """``factor`` if it is a finite pace in [0, MAX_PACE], else ValueError."""
    if not math.isfinite(factor) or factor < 0:
        raise ValueError("a clock pace must be a finite number, not negative")
    if factor > MAX_PACE:
        raise ValueError(f"a clock pace may be at most x{MAX_PACE:g}")
    return factor


@dataclass(frozen=True, slots=True)
class ClockState:
    """A clock as data: simulated ``anchor`` at wall reading ``wall``, running at ``factor``;
    ``origin`` is the world's start (the bounds are counted from it); ``planned``, when the
    store tells it, the instant the world is planned to (the clock runs MAX_AHEAD past it)."""

    origin: datetime
    anchor: datetime
    wall: float
    factor: float
    planned: datetime | None = None

    def now(self, wall: float) -> datetime:
        elapsed = max(wall - self.wall, 0.0) * self.factor
        ceiling = self.origin + MAX_SPAN
        if self.planned is not None:
            ceiling = min(ceiling, max(self.planned, self.anchor) + MAX_AHEAD)
        if elapsed >= (ceiling - self.anchor).total_seconds():
            return max(ceiling, self.anchor)
        return self.anchor + timedelta(seconds=elapsed)

    def moved_to(self, instant: datetime, wall: float) -> ClockState:
        """The state jumped forward to ``instant`` (bounds checked)."""
        instant = check_instant(instant)
        current = self.now(wall)
        if instant < current:
            raise ValueError("a clock only moves forward")
        if instant - current > MAX_STEP:
            raise ValueError(f"one clock move may be at most {MAX_STEP.days} days")
        if instant - self.origin > MAX_SPAN:
            raise ValueError(
                f"the clock may run at most {MAX_SPAN.days} days past the world's start"
            )
        return replace(self, anchor=instant, wall=wall)

    def advanced(self, delta: timedelta, wall: float) -> ClockState:
        if delta < timedelta(0):
            raise ValueError("a clock only moves forward")
        if delta > MAX_STEP:
            raise ValueError(f"one clock move may be at most {MAX_STEP.days} days")
        return self.moved_to(self.now(wall) + delta, wall)

    def paced(self, factor: float, wall: float) -> ClockState:
        return replace(self, anchor=self.now(wall), wall=wall, factor=check_pace(factor))


@dataclass(frozen=True, slots=True)
class ClockReading:
    """What a snapshot keeps of a clock: its time, pace and the world's start."""

    now: datetime
    factor: float
    origin: datetime


def move_target(
    reading: ClockReading, advance: timedelta | None = None, to: datetime | None = None
) -> datetime:
    """Where a move by ``advance`` (or to ``to``) from ``reading`` lands, with every bound
    checked as the move itself checks it (ValueError); nothing moves. A clock move plans
    the world it moves into first (mockcp.sim.store.ahead), so it asks here where that is."""
    state = ClockState(reading.origin, reading.now, 0.0, reading.factor)
    moved = state.advanced(advance, 0.0) if advance is not None else state.moved_to(
        reading.now if to is None else to, 0.0)
    return moved.anchor


def mode_name(factor: float) -> str:
    """``frozen``, ``realtime`` or ``xN``."""
    if factor == 0:
        return "frozen"
    if factor == 1:
        return "realtime"
    return f"x{factor:g}"


class SimClock:
    """Simulated time of one process, running at ``factor`` times wall time (0 = frozen).

    now = anchor + factor x (wall time since the anchor); ``advance`` and ``set`` move it
    forward only, ``set_factor`` changes the pace from now on (SimPy's split: the model
    code is the same whatever the pacing). The server's shared clock is
    ``mockcp.worldclock.StoredClock``; this one serves tests, scenarios and in-memory worlds.
    """

    def __init__(self, start: datetime, factor: float = 0.0) -> None:
        start = check_instant(start, "the clock's start")
        self._lock = threading.Lock()
        self._state = ClockState(start, start, time.monotonic(), check_pace(factor))

    def now(self) -> datetime:
        with self._lock:
            return self._state.now(time.monotonic())

    @property
    def factor(self) -> float:
        return self._state.factor

    @property
    def mode(self) -> str:
        """``frozen``, ``realtime`` or ``xN``."""
        return mode_name(self._state.factor)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (never backwards, within the bounds)."""
        with self._lock:
            self._state = self._state.advanced(delta, time.monotonic())
            return self._state.anchor

    def set(self, instant: datetime) -> datetime:
        """Jump forward to ``instant``."""
        with self._lock:
            self._state = self._state.moved_to(instant, time.monotonic())
            return self._state.anchor

    def set_factor(self, factor: float) -> None:
        """Change the pace from now on (0 freezes)."""
        with self._lock:
            self._state = self._state.paced(factor, time.monotonic())

    def reading(self) -> ClockReading:
        with self._lock:
            state = self._state
            return ClockReading(state.now(time.monotonic()), state.factor, state.origin)

    def restore(self, reading: ClockReading) -> None:
        """Put the clock back to ``reading`` (a snapshot's or the start's; may rewind)."""
        with self._lock:
            self._state = ClockState(
                reading.origin, reading.now, time.monotonic(), check_pace(reading.factor)
            )


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
        if math.isfinite(factor) and factor > MAX_PACE:
            raise ValueError(f"clock mode {mode!r} is too fast: at most x{MAX_PACE:g}")
        if math.isfinite(factor) and factor > 0:
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
    seconds = (
        parts.get("w", 0) * 604800
        + parts.get("d", 0) * 86400
        + parts.get("h", 0) * 3600
        + parts.get("m", 0) * 60
        + parts.get("s", 0)
    )
    if not math.isfinite(seconds) or seconds > MAX_STEP.total_seconds():
        raise ValueError(f"duration {text!r} is longer than {MAX_STEP.days} days")
    return timedelta(seconds=seconds)


def wall_seconds() -> float:
    """The real Unix time: the shared clock's anchor, which every process on a host agrees on."""
    return time.time()


def wall_now() -> datetime:
    """The real UTC time: only for choosing a default simulated start."""
    return datetime.now(UTC).replace(microsecond=0)


def bucket_start(instant: datetime) -> datetime:
    """The start of the 15-minute bucket holding ``instant``."""
    instant = utc(instant)
    return instant.replace(minute=instant.minute - instant.minute % 15, second=0, microsecond=0)


def day_start(instant: datetime) -> datetime:
    """The start of the UTC day holding ``instant``."""
    return utc(instant).replace(hour=0, minute=0, second=0, microsecond=0)


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
