"""Alarms from the real vocabulary (domain.md 5.2), drawn per station and local day.

Rates are assumptions (no public frequencies, domain.md 8): connectivity drops (Unreachable,
then Reachable 5 min to a few hours later) about once a station-month; a power loss (Powered
Off, then "Bootup Due to POWER ON") a few times a station-year; GFCI soft trips followed by
"Fault Cleared" about once a port-year.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockcp.rng import for_entity
from mockcp.sim.model.days import local_day, local_midnight

DROP_PER_DAY = 1 / 30
POWER_LOSS_PER_DAY = 1 / 120
GFCI_PER_PORT_DAY = 1 / 365


@dataclass(frozen=True, slots=True)
class AlarmPlan:
    station_pk: int
    port_number: int | None
    alarm_type: str
    time: datetime


def _moment(rng_value: float, day: date, offset_minutes: int) -> datetime:
    return local_midnight(day, offset_minutes) + timedelta(seconds=int(rng_value * 86_400))


@functools.lru_cache(maxsize=8192)
def station_day_alarms(
    root_seed: int, station_pk: int, ports: int, day: date, offset_minutes: int
) -> tuple[AlarmPlan, ...]:
    """The alarms of one station on one local day, in time order. A function of its
    arguments alone, so it is remembered: ``reported_at`` asks for two days for every
    session that ends (2.5 times per planned station-day on the demo world)."""
    rng = for_entity(root_seed, "alarms", station_pk, day.isoformat())
    draws = [rng.random() for _ in range(6)]
    alarms: list[AlarmPlan] = []
    if draws[0] < DROP_PER_DAY:
        down = _moment(draws[1], day, offset_minutes)
        back = down + timedelta(minutes=5 + rng.lognormvariate(math.log(40), 1.0))
        back = back.replace(microsecond=0)  # stations report whole seconds
        alarms += [
            AlarmPlan(station_pk, None, "Unreachable", down),
            AlarmPlan(station_pk, None, "Reachable", back),
        ]
    if draws[2] < POWER_LOSS_PER_DAY:
        off = _moment(draws[3], day, offset_minutes)
        alarms += [
            AlarmPlan(station_pk, None, "Powered Off", off),
            AlarmPlan(
                station_pk,
                None,
                "Bootup Due to POWER ON",
                (off + timedelta(minutes=2 + 20 * rng.random())).replace(microsecond=0),
            ),
        ]
    for port in range(1, ports + 1):
        if rng.random() < GFCI_PER_PORT_DAY:
            trip = _moment(rng.random(), day, offset_minutes)
            alarms += [
                AlarmPlan(station_pk, port, "GFCI Soft Trip", trip),
                AlarmPlan(
                    station_pk,
                    port,
                    "Fault Cleared",
                    trip + timedelta(seconds=30 + int(300 * rng.random())),
                ),
            ]
    return tuple(sorted(alarms, key=lambda a: (a.time, a.port_number or 0, a.alarm_type)))


def reported_at(
    root_seed: int, station_pk: int, ports: int, offset_minutes: int, end: datetime
) -> datetime | None:
    """When a session that ends at ``end`` reaches the cloud, if later than its end.

    A session that ends while its station is unreachable is uploaded when the station is
    back (its Reachable alarm); otherwise it is reported at once (None).
    """
    local = local_day(end, offset_minutes)
    for day in (local - timedelta(days=1), local):
        for down, back in _outages(root_seed, station_pk, ports, day, offset_minutes):
            if down <= end < back:
                return back
    return None


@functools.lru_cache(maxsize=8192)
def _outages(
    root_seed: int, station_pk: int, ports: int, day: date, offset_minutes: int
) -> tuple[tuple[datetime, datetime], ...]:
    """(Unreachable, Reachable) pairs of one station-day (``reported_at`` asks for two days
    per session: most have none)."""
    plan = station_day_alarms(root_seed, station_pk, ports, day, offset_minutes)
    downs = [a.time for a in plan if a.alarm_type == "Unreachable"]
    backs = [a.time for a in plan if a.alarm_type == "Reachable"]
    return tuple(zip(downs, backs, strict=True))
