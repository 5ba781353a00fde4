"""Fleet vehicles at their depot: back in the evening, charge overnight, out in the morning.

Each vehicle of a fleet is given a depot port (vehicles and depot ports in ID order). On a
working day it returns around 18:00 local time, needs the energy of the day's route (a
share of its battery), charges at min(port rating, on-board charger) with the usual taper,
reports Charged once full, and leaves around 06:00. Weekends see fewer runs. Pure function
of (root seed, vehicle, day), like ``plan.plan_day``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockcp.rng import for_entity
from mockcp.sim.model.days import local_midnight
from mockcp.sim.model.plan import PortSpec, SessionPlan, shape
from mockcp.sim.model.vehicles import VehicleClass

RETURN_HOUR, LEAVE_HOUR = 18, 6
WEEKEND_RUN_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class FleetCar:
    """What the depot planner needs of a fleet vehicle."""

    pk: int
    make: str
    model: str
    year: int
    battery_kwh: float
    onboard_charger_kw: float
    card_pk: int | None

    def as_class(self) -> VehicleClass:
        return VehicleClass(
            self.make, self.model, str(self.year), "BEV", self.onboard_charger_kw, 0.0,
            self.battery_kwh, 0.0,
        )


def plan_fleet_day(
    root_seed: int, port: PortSpec, day: date, free_at: datetime | None, car: FleetCar
) -> list[SessionPlan]:
    """The vehicle's overnight session that starts on local ``day`` (or none)."""
    rng = for_entity(root_seed, "fleet-day", car.pk, day.isoformat())
    if day.weekday() >= 5 and rng.random() > WEEKEND_RUN_SHARE:
        return []
    midnight = local_midnight(day, port.utc_offset_minutes)
    back = midnight + timedelta(hours=RETURN_HOUR, minutes=rng.gauss(0, 25))
    leave = midnight + timedelta(days=1, hours=LEAVE_HOUR, minutes=rng.gauss(0, 15))
    back, leave = back.replace(microsecond=0), leave.replace(microsecond=0)
    if free_at is not None and back < free_at:
        return []
    soc_start = round(0.2 + 0.35 * rng.random(), 3)
    power = min(port.kw, car.onboard_charger_kw)
    window = (leave - back).total_seconds() / 3600
    energy = round(car.battery_kwh * (0.95 - soc_start), 6)
    flat, taper = shape(energy, power, port.dc)
    if flat + taper > window:  # not full by morning: it leaves with what it got
        energy = round(power * window * 0.9, 6)
        flat, taper = shape(energy, power, port.dc)
    soc_end = min(1.0, soc_start + energy / car.battery_kwh)
    end = max(leave, back + timedelta(seconds=math.ceil((flat + taper) * 3600)))
    return [
        SessionPlan(
            port.port_pk,
            back,
            energy,
            power,
            flat,
            taper,
            end,
            car.as_class(),
            soc_start,
            soc_end,
            "Plug Out at Vehicle",
        )
    ]
