"""Power caps: what a session draws while sheds and events limit its port (guide 5.1).

A car's acceptance depends on the energy it has taken, not on the clock: flat at the
plan's power, then the plan's taper (power falling linearly in time, which is
``p^2 = P^2 - 2 k e`` in energy). Under a cap ``c`` the port delivers ``min(c, accept(e))``,
so a shed slows the flat part, and the taper resumes from wherever the energy got to once
the cap lifts or the car's acceptance falls below it. Every piece is linear in time, so a
capped session is stored exactly as a piecewise-linear power curve (``Point`` list).

The driver still leaves at the planned departure if charging is done by then; otherwise
they wait for the charge to finish, for at most ``PATIENCE`` beyond it, and leave with what
the cap allowed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mockcp.sim.model.plan import TAPER_FLOOR

PATIENCE = timedelta(hours=2)
EPS = 1e-9

Point = tuple[float, float]  # (hours since plug-in, kW); linear in between


@dataclass(frozen=True, slots=True)
class CapWindow:
    """A ceiling of ``kw`` on one port from ``start`` until ``end`` (None: until cleared)."""

    start: datetime
    end: datetime | None
    kw: float


@dataclass(frozen=True, slots=True)
class Shaped:
    """A session's outcome under caps: its power curve, energy and times."""

    points: tuple[Point, ...]
    energy_kwh: float
    charge_end: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Wish:
    """What the car would do uncapped: the plan's power, flat and taper, and departure."""

    start: datetime
    power_kw: float
    flat_hours: float
    taper_hours: float
    planned_end: datetime

    @property
    def energy_kwh(self) -> float:
        return self.power_kw * (self.flat_hours + self.taper_hours * (1 + TAPER_FLOOR) / 2)

    @property
    def charge_end(self) -> datetime:
        return self.start + timedelta(hours=self.flat_hours + self.taper_hours)


def natural_points(power: float, flat: float, taper: float) -> tuple[Point, ...]:
    """The uncapped curve: flat, then a linear taper to the floor, then nothing."""
    if power <= 0 or flat + taper <= 0:
        return ()
    return ((0.0, power), (flat, power), (flat + taper, power * TAPER_FLOOR))


def _hours(wish: Wish, instant: datetime) -> float:
    return (instant - wish.start).total_seconds() / 3600


def segments(wish: Wish, caps: Sequence[CapWindow]) -> list[tuple[float, float, float]]:
    """(from, to, cap) in hours since plug-in, covering [0, inf): the lowest cap in force."""
    edges = {0.0, math.inf}
    for cap in caps:
        edges.add(max(0.0, _hours(wish, cap.start)))
        edges.add(math.inf if cap.end is None else max(0.0, _hours(wish, cap.end)))
    ordered = sorted(edges)
    found = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b <= a:
            continue
        limit = math.inf
        for cap in caps:
            lo = _hours(wish, cap.start)
            hi = math.inf if cap.end is None else _hours(wish, cap.end)
            if lo <= a and b <= hi:
                limit = min(limit, max(cap.kw, 0.0))
        found.append((a, b, limit))
    return found


def affects(wish: Wish, caps: Sequence[CapWindow]) -> bool:
    """Whether any cap below the plan's power overlaps the uncapped charging time."""
    end = wish.charge_end
    if end <= wish.start:
        return False  # a zero-energy session draws nothing to cap
    return any(
        cap.kw < wish.power_kw and cap.start < end and (cap.end is None or cap.end > wish.start)
        for cap in caps
    )


def shape(wish: Wish, caps: Sequence[CapWindow]) -> Shaped:
    """The session under ``caps`` (exactly the uncapped plan when no cap bites)."""
    if wish.energy_kwh <= 0 or not affects(wish, caps):
        points = natural_points(wish.power_kw, wish.flat_hours, wish.taper_hours)
        return Shaped(points, wish.energy_kwh, wish.charge_end, wish.planned_end)
    curve = _Curve(wish)
    limit = _hours(wish, wish.planned_end + PATIENCE)
    for _, b, cap in segments(wish, caps):
        if curve.t >= limit or curve.done:
            break
        if b > curve.t:
            curve.run(min(b, limit), cap)
    charged = curve.last_charging()
    done_at = wish.start + timedelta(hours=curve.t)
    end = max(wish.planned_end, done_at) if curve.done else wish.planned_end + PATIENCE
    return Shaped(
        tuple(curve.points), curve.e, wish.start + timedelta(hours=charged), _whole_second(end)
    )


def _whole_second(instant: datetime) -> datetime:
    if instant.microsecond == 0:
        return instant
    return instant.replace(microsecond=0) + timedelta(seconds=1)


class _Curve:
    """Integrates ``min(cap, accept(e))`` piece by piece (each piece linear in time)."""

    def __init__(self, wish: Wish) -> None:
        self.p = wish.power_kw
        self.floor = wish.power_kw * TAPER_FLOOR
        self.k = wish.power_kw * (1 - TAPER_FLOOR) / wish.taper_hours
        self.e_flat = wish.power_kw * wish.flat_hours
        self.total = wish.energy_kwh
        self.t = 0.0
        self.e = 0.0
        self.points: list[Point] = []

    @property
    def done(self) -> bool:
        return self.e >= self.total - EPS

    def accept(self) -> float:
        if self.e < self.e_flat - EPS:
            return self.p
        return math.sqrt(max(self.p**2 - 2 * self.k * (self.e - self.e_flat), self.floor**2))

    def _add(self, t0: float, p0: float, t1: float, p1: float) -> None:
        if t1 > t0:
            self.points.extend(((t0, p0), (t1, p1)))

    def run(self, until: float, cap: float) -> None:
        while self.t < until - EPS and not self.done:
            accept = self.accept()
            if cap < accept - EPS:
                self._capped(until, cap)
            elif self.e < self.e_flat - EPS:
                dt = (self.e_flat - self.e) / self.p
                end = min(self.t + dt, until)
                self._add(self.t, self.p, end, self.p)
                self.e = self.e_flat if end == self.t + dt else self.e + self.p * (end - self.t)
                self.t = end
            else:
                dt = (accept - self.floor) / self.k
                end = min(self.t + dt, until)
                tau = end - self.t
                self._add(self.t, accept, end, accept - self.k * tau)
                self.e = (
                    self.total
                    if end == self.t + dt
                    else self.e + accept * tau - (self.k * tau * tau / 2)
                )
                self.t = end
        if not self.done:
            self.t = max(self.t, until)

    def _capped(self, until: float, cap: float) -> None:
        if cap <= EPS:
            self._add(self.t, 0.0, until, 0.0)
            self.t = until
            return
        if cap <= self.floor:
            target = self.total
        else:
            target = self.e_flat + (self.p**2 - cap**2) / (2 * self.k)
        dt = max(target - self.e, 0.0) / cap
        end = min(self.t + dt, until)
        self._add(self.t, cap, end, cap)
        self.e = target if end == self.t + dt else self.e + cap * (end - self.t)
        self.t = end
        if dt == 0.0:  # rounding put us at the knee: let the taper take over
            self.e = max(self.e, target)

    def last_charging(self) -> float:
        """When power last fell to nothing (end of the last piece that delivered energy)."""
        for index in range(len(self.points) - 1, 0, -2):
            if self.points[index - 1][1] > EPS or self.points[index][1] > EPS:
                return self.points[index][0]
        return 0.0
