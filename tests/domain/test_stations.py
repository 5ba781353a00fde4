"""Station searches as properties: paging over generated worlds, proximity in every unit."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.engine import create_schema, make_engine, make_sessionmaker
from mockcp.db.models import Organization, Station
from mockcp.domain.context import World
from mockcp.domain.paging import Page
from mockcp.domain.principal import Principal
from mockcp.domain.realm import realm_of
from mockcp.domain.stations.geo import PER_MILE
from mockcp.domain.stations.query import StationQuery
from mockcp.domain.stations.search import StationView, search_stations
from mockcp.errors import CPError
from mockcp.seed.builder import WorldBuilder
from mockcp.seed.loader import FIXTURES, load

EPOCH = datetime(2024, 3, 12, tzinfo=UTC)
# The packaged worlds, parsed once (each example changes a deep copy)
DEMO = yaml.safe_load((FIXTURES / "demo.yaml").read_text())
MINIMAL = yaml.safe_load((FIXTURES / "minimal.yaml").read_text())


@contextmanager
def world(data: dict[str, object]) -> Iterator[Session]:
    engine = make_engine("sqlite://")
    create_schema(engine)
    with make_sessionmaker(engine)() as db:
        load(db, data, EPOCH)  # type: ignore[arg-type]
        db.commit()
        yield db
    engine.dispose()


def principal_of(db: Session, index: int) -> Principal:
    orgs = db.scalars(select(Organization).order_by(Organization.id)).all()
    org = orgs[index % len(orgs)]
    return Principal(org.id, org.org_id, org.name, "key")


def _world(db: Session, principal: Principal) -> World:
    """The request-scoped world of one query (no simulation: these tests read the layout)."""
    return World(db, principal, 0, EPOCH)


def walk(
    fetch: Callable[[int], Page[StationView]], step: Callable[[int, Page[StationView]], int]
) -> list[Page[StationView]]:
    pages, start = [], 1
    while True:
        page = fetch(start)
        pages.append(page)
        if page.more_flag != 1:
            return pages
        start = step(start, page)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    per_site=st.integers(min_value=1, max_value=12),
    size=st.integers(min_value=1, max_value=600),
    who=st.integers(min_value=0, max_value=3),
)
def test_three_paging_algorithms_see_every_station_once(
    seed: int, per_site: int, size: int, who: int
) -> None:
    params = copy.deepcopy(DEMO)
    params.update(stations_per_site=per_site, drivers_per_org=1)
    with world(WorldBuilder(seed, params).build()) as db:
        principal = principal_of(db, who)
        expected = sorted(realm_of(db, principal).station_pks)

        def fetch(start: int) -> Page[StationView]:
            return search_stations(
                _world(db, principal), StationQuery(), ("getStations", start, size), simulate=False
            )

        if size > 500:
            with pytest.raises(CPError) as raised:
                fetch(1)
            assert raised.value.code is ResponseCode.PAGE_SIZE_EXCEEDED
            return
        steps: dict[str, Callable[[int, Page[StationView]], int]] = {
            "received": lambda start, page: start + len(page.rows),
            "fixed": lambda start, page: start + size,
            "last": lambda start, page: page.rows[-1][0] + 1,
        }
        for step in steps.values():
            pages = walk(fetch, step)
            assert [view.station.id for page in pages for _, view in page.rows] == expected
            numbers = [n for page in pages for n, _ in page.rows]
            assert numbers == list(range(1, len(expected) + 1))
            assert [p.more_flag for p in pages] == [1] * (len(pages) - 1) + [0]


def cosine_law_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """An independent great-circle formula (spherical law of cosines) to check against."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    cos_angle = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(
        math.radians(lon2 - lon1)
    )
    return 3958.7613 * math.acos(max(-1.0, min(1.0, cos_angle)))


offsets = st.lists(st.tuples(st.floats(-0.5, 0.5), st.floats(-0.5, 0.5)), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(
    centre=st.tuples(st.floats(-60, 60), st.floats(-170, 170)),
    points=offsets,
    radius_miles=st.floats(0.5, 40),
    unit=st.sampled_from(sorted(PER_MILE)),
)
def test_proximity_returns_exactly_the_stations_within_the_radius(
    centre: tuple[float, float], points: list[tuple[float, float]], radius_miles: float, unit: str
) -> None:
    lat0, lon0 = centre
    coords = [(lat0 + dlat, lon0 + dlon) for dlat, dlon in points]
    distances = [cosine_law_miles(lat0, lon0, lat, lon) for lat, lon in coords]
    assume(all(abs(d - radius_miles) > 1e-3 for d in distances))
    data = copy.deepcopy(MINIMAL)
    template = data["stations"][0]
    data["stations"] = [
        {
            **template,
            "station_id": f"1:{50000 + n}",
            "groups": [],
            "latitude": lat,
            "longitude": lon,
            "ports": [template["ports"][0]],
        }
        for n, (lat, lon) in enumerate(coords)
    ]
    data.update(rights=[], pricing=[], fleets=[])
    for driver in data["drivers"]:
        driver.pop("home_station", None)  # the minimal world's stations are gone
    with world(data) as db:
        principal = principal_of(db, 0)
        query = StationQuery(
            lat=repr(lat0),
            long=repr(lon0),
            proximity=radius_miles * PER_MILE[unit],
            proximity_unit=unit,
        )
        inside = {f"1:{50000 + n}" for n, d in enumerate(distances) if d <= radius_miles}
        try:
            page = search_stations(
                _world(db, principal), query, ("getStations", 1, 500), simulate=False
            )
            found = {view.station.station_id for _, view in page.rows}
        except CPError as error:
            assert error.code is ResponseCode.NO_STATION_FOUND
            found = set()
        assert found == inside
        assert db.scalar(select(Station.id).limit(1)) is not None


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    per_site=st.integers(min_value=4, max_value=14),
    who=st.integers(min_value=0, max_value=3),
)
def test_rights_pages_of_100_cover_every_entry_once(seed: int, per_site: int, who: int) -> None:
    from mockcp.domain.orgs.rights import RightsEntry, RightsQuery, station_rights

    params = copy.deepcopy(DEMO)
    params.update(stations_per_site=per_site, drivers_per_org=1)
    with world(WorldBuilder(seed, params).build()) as db:
        principal = principal_of(db, who)

        def fetch(start: int) -> Page[RightsEntry]:
            return station_rights(
                _world(db, principal), RightsQuery(StationQuery()), start, simulate=False
            )

        full = fetch(1)
        for step in (
            lambda start, page: start + len(page.rows),
            lambda start, page: start + 100,
            lambda start, page: page.rows[-1][0] + 1,
        ):
            pages = walk(fetch, step)  # type: ignore[arg-type]
            entries = [
                (e.group.id if e.group else None, e.station.id) for p in pages for _, e in p.rows
            ]
            assert len(entries) == len(set(entries))
            assert all(len(p.rows) == 100 for p in pages[:-1]) and len(pages[-1].rows) <= 100
            assert [n for p in pages for n, _ in p.rows] == list(range(1, len(entries) + 1))
        assert entries[: len(full.rows)] == [
            (e.group.id if e.group else None, e.station.id) for _, e in full.rows
        ]
        assert {station for _, station in entries} == set(realm_of(db, principal).station_pks)
