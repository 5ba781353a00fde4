"""getStations values in the guide's vocabulary (guide 7.1.3-7.1.5).

- ``mainPhone`` is "ChargePoint network driver support telephone number" (7.1.3): the
  number ChargePoint publishes for drivers, the same on every station;
- ``warrantyService`` is one of the names of the 7.1.5 chart; the ones that need a
  validated site (Parts and Labor, Mission Critical) come with ``siteValidated`` and
  its date, "Parts Only" also covers an Assure station whose site is not validated yet;
- ``stationReception`` is in dBm (7.1.4): RSRP of the LTE modem of a gateway (CT4000
  "-GW" models, CPGW, DC fast units), RSSI of Wi-Fi for every other model;
  ``wanIpAddress`` is printed for the stations with a modem, ``radioGroupID`` (an
  integer) for stations sharing a gateway's radio group.
"""

from __future__ import annotations

DRIVER_SUPPORT_PHONE = "1-888-758-4389"

WARRANTY_SERVICES = (
    "None",
    "Parts Only",
    "Parts and Labor",
    "Mission Critical",
    "Remote Support Standard",
    "Remote Support Critical",
    "Remote Support and EPW Standard",
    "Remote Support and EPW Critical",
)
# "active Assure warranty with the site validated" (7.1.5)
NEEDS_VALIDATED_SITE = frozenset({"Parts and Labor", "Mission Critical"})

# 7.1.4 signal ranges (dBm, a more positive number is a stronger signal).
LTE_RSRP = (-120, -70)
WIFI_RSSI = (-90, -40)


def has_modem(model: str) -> bool:
    """A gateway, CPGW or DC fast unit: a cellular modem (7.1.4)."""
    upper = model.upper()
    return upper.endswith("-GW") or upper.startswith(("CPGW", "CPE"))


def pricing_type(per_kwh: float | None, per_hour: float | None) -> str:
    """7.1.3 "Pricing type (Session, Hourly or kWh)": what the window mainly charges for."""
    if per_kwh:
        return "kWh"
    if per_hour:
        return "Hourly"
    return "Session"
