"""Organisations and custom station groups a caller can see (guide 7.3-7.5, 7.7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.models import GroupMember, Organization, RightsProfile, Station, StationGroup
from mockcp.domain.context import World
from mockcp.domain.realm import Realm, check_station_id, resolve_group, resolve_org
from mockcp.domain.text import same_text
from mockcp.errors import CPError


@dataclass(frozen=True, slots=True)
class OrgGroupQuery:
    """getOrgsAndStationGroups filters; all optional, combined with AND."""

    org_id: str | None = None
    organization_name: str | None = None
    sg_id: int | None = None
    sg_name: str | None = None


@dataclass(frozen=True, slots=True)
class OrgGroups:
    org: Organization
    groups: tuple[StationGroup, ...]


@dataclass(frozen=True, slots=True)
class GroupStations:
    group: StationGroup
    org: Organization
    stations: tuple[Station, ...]


@dataclass(frozen=True, slots=True)
class GroupDetails:
    group: StationGroup
    children: tuple[StationGroup, ...]
    stations: tuple[Station, ...]


def _visible_groups(db: Session, realm: Realm) -> Sequence[StationGroup]:
    return db.scalars(
        select(StationGroup).where(StationGroup.id.in_(realm.group_ids)).order_by(StationGroup.id)
    ).all()


def _members(db: Session, realm: Realm, group_id: int) -> tuple[Station, ...]:
    return _members_of_groups(db, realm, [group_id])[group_id]


def _members_of_groups(
    db: Session, realm: Realm, group_ids: list[int]
) -> dict[int, tuple[Station, ...]]:
    """Each group's stations in the realm, in station order, in one query for all groups."""
    found: dict[int, list[Station]] = {group_id: [] for group_id in group_ids}
    rows = db.execute(
        select(GroupMember.group_id, Station)
        .join(GroupMember, GroupMember.station_pk == Station.id)
        .where(GroupMember.group_id.in_(group_ids), Station.id.in_(realm.station_pks))
        .order_by(GroupMember.group_id, Station.id)
    )
    for group_id, station in rows:
        found[group_id].append(station)
    return {group_id: tuple(stations) for group_id, stations in found.items()}


def orgs_and_groups(world: World, query: OrgGroupQuery) -> list[OrgGroups]:
    """Organisations in the realm with their visible groups (guide 7.5).

    Raises: 158/159/178 for a bad orgID, 121/129/125 for a bad sgID, 156 when no group matches.
    """
    db = world.db
    realm = world.realm
    orgs = db.scalars(
        select(Organization).where(Organization.id.in_(realm.org_pks)).order_by(Organization.id)
    ).all()
    if query.org_id is not None:
        orgs = [resolve_org(db, realm, query.org_id)]
    if query.organization_name is not None:
        orgs = [org for org in orgs if same_text(org.name, query.organization_name)]
        if not orgs:
            raise CPError(ResponseCode.INVALID_ORGANIZATION_DETAILS)
    groups = list(_visible_groups(db, realm))
    if query.sg_id is not None:
        groups = [resolve_group(db, realm, query.sg_id)]
    if query.sg_name is not None:
        groups = [g for g in groups if same_text(g.name, query.sg_name)]
    result = [OrgGroups(org, tuple(g for g in groups if g.org_pk == org.id)) for org in orgs]
    if query.sg_id is not None or query.sg_name is not None:
        result = [entry for entry in result if entry.groups]
    if not result or not any(entry.groups for entry in result):
        raise CPError(ResponseCode.NO_CUSTOM_GROUPS)
    return result


def groups_of_org(world: World, org_id: str) -> list[GroupStations]:
    """The visible custom groups of one organisation, each with its stations (guide 7.3).

    Raises: 158 malformed orgID, 159 unknown, 178 outside the realm, 156 no groups.
    """
    db = world.db
    realm = world.realm
    org = resolve_org(db, realm, org_id)
    groups = [g for g in _visible_groups(db, realm) if g.org_pk == org.id]
    if not groups:
        raise CPError(ResponseCode.NO_CUSTOM_GROUPS)
    members = _members_of_groups(db, realm, [g.id for g in groups])  # not a query per group
    return [GroupStations(g, org, members[g.id]) for g in groups]


def group_details(
    world: World, sg_id: int, station_id: str | None
) -> GroupDetails:
    """A group's immediate child groups and stations (guide 7.4).

    Raises: 121/129/125 for the group; 152 malformed stationID; 119 unknown station;
    122 station not in the group.
    """
    db = world.db
    realm = world.realm
    group = resolve_group(db, realm, sg_id)
    children = tuple(g for g in _visible_groups(db, realm) if g.parent_id == group.id)
    stations = _members(db, realm, group.id)
    if station_id is not None:
        wanted = check_station_id(station_id)
        if db.scalar(select(Station.id).where(Station.station_id == wanted)) is None:
            raise CPError(ResponseCode.INVALID_STATION_ID)
        stations = tuple(s for s in stations if s.station_id == wanted)
        if not stations:
            raise CPError(ResponseCode.NO_STATION_IN_GROUP)
    return GroupDetails(group, children, stations)


def rights_profile_tasks(
    world: World, sg_id: int, profile: str | None
) -> list[tuple[str, str]]:
    """The (task, description) list of the rights profile the caller holds on a group (7.7).

    Raises: 121/129/125 for the group; 167 when ``profile`` is not the one held there.
    """
    db = world.db
    realm = world.realm
    group = resolve_group(db, realm, sg_id)
    held = realm.group_profiles[group.id]
    if profile is not None and profile.strip() != held:
        raise CPError(ResponseCode.INVALID_RIGHTS_PROFILE)
    row = db.get(RightsProfile, held)
    return [] if row is None else [(task, text) for task, text in row.tasks]
