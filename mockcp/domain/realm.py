"""The rights realm of a caller: what its organisation owns and what others granted it.

Guide 7.1-7.2: a caller sees the stations its organisation owns and those another
organisation granted it rights to (on a station, or on a custom group and its subgroups),
nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.models import (
    GroupMember,
    Organization,
    RightsGrant,
    RightsProfile,
    Station,
    StationGroup,
)
from mockcp.domain.principal import Principal
from mockcp.errors import CPError

OWNER_PROFILE = "network_manager"
STATION_ID = re.compile(r"^\d+:\d+$")
ORG_ID = re.compile(r"^\d+:[A-Za-z0-9]+$")


@dataclass(frozen=True, slots=True)
class Realm:
    """Everything one caller may see, with the rights profile it holds on each group."""

    org_pk: int
    org_pks: frozenset[int]
    group_ids: frozenset[int]
    station_pks: frozenset[int]
    group_profiles: dict[int, str]
    station_profiles: dict[int, str]


def realm_of(db: Session, principal: Principal) -> Realm:
    """The caller's realm, computed from ownership and rights grants.

    Reads the caller's own groups, its grants and the subtrees of the granted groups (one
    query a level), never every group of the world (issue 18).
    """
    own = db.scalars(select(StationGroup.id).where(StationGroup.org_pk == principal.org_pk))
    profiles = dict.fromkeys(own, OWNER_PROFILE)
    grants = db.scalars(select(RightsGrant).where(RightsGrant.grantee_org_pk == principal.org_pk))
    station_pks = set(db.scalars(select(Station.id).where(Station.org_pk == principal.org_pk)))
    station_profiles = dict.fromkeys(station_pks, OWNER_PROFILE)
    for grant in grants.all():
        if grant.station_pk is not None:
            station_pks.add(grant.station_pk)
            station_profiles.setdefault(grant.station_pk, grant.profile)
        if grant.group_id is not None:
            for group_id in _subtree(db, grant.group_id):
                profiles.setdefault(group_id, grant.profile)
    members = db.execute(
        select(GroupMember.station_pk).where(GroupMember.group_id.in_(list(profiles)))
    )
    station_pks.update(pk for (pk,) in members)
    org_pks = {principal.org_pk}
    org_pks.update(db.scalars(select(StationGroup.org_pk).where(StationGroup.id.in_(profiles))))
    org_pks.update(db.scalars(select(Station.org_pk).where(Station.id.in_(station_pks))))
    return Realm(
        principal.org_pk,
        frozenset(org_pks),
        frozenset(profiles),
        frozenset(station_pks),
        profiles,
        station_profiles,
    )


def _subtree(db: Session, root: int) -> list[int]:
    """A group and every group under it, one query a level."""
    found, level = [root], [root]
    while level:
        level = list(db.scalars(select(StationGroup.id).where(StationGroup.parent_id.in_(level))))
        found.extend(level)
    return found


def check_station_id(station_id: str) -> str:
    """A well-formed ``CPNID:number`` station ID, or 152."""
    station_id = station_id.strip()
    if not STATION_ID.match(station_id):
        raise CPError(ResponseCode.STATION_ID_FORMAT)
    return station_id


def resolve_org(db: Session, realm: Realm, org_id: str) -> Organization:
    """The organisation ``org_id`` names, if the caller may see it.

    Raises: 158 malformed, 159 unknown, 178 outside the realm.
    """
    org_id = org_id.strip()
    if not ORG_ID.match(org_id):
        raise CPError(ResponseCode.ORG_ID_FORMAT)
    org = db.scalars(select(Organization).where(Organization.org_id == org_id)).first()
    if org is None:
        raise CPError(ResponseCode.INVALID_ORG_ID)
    if org.id not in realm.org_pks:
        raise CPError(ResponseCode.ORG_OUTSIDE_REALM)
    return org


def resolve_group(db: Session, realm: Realm, sg_id: int) -> StationGroup:
    """The custom group ``sg_id``, if the caller may see it.

    Raises: 121 not a positive ID, 129 unknown, 125 not the caller's (outside the realm).
    """
    if sg_id <= 0:
        raise CPError(ResponseCode.INVALID_STATION_GROUP_ID)
    group = db.get(StationGroup, sg_id)
    if group is None:
        raise CPError(ResponseCode.STATION_GROUP_NOT_IN_DATABASE)
    if group.id not in realm.group_ids:
        raise CPError(ResponseCode.OWN_STATION_GROUP_ONLY)
    return group


def may(db: Session, realm: Realm, station_pk: int, task: str) -> bool:
    """Whether the caller's rights on a station include ``task`` (own stations: all tasks)."""
    if station_pk not in realm.station_pks:
        return False
    profiles = (
        {realm.station_profiles[station_pk]} if station_pk in realm.station_profiles else set()
    )
    groups = db.scalars(select(GroupMember.group_id).where(GroupMember.station_pk == station_pk))
    profiles.update(realm.group_profiles[g] for g in groups if g in realm.group_profiles)
    if OWNER_PROFILE in profiles:
        return True
    granted = db.scalars(select(RightsProfile).where(RightsProfile.name.in_(profiles)))
    return any(name == task for profile in granted for name, *_ in profile.tasks)


def station_with_rights(db: Session, realm: Realm, station_id: str, task: str) -> Station:
    """The station ``station_id`` names, if the caller holds ``task`` on it.

    Raises: 152 malformed, 103 unknown, 131 outside the realm or without the right.
    """
    station_id = check_station_id(station_id)
    station = db.scalars(select(Station).where(Station.station_id == station_id)).first()
    if station is None:
        raise CPError(ResponseCode.STATION_NOT_IN_DATABASE)
    if not may(db, realm, station.id, task):
        raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
    return station


def members_of(db: Session, group_id: int) -> list[Station]:
    """The stations of a custom group, in station order."""
    return list(
        db.scalars(
            select(Station)
            .join(GroupMember, GroupMember.station_pk == Station.id)
            .where(GroupMember.group_id == group_id)
            .order_by(Station.id)
        )
    )
