"""Capped power curves: the physics of sheds, checked as invariants (hypothesis)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mockcp.sim.model.capping import PATIENCE, CapWindow, Wish, shape
from mockcp.sim.model.meter import energy_at, power_at
from mockcp.sim.model.plan import SessionPlan
from mockcp.sim.model.plan import shape as flat_and_taper
from mockcp.sim.model.vehicles import PUBLIC_MIX

T0 = datetime(2024, 3, 12, 18, 0, tzinfo=UTC)


@st.composite
def wishes(draw: st.DrawFn) -> Wish:
    power = draw(st.sampled_from([3.3, 6.6, 7.2, 11.0, 50.0]))
    energy = draw(st.floats(0.5, 60.0))
    flat, taper = flat_and_taper(energy, power, power >= 50)
    idle = timedelta(minutes=draw(st.integers(1, 600)))
    charging = timedelta(seconds=math.ceil((flat + taper) * 3600))  # whole seconds, as planned
    return Wish(T0, power, flat, taper, T0 + charging + idle)


@st.composite
def windows(draw: st.DrawFn) -> list[CapWindow]:
    found = []
    for _ in range(draw(st.integers(0, 3))):
        start = T0 + timedelta(minutes=draw(st.integers(-60, 600)))
        length = draw(st.one_of(st.none(), st.integers(1, 600)))
        end = None if length is None else start + timedelta(minutes=length)
        found.append(CapWindow(start, end, draw(st.sampled_from([0.0, 1.0, 2.5, 4.0, 100.0]))))
    return found


def as_plan(wish: Wish, caps: list[CapWindow]) -> tuple[SessionPlan, float]:
    shaped = shape(wish, caps)
    plan = SessionPlan(
        0, wish.start, shaped.energy_kwh, wish.power_kw, wish.flat_hours, wish.taper_hours,
        shaped.end, PUBLIC_MIX[0], 0.0, 0.0, "", shaped.points, shaped.charge_end,
    )
    return plan, shaped.energy_kwh


def cap_at(caps: list[CapWindow], instant: datetime) -> float:
    return min(
        [c.kw for c in caps if c.start <= instant and (c.end is None or instant < c.end)],
        default=float("inf"),
    )


@settings(max_examples=150, deadline=None)
@given(wishes(), windows(), st.lists(st.integers(0, 60 * 60), min_size=1, max_size=12))
def test_power_never_exceeds_the_cap_or_the_car(
    wish: Wish, caps: list[CapWindow], minutes: list[int]
) -> None:
    plan, _ = as_plan(wish, caps)
    for m in minutes:
        instant = T0 + timedelta(minutes=m)
        drawn = power_at(plan, instant)
        assert 0 <= drawn <= min(cap_at(caps, instant), wish.power_kw) + 1e-9


@settings(max_examples=150, deadline=None)
@given(wishes(), windows(), st.lists(st.integers(0, 60 * 60), min_size=2, max_size=12))
def test_energy_is_monotone_bounded_and_never_ahead_of_the_uncapped_car(
    wish: Wish, caps: list[CapWindow], minutes: list[int]
) -> None:
    plan, energy = as_plan(wish, caps)
    free, _ = as_plan(wish, [])
    assert energy <= wish.energy_kwh + 1e-9
    # The driver never leaves before the planned departure, waits at most PATIENCE past it,
    # and only a driver who waited that long leaves with less than the car wanted.
    assert wish.planned_end <= plan.end <= wish.planned_end + PATIENCE
    if energy < wish.energy_kwh - 1e-6:
        assert plan.end == wish.planned_end + PATIENCE
    previous = 0.0
    for m in sorted(minutes):
        instant = T0 + timedelta(minutes=m)
        now = energy_at(plan, instant)
        assert now >= previous - 1e-9
        assert now <= energy_at(free, instant) + 1e-6
        previous = now
    assert energy_at(plan, plan.end) == energy


@settings(max_examples=100, deadline=None)
@given(wishes())
def test_no_cap_or_a_cap_above_the_car_changes_nothing(wish: Wish) -> None:
    above = [CapWindow(T0, None, wish.power_kw + 1)]
    for caps in ([], above):
        shaped = shape(wish, caps)
        assert (shaped.energy_kwh, shaped.end) == (wish.energy_kwh, wish.planned_end)


def test_a_cap_stretches_the_charge_to_deliver_the_same_energy() -> None:
    flat, taper = flat_and_taper(14.4, 7.2, False)
    wish = Wish(T0, 7.2, flat, taper, T0 + timedelta(hours=flat + taper, minutes=5))
    half = shape(wish, [CapWindow(T0, T0 + timedelta(hours=1), 3.6)])
    assert abs(half.energy_kwh - 14.4) < 1e-9
    # an hour at half power costs half an hour more to deliver the same energy
    assert half.charge_end - wish.charge_end == timedelta(minutes=30)
    stalled = shape(wish, [CapWindow(T0, None, 0.0)])
    assert stalled.energy_kwh == 0 and stalled.end == wish.planned_end + PATIENCE


def test_dc_holds_its_power_to_the_knee_then_tapers() -> None:
    from mockcp.sim.model.plan import DC_KNEE_SOC

    power, battery, soc = 50.0, 60.0, 0.2
    energy = 0.5 * battery  # 20 % -> 70 %
    flat, taper = flat_and_taper(energy, power, True, (soc, battery))
    assert abs(power * flat - (DC_KNEE_SOC - soc) * battery) < 1e-9  # full power to the knee
    assert abs(power * flat + power * taper * 1.3 / 2 - energy) < 1e-9  # then the taper
    # a car that arrives above the knee tapers from the start
    assert flat_and_taper(10.0, power, True, (0.6, battery))[0] == 0.0
