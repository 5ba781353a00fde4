"""The one vehicle catalogue: every car mockcp knows, its charging figures, and the public mix.

Every user reads this table: the public sessions' cars (``PUBLIC_MIX``, sim/model/plan.py),
the seeded fleets' vehicles (seed/builder.py), the depot of the realism world (realism.py)
and the vehicle types addFleetVehicle/updateFleetVehicle accept (domain/fleets/vehicles.py).

Sources. On-board charger (AC) classes are domain.md 4.2's: 3.3 kW (2011-12 LEAF, Volt, most
PHEVs), 6.6 kW (LEAF 2013+), 7.2 kW (Bolt to 2021), 11.5 kW (Model 3 LR). Battery sizes and DC
peaks are not in domain.md: they are the makers' published nominal figures (widely reprinted,
not re-verified here, like domain.md's own charger classes). Where two tables used to disagree
the choice is written on the row.
"""

from __future__ import annotations

from dataclasses import dataclass

LAST_YEAR = 2027  # the newest model year a fleet vehicle may be declared with


@dataclass(frozen=True, slots=True)
class VehicleModel:
    """One generation of a car: its figures hold from model year ``since`` on."""

    make: str
    model: str
    since: int
    kind: str  # BEV or PHEV
    ac_kw: float  # on-board charger
    dc_kw: float  # DC fast-charge peak (0: none)
    battery_kwh: float


CATALOGUE = (
    VehicleModel("Chevrolet", "Volt", 2011, "PHEV", 3.6, 0.0, 18.4),
    VehicleModel("Toyota", "Prius Prime", 2017, "PHEV", 3.3, 0.0, 8.8),
    # LEAF: the 3.3 kW class of domain.md 4.2 with a 30 kWh pack, then the 40 kWh car
    # (Nissan, model year 2018 on) with the 6.6 kW charger.
    VehicleModel("Nissan", "Leaf", 2011, "BEV", 3.3, 50.0, 30.0),
    VehicleModel("Nissan", "Leaf", 2018, "BEV", 6.6, 50.0, 40.0),
    # Bolt EV: was 65 kWh in the seeded fleets and the fleet catalogue, 66 kWh in the public
    # mix. 66 kWh is GM's figure for the 2020-21 Bolt EV, the generation whose 7.2 kW charger
    # every table (and domain.md 4.2, "Bolt to 2021") gives it; 65 kWh is the 2022-23 car's,
    # which has the 11.5 kW charger instead. One row keeps the fleets' answers close: the
    # 2017-19 car (60 kWh) and the 2022 car are not told apart.
    VehicleModel("Chevrolet", "Bolt EV", 2017, "BEV", 7.2, 55.0, 66.0),
    VehicleModel("Tesla", "Model 3", 2017, "BEV", 11.5, 170.0, 75.0),
    VehicleModel("Tesla", "Model Y", 2020, "BEV", 11.5, 250.0, 75.0),
    VehicleModel("Ford", "Mustang Mach-E", 2021, "BEV", 10.5, 150.0, 88.0),
    VehicleModel("Ford", "E-Transit", 2022, "BEV", 11.3, 115.0, 68.0),
    VehicleModel("Ford", "F-150 Lightning", 2022, "BEV", 11.3, 150.0, 98.0),
    VehicleModel("Hyundai", "Ioniq 5", 2022, "BEV", 10.9, 235.0, 77.4),
    VehicleModel("Rivian", "EDV 700", 2022, "BEV", 11.5, 210.0, 135.0),
    VehicleModel("Chevrolet", "BrightDrop Zevo 600", 2022, "BEV", 19.2, 120.0, 165.0),
)


def _generations(make: str, model: str) -> list[VehicleModel]:
    key = (make.strip().lower(), model.strip().lower())
    rows = [row for row in CATALOGUE if (row.make.lower(), row.model.lower()) == key]
    return sorted(rows, key=lambda row: row.since)


def find(make: str, model: str, year: int) -> VehicleModel | None:
    """The generation of (make, model) built in ``year`` (case and outer spaces ignored), or
    None for an unknown car, a year before its first or after ``LAST_YEAR``."""
    rows = _generations(make, model)
    if not rows or not rows[0].since <= year <= LAST_YEAR:
        return None
    return [row for row in rows if row.since <= year][-1]


def spec(make: str, model: str, year: int) -> VehicleModel:
    """The figures of a catalogue car for ``year``; a year before its first generation gets
    the first generation's (the seeded fleets draw years 2019-2024 for every model)."""
    rows = _generations(make, model)
    if not rows:
        raise KeyError((make, model))
    built = [row for row in rows if row.since <= year]
    return built[-1] if built else rows[0]


@dataclass(frozen=True, slots=True)
class VehicleClass:
    """One car of a session: the catalogue's figures for its model year, and its weight in
    the public mix."""

    make: str
    model: str
    year: str
    kind: str  # BEV or PHEV
    ac_kw: float
    dc_kw: float
    battery_kwh: float
    weight: float


def _car(make: str, model: str, year: int, weight: float) -> VehicleClass:
    row = spec(make, model, year)
    return VehicleClass(
        make, model, str(year), row.kind, row.ac_kw, row.dc_kw, row.battery_kwh, weight
    )


# The cars of public sessions and their shares (the on-board charger classes of domain.md 4.2).
PUBLIC_MIX = (
    _car("Chevrolet", "Volt", 2017, 0.17),
    _car("Toyota", "Prius Prime", 2021, 0.13),
    _car("Nissan", "Leaf", 2016, 0.06),
    _car("Nissan", "Leaf", 2019, 0.2),
    _car("Chevrolet", "Bolt EV", 2020, 0.14),
    _car("Tesla", "Model 3", 2022, 0.16),
    _car("Ford", "Mustang Mach-E", 2023, 0.08),
    _car("Hyundai", "Ioniq 5", 2023, 0.06),
)

# The models the seeded fleets draw from (uniformly; their year is drawn separately).
FLEET_MODELS = (
    ("Nissan", "Leaf"),
    ("Chevrolet", "Bolt EV"),
    ("Ford", "E-Transit"),
    ("Tesla", "Model 3"),
)
