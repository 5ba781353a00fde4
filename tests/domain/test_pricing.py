"""Pricing windows and fees (domain.pricing): properties over any policy and session."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mockcp.db.activity import ChargingSession
from mockcp.db.models import PricingRule
from mockcp.domain.sessions.pricing import PricingAsk, estimated_cost, fee, window_at

money = st.none() | st.floats(0, 5, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def rules(draw: st.DrawFn) -> PricingRule:
    low = draw(st.none() | st.floats(0, 3).map(lambda v: round(v, 2)))
    high = draw(st.none() | st.floats(3, 50).map(lambda v: round(v, 2)))
    return PricingRule(
        name="r", start_time="00:00:00", end_time="23:59:59", per_session=draw(money),
        per_kwh=draw(money), per_hour=draw(money), per_hour_thereafter=draw(money),
        initial_duration_min=draw(st.none() | st.sampled_from([60, 120])),
        idle_fee_per_hour=draw(money), min_price=low, max_price=high,
    )


def session(kwh: float, charging_h: float, idle_h: float) -> ChargingSession:
    start = datetime(2024, 3, 12, 8, tzinfo=UTC)
    charged = start + timedelta(hours=charging_h)
    return ChargingSession(
        start_time=start, charging_end_time=charged, end_time=charged + timedelta(hours=idle_h),
        energy_kwh=kwh,
    )


hours = st.floats(0, 30, allow_nan=False)
energies = st.floats(0, 120, allow_nan=False)


@given(rules(), energies, hours, hours)
def test_fee_stays_inside_the_clamps(rule: PricingRule, kwh: float, ch: float, idle: float) -> None:
    gross = fee(rule, session(kwh, ch, idle))
    assert gross >= 0
    if rule.min_price is not None:
        assert gross >= rule.min_price
    if rule.max_price is not None:
        assert gross <= rule.max_price


@given(rules(), energies, energies, hours, hours, hours)
def test_fee_never_falls_with_more_energy_or_more_time(
    rule: PricingRule, kwh: float, more_kwh: float, ch: float, idle: float, more_idle: float
) -> None:
    base = fee(rule, session(kwh, ch, idle))
    assert fee(rule, session(kwh + more_kwh, ch, idle)) >= base
    assert fee(rule, session(kwh, ch, idle + more_idle)) >= base


@given(
    st.integers(0, 23), st.integers(0, 59), st.integers(0, 59),
    st.integers(1, 22).flatmap(lambda a: st.tuples(st.just(a), st.integers(a + 1, 23))),
    st.booleans(),
)
def test_a_peak_and_an_off_peak_window_wrapping_midnight_cover_every_time_once(
    h: int, m: int, s: int, bounds: tuple[int, int], peak_first: bool
) -> None:
    """Peak a:00:00-(b-1):59:59; off-peak b:00:00-(a-1):59:59, wrapping past midnight."""
    a, b = bounds
    peak = PricingRule(name="peak", start_time=f"{a:02d}:00:00", end_time=f"{b - 1:02d}:59:59")
    off = PricingRule(name="off", start_time=f"{b:02d}:00:00", end_time=f"{a - 1:02d}:59:59")
    windows = [peak, off] if peak_first else [off, peak]
    expected = "peak" if a <= h < b else "off"
    assert window_at(windows, f"{h:02d}:{m:02d}:{s:02d}").name == expected


@given(rules(), st.integers(0, 12), energies, st.floats(1, 150), st.floats(1, 150))
def test_estimated_cost_is_the_fee_of_the_session_it_describes(
    rule: PricingRule, duration: int, kwh: float, vehicle: float, port: float
) -> None:
    kw = min(vehicle, port)
    delivered = min(kwh, kw * duration)
    charging = delivered / kw
    expected = fee(rule, session(delivered, charging, duration - charging))
    ask = PricingAsk(time(9), duration, kwh, vehicle)
    assert abs(estimated_cost([rule], ask, port) - expected) <= 0.011
