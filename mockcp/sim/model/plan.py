"""Session plans: who plugs into a port when, for how long, drawing what (domain.md 3-4).

``plan_day`` is a pure function of (root seed, port, day, when the port frees up): arrivals
from a non-homogeneous Poisson process over the site's hourly shape, energy from a
log-normal with a zero-energy spike, power limited by port and on-board charger, charging
time from energy and a taper, connected time = charging time + an idle tail. An arrival
while the port is still occupied drives on (sessions on one port never overlap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockcp.rng import Random, for_entity
from mockcp.sim.model.days import local_midnight
from mockcp.sim.model.profiles import ENDED_BY, SITES, SiteProfile
from mockcp.sim.model.vehicles import PUBLIC_MIX, VehicleClass

TAPER_FLOOR = 0.3  # power at the very end of a taper, as a share of the flat power
AC_TAPER_HOURS = 25 / 60
DC_TAPER_SHARE = 0.4
DC_KNEE_SOC = 0.5  # DC holds its power to about 50 % state of charge, then tapers (domain.md 4.3)
MAX_AC_KWH = 100.0


@dataclass(frozen=True, slots=True)
class PortSpec:
    """What the simulator needs to know about one port."""

    port_pk: int
    kw: float
    dc: bool
    site: str
    utc_offset_minutes: int


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """One session from plug-in to unplug; power is flat, then tapers linearly to the end."""

    port_pk: int
    start: datetime
    energy_kwh: float
    power_kw: float
    flat_hours: float
    taper_hours: float
    end: datetime
    vehicle: VehicleClass
    start_soc: float
    end_soc: float
    ended_by: str
    # The power curve when caps changed it: (hours since plug-in, kW), linear in between.
    points: tuple[tuple[float, float], ...] | None = None
    capped_charge_end: datetime | None = None

    @property
    def charge_end(self) -> datetime:
        if self.capped_charge_end is not None:
            return self.capped_charge_end
        return self.start + timedelta(hours=self.flat_hours + self.taper_hours)


def poisson(rng: Random, mean: float) -> int:
    """Knuth's Poisson sampler (small means)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _weighted(rng: Random, items: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in items], weights=[w for _, w in items])[0]


def _vehicle(rng: Random, dc: bool) -> VehicleClass:
    pool = [v for v in PUBLIC_MIX if v.dc_kw > 0] if dc else list(PUBLIC_MIX)
    return rng.choices(pool, weights=[v.weight for v in pool])[0]


def _energy(rng: Random, site: SiteProfile, dc: bool, vehicle: VehicleClass) -> float:
    zero = rng.random() < site.zero_energy_share
    draw = rng.lognormvariate(
        math.log(22.0) if dc else site.energy_mu, 0.5 if dc else site.energy_sigma
    )
    if zero:
        return 0.0
    usable = 0.9 * vehicle.battery_kwh
    return round(min(max(draw, 0.01), MAX_AC_KWH, usable), 6)


def _idle_hours(rng: Random, site: SiteProfile) -> float:
    u, extra = rng.random(), rng.random()
    if u < site.idle_zero_share:
        return extra * 2 / 60
    if u < site.idle_zero_share + site.idle_day_share:
        return 24 + extra * 48
    if u < site.idle_zero_share + site.idle_day_share + site.idle_long_share:
        return 1 + rng.lognormvariate(math.log(1.6), 0.7)
    return (2 + extra * 58) / 60


def shape(
    energy: float, power: float, dc: bool, soc: tuple[float, float] | None = None
) -> tuple[float, float]:
    """(flat hours, taper hours) that deliver ``energy`` at ``power`` with the end taper.

    AC tapers over its last ~25 minutes. DC, given ``soc`` = (state of charge at plug-in,
    battery kWh), holds its power up to ``DC_KNEE_SOC`` and tapers from there (a car that
    arrives above the knee tapers from the start); without it, over its last 40 % of energy.
    """
    if energy <= 0 or power <= 0:
        return 0.0, 0.0
    full_taper_kwh = power * AC_TAPER_HOURS * (1 + TAPER_FLOOR) / 2
    if dc and soc is not None:
        flat_kwh = min(energy, max(0.0, (DC_KNEE_SOC - soc[0]) * soc[1]))
        taper_kwh = max(energy - flat_kwh, min(energy, 0.05 * soc[1]))
    elif dc:
        taper_kwh = energy * DC_TAPER_SHARE
    else:
        taper_kwh = min(energy * 0.5, full_taper_kwh)
    taper_hours = 2 * taper_kwh / (power * (1 + TAPER_FLOOR))
    return (energy - taper_kwh) / power, taper_hours


def plan_session(rng: Random, port: PortSpec, start: datetime) -> SessionPlan:
    """Draw one session starting at ``start`` (every draw in a fixed order)."""
    site = SITES[port.site]
    vehicle = _vehicle(rng, port.dc)
    energy = _energy(rng, site, port.dc, vehicle)
    idle = _idle_hours(rng, site)
    soc_start = round(0.1 + 0.4 * rng.random(), 3)
    ended_by = _weighted(rng, ENDED_BY)
    power = min(port.kw, vehicle.dc_kw if port.dc else vehicle.ac_kw)
    flat, taper = shape(energy, power, port.dc, (soc_start, vehicle.battery_kwh))
    if energy == 0:
        idle = (1 + 9 * rng.random()) / 60
    end = start + timedelta(seconds=math.ceil((flat + taper + idle) * 3600))  # whole seconds
    soc_end = min(1.0, soc_start + energy / vehicle.battery_kwh)
    return SessionPlan(
        port.port_pk, start, energy, power, flat, taper, end, vehicle, soc_start, soc_end, ended_by
    )


def plan_day(
    root_seed: int, port: PortSpec, day: date, free_at: datetime | None
) -> list[SessionPlan]:
    """The sessions that start on local ``day`` at ``port``; ``free_at`` is when it frees up."""
    rng = for_entity(root_seed, "port-day", port.port_pk, day.isoformat())
    site = SITES[port.site]
    weekday = day.weekday() < 5
    mean = site.sessions_per_port_weekday * (1.0 if weekday else site.weekend_factor)
    hours = site.weekday_hours if weekday else site.weekend_hours
    count = poisson(rng, mean)
    midnight = local_midnight(day, port.utc_offset_minutes)
    offsets = sorted(
        rng.choices(range(24), weights=hours)[0] * 3600 + rng.random() * 3600 for _ in range(count)
    )
    plans = []
    for offset in offsets:
        start = midnight + timedelta(seconds=int(offset))
        plan = plan_session(rng, port, start)
        if free_at is not None and start < free_at:
            continue
        plans.append(plan)
        free_at = plan.end
    return plans
