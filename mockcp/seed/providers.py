"""Realistic building blocks for the demo world: metros, station models, identifiers."""

from __future__ import annotations

from dataclasses import dataclass

from mockcp.rng import Random


@dataclass(frozen=True, slots=True)
class Metro:
    city: str
    state: str
    country: str
    latitude: float
    longitude: float
    timezone: str
    offset: str


METROS = {
    "Boulder": Metro(
        "Boulder", "Colorado", "United States", 40.0150, -105.2705, "America/Denver", "-07:00"
    ),
    "Denver": Metro(
        "Denver", "Colorado", "United States", 39.7392, -104.9903, "America/Denver", "-07:00"
    ),
    "Seattle": Metro(
        "Seattle",
        "Washington",
        "United States",
        47.6062,
        -122.3321,
        "America/Los_Angeles",
        "-08:00",
    ),
    "Austin": Metro(
        "Austin", "Texas", "United States", 30.2672, -97.7431, "America/Chicago", "-06:00"
    ),
    "Amsterdam": Metro(
        "Amsterdam", "Noord-Holland", "Netherlands", 52.3676, 4.9041, "Europe/Amsterdam", "+01:00"
    ),
    "Utrecht": Metro(
        "Utrecht", "Utrecht", "Netherlands", 52.0907, 5.1214, "Europe/Amsterdam", "+01:00"
    ),
    "Vancouver": Metro(
        "Vancouver", "British Columbia", "Canada", 49.2827, -123.1207, "America/Vancouver", "-08:00"
    ),
    "Toronto": Metro(
        "Toronto", "Ontario", "Canada", 43.6532, -79.3832, "America/Toronto", "-05:00"
    ),
}

# Station models by network (domain.md 4.1): ports as (connector, level, mode, volts, amps, kW).
PortSpec = tuple[str, str | None, str | None, int, int, float]
MODELS_NA: list[tuple[str, float, list[PortSpec]]] = [
    ("CT4020-HD-GW", 0.45, [("J1772", "L2", None, 240, 30, 7.2)] * 2),
    ("CT4010-HD-GW", 0.15, [("J1772", "L2", None, 240, 30, 7.2)]),
    ("CT4025-HD-GW", 0.15, [("J1772", "L2", None, 208, 30, 6.2)] * 2),
    ("CPF50", 0.10, [("J1772", "L2", None, 240, 48, 11.5)]),
    (
        "CPE250",
        0.15,
        [("CCS1", "DC", None, 500, 125, 62.5), ("CHAdeMO", "DC", None, 500, 125, 62.5)],
    ),
]
MODELS_EU: list[tuple[str, float, list[PortSpec]]] = [
    ("CP6000-2-32A", 0.6, [("Type 2", None, "3", 400, 32, 22.0)] * 2),
    ("CP6000-1-32A", 0.2, [("Type 2", None, "3", 230, 32, 7.4)]),
    ("CPE250", 0.2, [("CCS2", None, "4", 500, 125, 62.5), ("CHAdeMO", None, "4", 500, 125, 62.5)]),
]
SITE_KINDS = (
    "GARAGE",
    "PLAZA",
    "CAMPUS",
    "DEPOT",
    "LIBRARY",
    "PARK & RIDE",
    "HQ",
    "MEDICAL CENTER",
)


def pick_model(rng: Random, cpn: int) -> tuple[str, list[PortSpec]]:
    models = MODELS_EU if cpn == 2 else MODELS_NA
    weights = [weight for _, weight, _ in models]
    name, _, ports = rng.choices(models, weights=weights)[0]
    return name, ports


def mac_address(rng: Random) -> str:
    groups = [f"{rng.randrange(0x10000):04X}" for _ in range(2)]
    return "000D:6F00:" + ":".join(groups)


def serial_number(rng: Random) -> str:
    return "1151" + "".join(str(rng.randrange(10)) for _ in range(8))


def hex_token(rng: Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


def jitter(rng: Random, centre: float, spread: float) -> float:
    return round(centre + rng.uniform(-spread, spread), 6)
