"""The meter: energy and power of a planned session at any instant, and its 15-minute data.

Pure functions of the plan (domain.md 4.4): the first interval starts at plug-in, later ones
on the quarter hour, up to the end of charging (or ``until``, for an active session);
``rollingPowerAvg`` = interval energy / interval length; ``peakPower`` = the highest power
in the interval (its start: power never rises within a session).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockcp.clock import BUCKET, bucket_start
from mockcp.sim.plan import TAPER_FLOOR, SessionPlan


def _hours(plan: SessionPlan, instant: datetime) -> float:
    return max(0.0, (instant - plan.start).total_seconds() / 3600)


def power_at(plan: SessionPlan, instant: datetime) -> float:
    """kW drawn at ``instant``: flat, then a linear taper, then 0 while the car idles."""
    h = _hours(plan, instant)
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
        rows.append(Reading(edge, total if cumulative else delta, power_at(plan, edge), average))
        edge = nxt
    return rows
