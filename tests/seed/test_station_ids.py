"""The builder's station IDs are unique in worlds of any size (issue 18: large worlds).

Site stations were numbered 30000 + 1000 * org + 50 * site + n and home stations 90000 + 100 *
org + n, so from organisation 60 a second site's stations met other organisations' home
stations and the world did not load. Organisations from 60 on now number their site
stations from 10,000,000; those below keep their numbers, so smaller worlds are unchanged.
"""

from __future__ import annotations

from typing import Any

from mockcp.seed.builder import FIRST_FAR_ORG, WorldBuilder, site_station_number

ORG = {"cpn": 1, "locale": "en_US", "metros": ["Boulder", "Denver"]}


def params(organisations: int) -> dict[str, Any]:
    return {"history_days": 0, "stations_per_site": 3, "sites_per_org": 2,
            "drivers_per_org": 0, "vehicles_per_fleet": 0,
            "organizations": [ORG] * organisations}  # fmt: skip


def test_station_ids_are_unique_past_sixty_organisations_with_two_sites() -> None:
    stations = WorldBuilder(7, params(FIRST_FAR_ORG + 12)).build()["stations"]
    ids = [s["station_id"] for s in stations]
    assert len(ids) == (FIRST_FAR_ORG + 12) * (2 * 3 + 3)
    assert len(set(ids)) == len(ids)


def test_organisations_below_sixty_keep_their_station_ids() -> None:
    for index, site, number in ((1, 1, 1), (7, 2, 12), (FIRST_FAR_ORG - 1, 3, 40)):
        assert site_station_number(index, site, number) == 30000 + index * 1000 + site * 50 + number
    small = {s["station_id"] for s in WorldBuilder(7, params(4)).build()["stations"]}
    assert "1:31051" in small and "1:34103" in small  # org 1 site 1 no. 1; org 4 site 2 no. 3
