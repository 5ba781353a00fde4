"""The savings columns ChargePoint derives from a session's energy (domain.md 2).

The one copy of the factors: getFleetUsageData's ``gasolineSavings``/``ghgSavings`` and the
realism export both use them. Boulder's exports (2018-01 to 2021-02) hold
gasoline = 0.1255 gal/kWh and GHG = 0.42 kg/kWh, switching to about 0.71 kg/kWh for
sessions from 2021-02-01 (domain.md 2: "0.42 -> 0.71 at 2021-02-01"; the median ratio of
the February 2021 rows is 0.7099). Both are rounded to 3 decimals.
"""

from __future__ import annotations

from datetime import datetime

GASOLINE_GAL_PER_KWH = 0.1255
GHG_KG_PER_KWH_BEFORE = 0.42
GHG_KG_PER_KWH_FROM = 0.7099
GHG_SWITCH = datetime(2021, 2, 1)  # naive UTC: sessions starting from then use the new factor


def ghg_kg_per_kwh(start: datetime) -> float:
    """The GHG factor of a session that started at ``start`` (UTC, aware or naive)."""
    before = start.replace(tzinfo=None) < GHG_SWITCH
    return GHG_KG_PER_KWH_BEFORE if before else GHG_KG_PER_KWH_FROM


def gasoline_gallons(energy_kwh: float) -> float:
    return round(GASOLINE_GAL_PER_KWH * energy_kwh, 3)


def ghg_kg(energy_kwh: float, start: datetime) -> float:
    return round(ghg_kg_per_kwh(start) * energy_kwh, 3)
