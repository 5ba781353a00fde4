"""The seeded world builder: a realistic fleet as a fixture mapping, same seed same bytes.

Faker is seeded per entity (``rng.derive_seed``) and never globally, so adding an
organisation or a station does not change any other entity.
"""

from __future__ import annotations

from typing import Any

from faker import Faker

from mockcp.domain.stations.facts import (
    LTE_RSRP,
    NEEDS_VALIDATED_SITE,
    WARRANTY_SERVICES,
    WIFI_RSSI,
    has_modem,
)
from mockcp.rng import Random, derive_seed, for_entity
from mockcp.seed.home import HOME_EVERY, HOME_STATIONS, home_station, waitlist
from mockcp.seed.providers import (
    METROS,
    SITE_KINDS,
    hex_token,
    jitter,
    mac_address,
    pick_model,
    serial_number,
)
from mockcp.sim.model import vehicles as catalogue
from mockcp.sim.model.ids import seeded_vehicle_id

CPN_INSTANCES = [
    {"id": 1, "name": "USA", "description": "ChargePoint North America"},
    {"id": 2, "name": "EU", "description": "ChargePoint Europe"},
    {"id": 3, "name": "AU", "description": "ChargePoint Australia"},
    {"id": 4, "name": "CA", "description": "ChargePoint Canada"},
]
PROFILES = {
    "network_manager": [
        ["view_station", "View station details and status"],
        ["manage_load", "Shed and restore load"],
        ["view_sessions", "View charging sessions"],
        ["manage_drivers", "Approve and remove drivers"],
    ],
    "station_manager": [
        ["view_station", "View station details and status"],
        ["view_sessions", "View charging sessions"],
    ],
}
# Telematics providers a fleet may integrate (the guide's sample 10.4.5 names FleetCarma).
TELEMATICS = ("FleetCarma", "Geotab", "Samsara")


def station_facts(rng: Random, model: str) -> dict[str, Any]:
    """Warranty, site validation, reception and network identity in the guide's terms
    (7.1.3-7.1.5, domain/stations/facts.py), drawn from the station's own generator."""
    warranty = rng.choices(WARRANTY_SERVICES, weights=[10, 30, 25, 5, 10, 5, 10, 5])[0]
    validated = warranty in NEEDS_VALIDATED_SITE or (warranty != "None" and rng.random() < 0.5)
    low, high = LTE_RSRP if has_modem(model) else WIFI_RSSI
    return {
        "warranty_service": warranty,
        "site_validated": None if warranty == "None" else validated,
        "site_validation_day": rng.randint(30, 700) if validated else None,
        "reception": rng.randint(low, high),
        "wan_ip": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"
        if has_modem(model)
        else None,
        "radio_group_id": str(rng.randint(1, 400)) if model.startswith("CT40") else None,
    }



# Site stations are numbered 30000 + 1000 * org + 50 * site + n, home stations 90000 + 100 * org
# + n (seed/home.py). From organisation 60 on the first formula reaches the homes' range (site
# 2, station k of org i would be home station k of org 10i - 599), so those organisations'
# site stations are numbered from 10,000,000 instead, past any home station of a world under
# 99,100 organisations. Organisations 1-59 keep their numbers, so every world of fewer than 60
# organisations (the packaged ones among them) keeps its station IDs.
FIRST_FAR_ORG = 60
FAR_SITES = 10_000_000


def site_station_number(index: int, site: int, number: int) -> int:
    """The number of station ``number`` of site ``site`` of organisation ``index``."""
    base = 30000 if index < FIRST_FAR_ORG else FAR_SITES
    return base + index * 1000 + site * 50 + number

class WorldBuilder:
    """Builds the fixture mapping of a seeded world from builder parameters."""

    def __init__(self, root_seed: int, params: dict[str, Any]) -> None:
        self.seed = root_seed
        self.params = params
        self._fakers: dict[str, Faker] = {}
        self.depots: dict[int, int] = {}  # org index -> the group of its first depot site
        self.homes: dict[int, list[str]] = {}  # org index -> its home-program stations
        self.world: dict[str, Any] = {
            "cpn_instances": CPN_INSTANCES,
            "rights_profiles": PROFILES,
            **{
                key: []
                for key in (
                    "organizations",
                    "groups",
                    "stations",
                    "rights",
                    "pricing",
                    "drivers",
                    "fleets",
                )
            },
        }

    def faker(self, locale: str, *parts: object) -> Faker:
        fake = self._fakers.get(locale)
        if fake is None:
            fake = self._fakers[locale] = Faker(locale)
        fake.seed_instance(derive_seed(self.seed, *parts))
        return fake

    def build(self) -> dict[str, Any]:
        self.world["history_days"] = self.params.get("history_days", 7)
        orgs = self.params["organizations"]
        for index, spec in enumerate(orgs, start=1):
            self._organization(index, spec)
        for index in range(1, len(orgs) + 1):
            grantee = f"{orgs[index % len(orgs)]['cpn']}:ORG{(index % len(orgs)) + 1:05d}"
            self.world["rights"].append(
                {
                    "grantee": grantee,
                    "group": index * 1000 + 1,
                    "profile": "network_manager",
                }
            )
        return self.world

    def _organization(self, index: int, spec: dict[str, Any]) -> None:
        fake = self.faker(spec["locale"], "org", index)
        rng = for_entity(self.seed, "org", index)
        org_id = f"{spec['cpn']}:ORG{index:05d}"
        name = fake.company().replace(",", "")
        self.world["organizations"].append(
            {
                "org_id": org_id,
                "name": name,
                "company_id": str(40000 + index),
                "cpn_id": spec["cpn"],
                "main_phone": fake.phone_number(),
                "currency_code": "EUR"
                if spec["cpn"] == 2
                else ("CAD" if spec["cpn"] == 4 else "USD"),
                "license_key": hex_token(rng, 55),
                "password": hex_token(rng, 32),
            }
        )
        top = index * 1000
        self.world["groups"].append({"id": top, "org": org_id, "name": f"{name} - All Sites"})
        for site in range(1, self.params["sites_per_org"] + 1):
            self._site(index, spec, org_id, name, top, site)
        homes = [
            home_station(
                self.seed, self.faker(spec["locale"], "home", index, n), index, spec, org_id, n
            )
            for n in range(1, HOME_STATIONS + 1)
        ]  # a home program's stations (seed/home.py), whatever the number of drivers
        self.world["stations"].extend(homes)
        self.homes[index] = [home["station_id"] for home in homes]
        for number in range(1, self.params["drivers_per_org"] + 1):
            self._driver(index, spec, org_id, number)
        self._fleet(index, spec, org_id, self.depots.get(index))

    def _site(
        self,
        index: int,
        spec: dict[str, Any],
        org_id: str,
        org_name: str,
        top: int,
        site: int,
    ) -> None:
        fake = self.faker(spec["locale"], "site", index, site)
        rng = for_entity(self.seed, "site", index, site)
        metro = METROS[spec["metros"][(site - 1) % len(spec["metros"])]]
        kind = rng.choice(SITE_KINDS)
        group_id = top + site
        if kind == "DEPOT":
            self.depots.setdefault(index, group_id)
        self.world["groups"].append(
            {
                "id": group_id,
                "org": org_id,
                "name": f"{org_name} - {metro.city} {kind.title()}",
                "parent": top,
            }
        )
        sub_id = top + 100 + site
        self.world["groups"].append(
            {
                "id": sub_id,
                "org": org_id,
                "name": f"{metro.city} {kind.title()} - Visitor Bays",
                "parent": group_id,
            }
        )
        centre = (jitter(rng, metro.latitude, 0.05), jitter(rng, metro.longitude, 0.05))
        street = f"{fake.building_number()} {fake.street_name()}"
        postal = fake.postcode()
        for number in range(1, self.params["stations_per_site"] + 1):
            groups = [top, group_id] + ([sub_id] if number % 3 == 0 else [])
            self._station(
                index,
                spec,
                org_id,
                org_name,
                site,
                number,
                groups,
                metro,
                kind,
                centre,
                street,
                postal,
            )

    def _station(
        self,
        index: int,
        spec: dict[str, Any],
        org_id: str,
        org_name: str,
        site: int,
        number: int,
        groups: list[int],
        metro: Any,
        kind: str,
        centre: tuple[float, float],
        street: str,
        postal: str,
    ) -> None:
        rng = for_entity(self.seed, "station", index, site, number)
        model, ports = pick_model(rng, spec["cpn"])
        serial = len(self.world["stations"]) + 1
        station_id = f"{spec['cpn']}:{site_station_number(index, site, number)}"
        lat, lon = jitter(rng, centre[0], 0.0008), jitter(rng, centre[1], 0.0008)
        self.world["stations"].append(
            {
                "station_id": station_id,
                "org": org_id,
                "groups": groups,
                "name": f"{org_name.upper()[:24].strip()} / {kind} {site} -{serial:03d}",
                "model": model,
                "serial_number": serial_number(rng),
                "mac_address": mac_address(rng),
                "address": street,
                "city": metro.city,
                "state": metro.state,
                "country": metro.country,
                "postal_code": postal,
                "latitude": lat,
                "longitude": lon,
                "timezone_name": metro.timezone,
                "timezone_offset": metro.offset,
                "currency_code": "EUR"
                if spec["cpn"] == 2
                else ("CAD" if spec["cpn"] == 4 else "USD"),
                "site_type": "workplace"
                if kind in {"CAMPUS", "HQ"}
                else ("fleet" if kind == "DEPOT" else "public"),
                "power_share": len(ports) == 2 and rng.random() < 0.3,
                "panel_sharing": rng.random() < 0.05,
                "supports_port_shed": not model.startswith("CPE"),
                **station_facts(for_entity(self.seed, "station-facts", station_id), model),
                **waitlist(index, site, number),
                "ports": [
                    {
                        "port_number": n,
                        "connector": c,
                        "level": level,
                        "mode": mode,
                        "voltage": v,
                        "current": a,
                        "power_kw": kw,
                        "reservable": rng.random() < 0.2,
                    }
                    for n, (c, level, mode, v, a, kw) in enumerate(ports, start=1)
                ],
            }
        )
        if rng.random() < 0.6:
            standard = {
                "station": station_id,
                "name": "Standard",
                "per_session": round(rng.choice([0.0, 0.5, 1.0]), 2),
                "per_kwh": round(rng.uniform(0.12, 0.45), 2),
            }
            shape = for_entity(self.seed, "pricing", index, site, number)
            self.world["pricing"].extend(pricing_policy(shape, standard))

    def _driver(self, index: int, spec: dict[str, Any], org_id: str, number: int) -> None:
        fake = self.faker(spec["locale"], "driver", index, number)
        rng = for_entity(self.seed, "driver", index, number)
        first, last = fake.first_name(), fake.last_name()
        status = rng.choices(
            ["APPROVED", "PENDING", "REJECTED", "NOT CONNECTED"],
            weights=[70, 15, 5, 10],
        )[0]
        self.world["drivers"].append(
            {
                "user_id": str(600000 + index * 1000 + number),
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}{number}@example.com".lower().replace(" ", ""),
                "connections": [
                    {
                        "org": org_id,
                        "status": status,
                        "custom_info": {"Employee ID": str(rng.randint(1000, 9999))},
                    }
                ],
                "realms": [
                    {
                        "org": org_id,
                        "status": "APPROVED" if rng.random() < 0.6 else "NOT MANAGED",
                    }
                ],
                "cards": [f"CNCP{index:03d}{number:07d}"],
                **self._home(index, org_id, number),
            }
        )

    def _home(self, index: int, org_id: str, number: int) -> dict[str, Any]:
        """Drivers 4, 8 and 12 of an organisation own one of its home stations."""
        homes = self.homes.get(index, [])
        slot = number // HOME_EVERY - 1
        if number % HOME_EVERY or slot >= len(homes):
            return {}
        return {"home_station": homes[slot]}

    def _fleet(self, index: int, spec: dict[str, Any], org_id: str, depot: int | None) -> None:
        rng = for_entity(self.seed, "fleet", index)
        # Guide 10.4.3 telematicsProvider/Status: some fleets integrate one (their own draw,
        # so the vehicles' other values stay as they were).
        telematics = for_entity(self.seed, "telematics", index)
        provider = telematics.choice(TELEMATICS) if telematics.random() < 0.5 else None
        vehicles = []
        for number in range(1, self.params["vehicles_per_fleet"] + 1):
            make, model = rng.choice(catalogue.FLEET_MODELS)
            vehicles.append(
                {
                    # numeric after the CPN prefix, as every guide sample prints it (1:7890)
                    "fleet_vehicle_id": seeded_vehicle_id(index, number),
                    "vehicle_id": f"UNIT-{number:02d}",
                    "vin": "".join(
                        rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(17)
                    ),
                    "license_plate": (
                        f"{rng.choice('ABCDEFGH')}{rng.choice('JKLMNP')}{rng.randint(100, 999)}"
                    ),
                    "make": make,
                    "model": model,
                    "year": (year := rng.randint(2019, 2024)),
                    "battery_kwh": catalogue.spec(make, model, year).battery_kwh,
                    "onboard_charger_kw": catalogue.spec(make, model, year).ac_kw,
                    "cards": [f"CPFL{index:03d}{number:07d}"],
                    "telematics_provider": provider,
                    "telematics_status": None
                    if provider is None
                    else ("Connected" if telematics.random() < 0.9 else "Not Connected"),
                }
            )
        self.world["fleets"].append(
            {
                "org": org_id,
                "name": f"Fleet {index}",
                "depot_group": depot,
                "vehicles": vehicles,
            }
        )


def pricing_policy(rng: Random, standard: dict[str, Any]) -> list[dict[str, Any]]:
    """A station's pricing windows in one of the shapes owners use (domain notes 5.4): a
    flat session + kWh price, time of use (an evening peak and an off-peak window), hourly
    parking-meter pricing with a first-hours rate, or kWh with an idle fee and a cap."""
    station, kwh = standard["station"], standard["per_kwh"]
    shape = rng.choices(["standard", "tou", "hourly", "idle"], weights=[45, 20, 15, 20])[0]
    if shape == "tou":
        peak = round(kwh * rng.uniform(1.4, 1.8), 2)
        return [
            {"station": station, "name": "Peak 4-9 pm", "start_time": "16:00:00",
             "end_time": "20:59:59", "per_kwh": peak},
            {"station": station, "name": "Off-peak", "start_time": "21:00:00",
             "end_time": "15:59:59", "per_kwh": kwh},
        ]
    if shape == "hourly":
        first = round(rng.choice([1.0, 1.5, 2.0]), 2)
        return [
            {"station": station, "name": "Hourly", "per_hour": first, "initial_duration_min": 120,
             "per_hour_thereafter": round(first * 2, 2), "min_price": 1.0},
        ]
    if shape == "idle":
        return [
            {"station": station, "name": "Energy + idle fee", "per_kwh": kwh,
             "idle_fee_per_hour": round(rng.choice([4.0, 6.0, 10.0]), 2), "max_price": 40.0},
        ]
    return [standard]
