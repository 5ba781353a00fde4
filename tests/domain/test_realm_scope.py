"""Work in proportion to the caller's realm (issue 18): the scoped reads answer as the world did.

``realm_of`` walks only the granted subtrees, and ``station_index`` reads only the realm's (or
the public) stations, their owners, memberships and groups; the whole world's locations are
read only by a search that geocodes a location text. Each is compared here with the
straightforward computation over the whole world (the path they replaced), on a world of five
organisations with nested groups, under random extra grants (station and group grants, to any
group of any depth).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.db.models import GroupMember, Organization, RightsGrant, Station, StationGroup
from mockcp.domain.principal import Principal
from mockcp.domain.realm import OWNER_PROFILE, Realm, realm_of
from mockcp.domain.stations.query import StationQuery, station_filters
from mockcp.domain.stations.search import StationIndex, station_index
from mockcp.seed.builder import WorldBuilder
from tests.domain.test_station_rows import as_row
from tests.domain.test_stations import world

PARAMS: dict[str, Any] = {
    "history_days": 1,
    "stations_per_site": 4,
    "sites_per_org": 2,
    "drivers_per_org": 1,
    "vehicles_per_fleet": 1,
    "organizations": [
        {"cpn": 1, "locale": "en_US", "metros": ["Boulder", "Denver"]},
        {"cpn": 1, "locale": "en_US", "metros": ["Seattle", "Austin"]},
        {"cpn": 2, "locale": "nl_NL", "metros": ["Amsterdam", "Utrecht"]},
        {"cpn": 4, "locale": "en_CA", "metros": ["Vancouver", "Toronto"]},
        {"cpn": 1, "locale": "en_US", "metros": ["Boulder", "Seattle"]},
    ],
}


@pytest.fixture(scope="module")
def db() -> Iterator[Session]:
    with world(WorldBuilder(7, PARAMS).build()) as session:
        yield session


def principals(db: Session) -> list[Principal]:
    orgs = db.scalars(select(Organization).order_by(Organization.id)).all()
    return [Principal(org.id, org.org_id, org.name, "key") for org in orgs]


def realm_over_the_world(db: Session, principal: Principal) -> Realm:
    """The realm as computed before issue 18: from every group of the world."""
    groups = {g.id: g for g in db.scalars(select(StationGroup))}
    children: dict[int, list[int]] = {}
    for group in groups.values():
        if group.parent_id is not None:
            children.setdefault(group.parent_id, []).append(group.id)
    profiles = {g.id: OWNER_PROFILE for g in groups.values() if g.org_pk == principal.org_pk}
    station_pks = set(db.scalars(select(Station.id).where(Station.org_pk == principal.org_pk)))
    station_profiles = dict.fromkeys(station_pks, OWNER_PROFILE)
    grants = select(RightsGrant).where(RightsGrant.grantee_org_pk == principal.org_pk)
    for grant in db.scalars(grants):
        if grant.station_pk is not None:
            station_pks.add(grant.station_pk)
            station_profiles.setdefault(grant.station_pk, grant.profile)
        if grant.group_id is not None:
            stack = [grant.group_id]
            while stack:
                group_id = stack.pop()
                profiles.setdefault(group_id, grant.profile)
                stack.extend(children.get(group_id, []))
    members = select(GroupMember.station_pk).where(GroupMember.group_id.in_(list(profiles)))
    station_pks.update(db.scalars(members))
    org_pks = {principal.org_pk, *(groups[g].org_pk for g in profiles)}
    org_pks.update(s.org_pk for s in db.scalars(select(Station)) if s.id in station_pks)
    return Realm(principal.org_pk, frozenset(org_pks), frozenset(profiles),
                 frozenset(station_pks), profiles, station_profiles)  # fmt: skip


def index_over_the_world(db: Session, realm: Realm, public: bool) -> StationIndex:
    """The station index as built before issue 18: every station, organisation and group."""
    every = db.scalars(select(Station).order_by(Station.id)).all()
    orgs = {org.id: org for org in db.scalars(select(Organization))}
    groups = {
        g.id: g for g in db.scalars(select(StationGroup)) if public or g.id in realm.group_ids
    }
    memberships: dict[int, set[int]] = {}
    for member in db.scalars(select(GroupMember)):
        if member.group_id in groups:
            memberships.setdefault(member.station_pk, set()).add(member.group_id)
    candidates = [s for s in every if (s.is_public if public else s.id in realm.station_pks)]

    def places() -> Sequence[Station]:
        return every

    return StationIndex(candidates, orgs, groups, memberships, places)


Grant = tuple[int, int, bool, str]  # (grantee index, target index, on a group?, profile)
GRANTS = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.integers(0, 10**6),
        st.booleans(),
        st.sampled_from(["network_manager", "station_manager"]),
    ),
    max_size=6,
)


def add_grants(db: Session, grants: list[Grant]) -> None:
    orgs = principals(db)
    group_ids = db.scalars(select(StationGroup.id).order_by(StationGroup.id)).all()
    station_pks = db.scalars(select(Station.id).order_by(Station.id)).all()
    for grantee, target, on_group, profile in grants:
        org_pk = orgs[grantee].org_pk
        if on_group:
            group_id = group_ids[target % len(group_ids)]
            db.add(RightsGrant(grantee_org_pk=org_pk, group_id=group_id, profile=profile))
        else:
            station_pk = station_pks[target % len(station_pks)]
            db.add(RightsGrant(grantee_org_pk=org_pk, station_pk=station_pk, profile=profile))
    db.flush()


@settings(max_examples=25, deadline=None)
@given(grants=GRANTS)
def test_realm_of_reads_the_subtrees_as_the_whole_world_did(
    db: Session, grants: list[Grant]
) -> None:
    try:
        add_grants(db, grants)
        for principal in principals(db):
            assert realm_of(db, principal) == realm_over_the_world(db, principal)
    finally:
        db.rollback()


QUERIES = [
    StationQuery(),
    StationQuery(city="Boulder"),
    StationQuery(city="Boulder", proximity=3.0),
    StationQuery(state="Colorado", proximity=40.0),
    StationQuery(address="Denver"),
    StationQuery(lat="40.015", long="-105.27", proximity=10.0),
    StationQuery(lat="40.015", long="-105.27", address="Denver", proximity=30.0),
    StationQuery(name="*"),
    StationQuery(name="%home%"),
    StationQuery(level="L2"),
    StationQuery(sg_name="x"),
    StationQuery(country="Canada", proximity=100.0),
]


@settings(max_examples=10, deadline=None)
@given(grants=GRANTS)
def test_station_index_matches_as_the_whole_world_did(db: Session, grants: list[Grant]) -> None:
    try:
        add_grants(db, grants)
        groups = db.scalars(select(StationGroup).order_by(StationGroup.id)).all()
        queries = [*QUERIES, *(StationQuery(sg_name=g.name) for g in groups[::5])]
        queries += [StationQuery(sg_id=str(g.id)) for g in groups[::7]]
        for principal in principals(db):
            realm = realm_of(db, principal)
            for public in (False, True):
                scoped = station_index(db, realm, public)
                whole = index_over_the_world(db, realm, public)
                for query in queries:
                    found = scoped.matching(query, realm, public)
                    expected = [as_row(s) for s in whole.matching(query, realm, public)]
                    assert found == expected, query
                    for station in found:
                        assert scoped.orgs[station.org_pk] is whole.orgs[station.org_pk]
                        member_of = scoped.memberships.get(station.id, set())
                        assert member_of == whole.memberships.get(station.id, set())
                        assert all(scoped.groups[g] is whole.groups[g] for g in member_of)
    finally:
        db.rollback()


def test_the_world_is_located_only_for_searches_that_geocode(db: Session) -> None:
    """A search without a location text to geocode never reads the whole world's stations."""
    realm = realm_of(db, principals(db)[0])
    index = station_index(db, realm)
    calls: list[int] = []

    def counted() -> Sequence[Any]:
        calls.append(1)
        return index.gazetteer()

    watched = StationIndex(index.stations, index.orgs, index.groups, index.memberships, counted)
    for query in (StationQuery(), StationQuery(city="Boulder"), StationQuery(name="*"),
                  StationQuery(lat="40.015", long="-105.27", proximity=10.0)):  # fmt: skip
        assert watched.matching(query, realm) == index.matching(query, realm)
    assert calls == []
    assert watched.matching(StationQuery(city="Boulder", proximity=3.0), realm)
    assert calls == [1]
    assert len(index.stations) == len(realm.station_pks) < len(index.gazetteer())


def test_station_filters_accept_the_located_columns_alone() -> None:
    """``locate`` reads only the location columns a gazetteer row carries."""
    row = type("Place", (), {"latitude": 40.0, "longitude": -105.0, "address": "1 Main St",
                             "city": "Boulder", "state": "Colorado", "postal_code": "80301",
                             "country": "United States"})()  # fmt: skip
    predicates = station_filters(StationQuery(city="boulder", proximity=1.0), {}, {}, {},
                                 lambda: [row])  # fmt: skip
    assert len(predicates) == 1  # the city is the centre, not a text filter
    near = type("S", (), {"latitude": 40.001, "longitude": -105.0, "ports": []})()
    far = type("S", (), {"latitude": 41.0, "longitude": -105.0, "ports": []})()
    assert predicates[0](near) and not predicates[0](far)  # type: ignore[arg-type]
