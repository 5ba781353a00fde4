"""The meter: energy and power of a planned session at any instant, and its 15-minute data.

Pure functions of the plan (domain.md 4.4): the first interval starts at plug-in, later ones
on the quarter hour, up to the end of charging (or ``until``, for an active session);
``rollingPowerAvg`` = interval energy / interval length; ``peakPower`` = the highest power
in the interval. Uncapped plans are flat-then-taper (closed form); a plan that sheds
changed carries its piecewise-linear power curve (``SessionPlan.points``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockcp.clock import BUCKET, bucket_start
from mockcp.sim.model.plan import TAPER_FLOOR, SessionPlan


def _hours(plan: SessionPlan, instant: datetime) -> float:
    return max(0.0, (instant - plan.start).total_seconds() / 3600)


def _piece(points: tuple[tuple[float, float], ...], h: float) -> int:
    """Index i of the piece [points[i], points[i+1]) holding ``h`` (right-continuous), or -1."""
    for index in range(0, len(points) - 1):
        if points[index][0] <= h < points[index + 1][0]:
            return index
    return -1


def _curve_power(points: tuple[tuple[float, float], ...], h: float) -> float:
    index = _piece(points, h)
    if index < 0:
        return 0.0
    (h0, p0), (h1, p1) = points[index], points[index + 1]
    return p0 + (p1 - p0) * (h - h0) / (h1 - h0)


def _curve_energy(points: tuple[tuple[float, float], ...], h: float) -> float:
    total = 0.0
    for index in range(0, len(points) - 1):
        (h0, p0), (h1, p1) = points[index], points[index + 1]
        if h <= h0:
            break
        if h >= h1:
            total += (p0 + p1) / 2 * (h1 - h0)
        else:
            total += (p0 + _curve_power(points, h)) / 2 * (h - h0)
    return total


def power_at(plan: SessionPlan, instant: datetime) -> float:
    """kW drawn at ``instant``: flat, then a linear taper, then 0 while the car idles."""
    h = _hours(plan, instant)
    if plan.points is not None:
        return _curve_power(plan.points, h) if instant >= plan.start else 0.0
    if instant < plan.start or instant >= plan.charge_end:
        return 0.0
    if h < plan.flat_hours:
        return plan.power_kw
    progress = (h - plan.flat_hours) / plan.taper_hours
    return plan.power_kw * (1 - (1 - TAPER_FLOOR) * progress)


def energy_at(plan: SessionPlan, instant: datetime) -> float:
    """kWh delivered from plug-in up to ``instant``."""
    h = _hours(plan, instant)
    if instant >= plan.charge_end:
        return plan.energy_kwh
    if plan.points is not None:
        return min(_curve_energy(plan.points, h), plan.energy_kwh)
    if h <= plan.flat_hours:
        return plan.power_kw * h
    tau = h - plan.flat_hours
    drop = plan.power_kw * (1 - TAPER_FLOOR) / plan.taper_hours
    return plan.power_kw * plan.flat_hours + plan.power_kw * tau - drop * tau * tau / 2


@dataclass(frozen=True, slots=True)
class Reading:
    """One 15-minute row: interval start, energy (cumulative or delta), peak and average kW."""

    start: datetime
    energy_kwh: float
    peak_kw: float
    average_kw: float


def readings(plan: SessionPlan, until: datetime, cumulative: bool = True) -> list[Reading]:
    """The session's 15-minute data up to the end of charging or ``until``, whichever is first."""
    stop = min(plan.charge_end, until)
    if stop <= plan.start:
        return []
    rows, edge, total = [], plan.start, 0.0
    while edge < stop:
        nxt = min(bucket_start(edge) + BUCKET, stop)
        delta = energy_at(plan, nxt) - energy_at(plan, edge)
        total += delta
        hours = (nxt - edge).total_seconds() / 3600
        average = delta / hours if hours > 0 else 0.0
        peak = _peak(plan, edge, nxt)
        rows.append(Reading(edge, total if cumulative else delta, peak, average))
        edge = nxt
    return rows


def _peak(plan: SessionPlan, edge: datetime, nxt: datetime) -> float:
    """Highest power in [edge, nxt): at its start, or at a corner of the curve inside it."""
    peak = power_at(plan, edge)
    if plan.points is None:
        return peak  # uncapped power never rises within a session
    lo, hi = _hours(plan, edge), _hours(plan, nxt)
    for index, (h, kw) in enumerate(plan.points):
        if lo < h < hi:
            peak = max(peak, kw)  # (at ``lo`` itself the power is the right value: done above)
        elif h == hi and index > 0 and plan.points[index - 1][0] < hi:
            peak = max(peak, kw)  # the left limit at the interval's end
    return peak
