"""Station searches over the caller's realm (guide 7.1 getStations, 7.2 getStationStatus).

A caller sees the stations its organisation owns and those granted to it; public searches
(getPublicStations, getPublicStationStatus) see every public station. Rows come in station
order, paged by ``domain.paging``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.models import GroupMember, Organization, PricingRule, Station, StationGroup
from mockcp.domain.context import World
from mockcp.domain.paging import Page, PageRequest, page_of
from mockcp.domain.realm import Realm, resolve_group, resolve_org
from mockcp.domain.sessions.pricing import PricingAsk, estimated_cost
from mockcp.domain.stations.query import (
    Gazetteer,
    StationQuery,
    station_filters,
    validate_ids,
)
from mockcp.domain.stations.rows import (
    IN_LIST_LIMIT,
    PortRow,
    StationRow,
    public_stations,
    stations_among,
)
from mockcp.domain.text import same_text
from mockcp.errors import CPError


@dataclass(frozen=True, slots=True)
class StationView:
    """A station with what its rows print: owner, visible groups, pricing."""

    station: StationRow
    org: Organization
    groups: tuple[StationGroup, ...]
    pricing: tuple[PricingRule, ...]
    costs: dict[int, float] = field(default_factory=dict)  # port pk -> estimatedCost

    def estimated_cost(self, port: PortRow) -> float:
        return self.costs.get(port.id, 0.0)


def custom_group_stations(
    world: World, query: StationQuery, paging: tuple[str, int | None, int | None]
) -> Page[StationView]:
    """getCustomGroupStations: the stations of the custom group named ``sgName`` (required).

    FIDELITY (the guide does not document the operation): a blank ``sgName``, or one that
    names no custom group the caller can see, answers 155; then as ``search_stations``.
    Raises: 194/152 station IDs; 155 no such group; the codes of ``search_stations``.
    """
    validate_ids(query)  # (a malformed station ID is named first: 194/152)
    wanted = (query.sg_name or "").strip()
    realm = world.realm
    names = world.db.scalars(select(StationGroup.name).where(StationGroup.id.in_(realm.group_ids)))
    if not wanted or not any(same_text(name, wanted) for name in names):
        raise CPError(ResponseCode.INVALID_CUSTOM_GROUP_NAME)
    return search_stations(world, query, paging)


def search_stations(
    world: World,
    query: StationQuery,
    paging: tuple[str, int | None, int | None],
    public: bool = False,
    simulate: bool = True,
) -> Page[StationView]:
    """The page of stations matching every filter of ``query`` (AND).

    ``paging`` is (operation, startRecord, numStations) under ``PAGE_LIMITS``; unless
    ``simulate`` is False the simulation is brought up to now first, so port status is live.
    Raises: 189 page over 500; 194 both stationID forms; 152 malformed station ID; 131 a
    named station outside the realm; 158/159/178 for orgID; 121/129/125 for sgID; 171 bad
    proximity unit or coordinates; 118 Address far from Lat/Long; 102 nothing found.
    """
    page = PageRequest.for_operation(*paging)
    if simulate:
        world.ensure_simulated()
    realm = world.realm
    check_references(world, validate_ids(query), public)
    index = world_index(world, public)
    matched = index.matching(query, realm, public)
    orgs, groups, memberships = index.orgs, index.groups, index.memberships
    if not matched:
        raise CPError(ResponseCode.NO_STATION_FOUND)
    cut = page_of(matched, page)
    if not cut.rows:
        raise CPError(ResponseCode.NO_STATION_FOUND)
    pricing = _kept_pricing(world, [s.id for _, s in cut.rows])
    rows = tuple(
        (number, _view(s, orgs, groups, memberships, pricing, query.pricing))
        for number, s in cut.rows
    )
    return Page(rows, cut.more)


@dataclass(frozen=True, slots=True)
class StationIndex:
    """The stations a caller may search (its realm's, or the public ones) with their owners
    and the groups it sees; the whole world's locations only when a search needs them."""

    stations: Sequence[StationRow]
    orgs: dict[int, Organization]
    groups: dict[int, StationGroup]
    memberships: dict[int, set[int]]
    gazetteer: Gazetteer

    def matching(
        self, query: StationQuery, realm: Realm, public: bool = False
    ) -> list[StationRow]:
        """The realm's (or the public) stations that pass every filter of ``query``."""
        predicates = station_filters(
            query, self.orgs, self.memberships, self.groups, self.gazetteer
        )
        return [s for s in self.stations if all(p(s) for p in predicates)]


def station_index(db: Session, realm: Realm, public: bool = False) -> StationIndex:
    """Work in proportion to the caller's stations, not to the world's (issue 18)."""
    stations = realm_stations(db, realm, public)
    pks = [s.id for s in stations]
    orgs = owners(db, stations)
    members = select(GroupMember.station_pk, GroupMember.group_id)
    if not public:
        members = members.where(GroupMember.group_id.in_(realm.group_ids))
    if len(pks) <= IN_LIST_LIMIT:
        members = members.where(GroupMember.station_pk.in_(pks))
    wanted = set(pks)
    memberships: dict[int, set[int]] = {}
    for station_pk, group_id in db.execute(members):
        if station_pk in wanted:
            memberships.setdefault(station_pk, set()).add(group_id)
    group_ids = {g for held in memberships.values() for g in held}
    named = select(StationGroup).where(StationGroup.id.in_(group_ids))
    groups = {g.id: g for g in db.scalars(named)}
    return StationIndex(stations, orgs, groups, memberships, gazetteer(db))


def world_index(world: World, public: bool = False) -> StationIndex:
    """``station_index`` of the world's caller, kept while the world's file is unchanged
    (``World.kept``)."""

    def detach(index: StationIndex) -> StationIndex:
        orgs = {pk: _plain(org) for pk, org in index.orgs.items()}
        groups = {pk: _plain(group) for pk, group in index.groups.items()}
        return replace(index, orgs=orgs, groups=groups)

    key = ("index", None if public else world.caller.org_pk)
    found = world.kept(
        key, lambda: station_index(world.db, world.realm, public), StationIndex, detach
    )
    return replace(found, gazetteer=gazetteer(world.db))  # the gazetteer reads this session


Mapped = TypeVar("Mapped", Organization, StationGroup, PricingRule)


def _plain(row: Mapped) -> Mapped:
    """A copy of the loaded columns of ``row``, attached to no session (never expires)."""
    columns = inspect(type(row)).column_attrs
    return type(row)(**{column.key: getattr(row, column.key) for column in columns})


def realm_stations(db: Session, realm: Realm, public: bool = False) -> Sequence[StationRow]:
    """The realm's (or the public) stations with their ports, in station order."""
    return public_stations(db) if public else stations_among(db, realm.station_pks)


def owners(db: Session, stations: Sequence[StationRow]) -> dict[int, Organization]:
    """Organisation pk -> organisation, for the owners of these stations."""
    statement = select(Organization).where(Organization.id.in_({s.org_pk for s in stations}))
    return {org.id: org for org in db.scalars(statement)}


def gazetteer(db: Session) -> Gazetteer:
    """Every station's location columns in station order, read on the first call only."""
    loaded: list[Sequence[Any]] = []

    def places() -> Sequence[Any]:
        if not loaded:
            columns = (Station.latitude, Station.longitude, Station.address, Station.city,
                       Station.state, Station.postal_code, Station.country)  # fmt: skip
            loaded.append(db.execute(select(*columns).order_by(Station.id)).all())
        return loaded[0]

    return places


def check_references(world: World, query: StationQuery, public: bool) -> None:
    """The orgID, sgID and station IDs a query names exist and lie in the caller's realm (the
    named stations' keys kept while the world is unchanged: ``World.kept``).

    Raises: 158/159/178 orgID; 121/129/125 sgID; 131 a named station outside the realm.
    """
    db, realm = world.db, world.realm
    if query.org_id is not None:
        resolve_org(db, realm, query.org_id)
    if query.sg_id is not None:
        try:
            sg_id = int(query.sg_id)
        except ValueError:
            raise CPError(ResponseCode.INVALID_STATION_GROUP_ID) from None
        resolve_group(db, realm, sg_id)
    named = [query.station_id] if query.station_id is not None else list(query.station_ids or ())
    if named and not public:
        statement = select(Station.id).where(Station.station_id.in_(named))
        found = world.kept(("named", tuple(named)), lambda: tuple(db.scalars(statement)), tuple)
        if any(pk not in realm.station_pks for pk in found):
            raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)


def _kept_pricing(world: World, station_pks: list[int]) -> dict[int, list[PricingRule]]:
    """``_pricing`` of a page's stations, kept while the world is unchanged (``World.kept``)."""

    def detach(found: dict[int, list[PricingRule]]) -> dict[int, list[PricingRule]]:
        return {pk: [_plain(rule) for rule in rules] for pk, rules in found.items()}

    key = ("pricing", tuple(station_pks))
    return world.kept(key, lambda: _pricing(world.db, station_pks), dict, detach)


def _pricing(db: Session, station_pks: list[int]) -> dict[int, list[PricingRule]]:
    rules: dict[int, list[PricingRule]] = {}
    statement = select(PricingRule).where(PricingRule.station_pk.in_(station_pks))
    for rule in db.scalars(statement.order_by(PricingRule.id)):
        rules.setdefault(rule.station_pk, []).append(rule)
    return rules


def _view(
    station: StationRow,
    orgs: dict[int, Organization],
    groups: dict[int, StationGroup],
    memberships: dict[int, set[int]],
    pricing: dict[int, list[PricingRule]],
    ask: PricingAsk | None,
) -> StationView:
    member_of = tuple(groups[g] for g in sorted(memberships.get(station.id, set())))
    windows = pricing.get(station.id, [])[:2]
    costs = (
        {p.id: estimated_cost(windows, ask, p.power_kw) for p in station.ports}
        if ask is not None and windows
        else {}
    )
    return StationView(station, orgs[station.org_pk], member_of, tuple(windows), costs)
