"""Great-circle distance and the proximity units of the station searches (guide 7.1)."""

from __future__ import annotations

import math

EARTH_RADIUS_MILES = 3958.7613
# How many of each unit make one statute mile: M miles, N nautical miles, K km, F feet, I inches.
PER_MILE = {"M": 1.0, "N": 1 / 1.150779448, "K": 1.609344, "F": 5280.0, "I": 63360.0}
DEFAULT_PROXIMITY = 5.0
DEFAULT_UNIT = "M"


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two points, in statute miles."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def distance(lat1: float, lon1: float, lat2: float, lon2: float, unit: str) -> float:
    """Great-circle distance in ``unit`` (M, N, K, F or I)."""
    return distance_miles(lat1, lon1, lat2, lon2) * PER_MILE[unit]
