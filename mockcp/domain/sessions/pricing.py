"""Station pricing policies (guide 7.1 ``pricingSpecification``): time-of-use windows, fees.

A station has one pricing window or several (time of use: say an off-peak and an evening
peak window), each with per-session, per-kWh and per-hour parts (a first-hours rate and a
rate thereafter), an idle fee and minimum/maximum clamps (domain notes 5.4). A session is
billed under the window that holds its plug-in time, in the station's local time; so is a
reservation, at the time it was made.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.clock import offset_minutes
from mockcp.db.activity import ChargingSession
from mockcp.db.models import PricingRule, Station

Policies = dict[int, list[PricingRule]]  # station pk -> its windows, in rule order


def policies(db: Session, station_pks: Collection[int] | None = None) -> Policies:
    """Every priced station's pricing windows (of these stations only, when given)."""
    found: Policies = {}
    statement = select(PricingRule).order_by(PricingRule.id)
    if station_pks is not None:
        statement = statement.where(PricingRule.station_pk.in_(station_pks))
    for rule in db.scalars(statement):
        found.setdefault(rule.station_pk, []).append(rule)
    return found


def rule_at(windows: list[PricingRule], station: Station, instant: datetime) -> PricingRule:
    """The window of ``windows`` that holds ``instant`` in the station's local time."""
    local = instant + timedelta(minutes=offset_minutes(station.timezone_offset))
    return window_at(windows, local.strftime("%H:%M:%S"))


def window_at(windows: list[PricingRule], clock: str) -> PricingRule:
    """The window that holds the local time of day ``clock`` (``HH:MM:SS``).

    Windows are inclusive ranges; one that ends before it starts wraps past midnight
    (22:00:00-06:00:00). A time no window holds falls to the first window.
    """
    for rule in windows:
        if rule.start_time <= rule.end_time:
            if rule.start_time <= clock <= rule.end_time:
                return rule
        elif clock >= rule.start_time or clock <= rule.end_time:
            return rule
    return windows[0]


def fee(rule: PricingRule, session: ChargingSession) -> float:
    """The gross fee of one finished session under ``rule``."""
    end = session.end_time or session.start_time
    connected = (end - session.start_time).total_seconds() / 3600
    charge_end = session.charging_end_time or end
    idle = max(0.0, (end - charge_end).total_seconds() / 3600)
    return _amount(rule, session.energy_kwh, connected, idle)


def _amount(rule: PricingRule, energy_kwh: float, connected_h: float, idle_h: float) -> float:
    first = (rule.initial_duration_min or 0) / 60
    amount = (rule.per_session or 0) + (rule.per_kwh or 0) * energy_kwh
    if rule.per_hour and first and rule.per_hour_thereafter is not None:
        amount += rule.per_hour * min(connected_h, first)
        amount += rule.per_hour_thereafter * max(0.0, connected_h - first)
    elif rule.per_hour:
        amount += rule.per_hour * connected_h
    amount += (rule.idle_fee_per_hour or 0) * idle_h
    if rule.min_price is not None:
        amount = max(amount, rule.min_price)
    if rule.max_price is not None:
        amount = min(amount, rule.max_price)
    return round(amount, 2)


@dataclass(frozen=True, slots=True)
class PricingAsk:
    """A station search's ``Pricing`` options: a planned session to price (guide 7.1)."""

    start: time  # local time of day at the station
    duration_hours: int
    energy_kwh: float
    vehicle_kw: float


def estimated_cost(windows: list[PricingRule], ask: PricingAsk, port_kw: float) -> float:
    """``estimatedCost`` of one port: the fee of the planned session under the window that
    holds its start. The car draws min(vehiclePower, port power) until it has the energy
    required or the duration is over; the rest of the duration is idle.

    FIDELITY: ``Duration`` is taken in hours, as the guide says twice (the WSDL's comment
    says minutes); a session is billed under one window, as finished sessions are.
    """
    rule = window_at(windows, ask.start.strftime("%H:%M:%S"))
    hours = max(0, ask.duration_hours)
    kw = min(k for k in (ask.vehicle_kw, port_kw) if k > 0) if port_kw > 0 else 0.0
    energy = min(max(0.0, ask.energy_kwh), kw * hours)
    charging = energy / kw if kw > 0 else 0.0
    return _amount(rule, energy, hours, max(0.0, hours - charging))


def billed(windows: list[PricingRule], station: Station, session: ChargingSession) -> tuple[
    PricingRule, float
]:
    """The window a session is billed under, and its gross fee."""
    rule = rule_at(windows, station, session.start_time)
    return rule, fee(rule, session)
