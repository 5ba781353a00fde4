"""The demo world's home-program stations and Waitlist stations (issue 11).

Guide 9.1.3: "homeStationDetails: If the organization is classified as a home program,
this complex type will contain details about a home station that is associated with
the driver account" (the sample's is a CPH25). Each demo organisation has three
ChargePoint Home units at residential addresses, owned by its drivers 4, 8 and 12;
the first station of each organisation's first site runs a Waitlist (guide 9.3
setWaitlistDone), Mode I for odd organisations and Mode II for even ones.
"""

from __future__ import annotations

from typing import Any

from faker import Faker

from mockcp.rng import for_entity
from mockcp.seed.providers import METROS, jitter, mac_address, serial_number

HOME_STATIONS = 3  # home-program stations per organisation
HOME_EVERY = 4  # drivers 4, 8, 12 of an organisation own them


def home_station(
    seed: int, fake: Faker, index: int, spec: dict[str, Any], org_id: str, number: int
) -> dict[str, Any]:
    """A CPH50 at the driver's home (one J1772 port, 40 A at 240 V)."""
    rng = for_entity(seed, "home-station", index, number)
    metro = METROS[spec["metros"][number % len(spec["metros"])]]
    cpn = spec["cpn"]
    return {
        "station_id": f"{cpn}:{90000 + index * 100 + number}",
        "org": org_id,
        "groups": [],
        "name": f"HOME / {fake.last_name().upper()} RESIDENCE",
        "model": "CPH50",
        "serial_number": serial_number(rng),
        "mac_address": mac_address(rng),
        "address": f"{fake.building_number()} {fake.street_name()}",
        "city": metro.city,
        "state": metro.state,
        "country": metro.country,
        "postal_code": fake.postcode(),
        "latitude": jitter(rng, metro.latitude, 0.08),
        "longitude": jitter(rng, metro.longitude, 0.08),
        "timezone_name": metro.timezone,
        "timezone_offset": metro.offset,
        "currency_code": "EUR" if cpn == 2 else ("CAD" if cpn == 4 else "USD"),
        "site_type": "home",
        "is_public": False,
        "warranty_service": "Parts Only",
        "site_validated": False,
        "reception": rng.randint(-80, -45),  # Wi-Fi RSSI (guide 7.1.4: home units)
        "ports": [
            {
                "port_number": 1,
                "connector": "J1772",
                "level": None if cpn == 2 else "L2",  # guide 7.1.3: EU ports carry Mode
                "mode": "3" if cpn == 2 else None,
                "voltage": 240,
                "current": 40,
                "power_kw": 9.6,
            }
        ],
    }


def waitlist(index: int, site: int, number: int) -> dict[str, Any]:
    """Waitlist settings of a station: on for one station per organisation."""
    if site != 1 or number != 1:
        return {}
    return {"waitlist_enabled": True, "waitlist_mode": "I" if index % 2 else "II"}
