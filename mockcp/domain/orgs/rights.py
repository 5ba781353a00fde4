"""getStationRights (guide 7.6): the rights the caller holds, per group and station.

One entry per (custom group, station) the caller can see, with the rights profile held on
the group; stations granted or owned outside any visible group come last, without a group.
Paged 100 entries a call; consecutive entries of one group form one ``rightsData``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from mockcp.codes import ResponseCode
from mockcp.db.models import Organization, StationGroup
from mockcp.domain.context import World
from mockcp.domain.paging import Page, PageRequest, page_of
from mockcp.domain.realm import Realm
from mockcp.domain.stations.query import StationQuery, port_status, station_filters, validate_ids
from mockcp.domain.stations.rows import StationRow
from mockcp.domain.stations.search import StationIndex, check_references, world_index
from mockcp.domain.text import has_text, same_text
from mockcp.errors import CPError


@dataclass(frozen=True, slots=True)
class RightsQuery:
    """The station filters plus the rights-only ones of stationRightsSearchRequest."""

    stations: StationQuery
    provisioned_from: date | None = None
    provisioned_to: date | None = None
    current_fault: str | None = None
    port_status: str | None = None
    admin_status: str | None = None
    network_status: str | None = None
    provision_status: str | None = None


@dataclass(frozen=True, slots=True)
class RightsEntry:
    group: StationGroup | None
    profile: str
    station: StationRow
    org: Organization


def station_rights(
    world: World, query: RightsQuery, start_record: int | None, simulate: bool = True
) -> Page[RightsEntry]:
    """The page of (group, profile, station) entries matching the query.

    Raises: 152 malformed station ID; 171 bad proximity or coordinates; 102 nothing found.
    """
    page = PageRequest.for_operation("getStationRights", start_record, None)
    if simulate:
        world.ensure_simulated()
    realm = world.realm
    check_references(world, validate_ids(query.stations), False)
    index = world_index(world)  # the caller's stations, owners, groups (kept: domain/kept.py)
    entries = [e for e in _entries(index, realm) if _group_ok(e, query.stations)]
    by_station = replace(query.stations, sg_id=None, sg_name=None)
    orgs = {e.org.id: e.org for e in entries}
    groups = {e.group.id: e.group for e in entries if e.group is not None}
    memberships: dict[int, set[int]] = {}
    for entry in entries:
        if entry.group is not None:
            memberships.setdefault(entry.station.id, set()).add(entry.group.id)
    station_ok = station_filters(by_station, orgs, memberships, groups, index.gazetteer)
    matched = [e for e in entries if all(p(e.station) for p in station_ok) and _rights_ok(e, query)]
    cut = page_of(matched, page)
    if not cut.rows:
        raise CPError(ResponseCode.NO_STATION_FOUND)
    return cut


def _entries(index: StationIndex, realm: Realm) -> list[RightsEntry]:
    """A row per (realm group, member station) in group then station order, then a row per
    station of the realm in no group: from the caller's station index (its memberships are
    the realm's groups' among the realm's stations)."""
    stations = {s.id: s for s in index.stations}
    orgs = index.orgs
    groups = [index.groups[group_id] for group_id in sorted(index.groups)]
    members: dict[int, list[int]] = {}
    for station_pk in sorted(index.memberships):
        for group_id in index.memberships[station_pk]:
            members.setdefault(group_id, []).append(station_pk)
    entries, grouped = [], set()
    for group in groups:
        for station_pk in members.get(group.id, []):
            station = stations[station_pk]
            profile = realm.group_profiles[group.id]
            entries.append(RightsEntry(group, profile, station, orgs[station.org_pk]))
            grouped.add(station_pk)
    for station_pk in sorted(set(stations) - grouped):
        station = stations[station_pk]
        profile = realm.station_profiles[station_pk]
        entries.append(RightsEntry(None, profile, station, orgs[station.org_pk]))
    return entries


def _group_ok(entry: RightsEntry, query: StationQuery) -> bool:
    if query.sg_id is not None and (entry.group is None or str(entry.group.id) != query.sg_id):
        return False
    if query.sg_name is not None:
        return entry.group is not None and same_text(entry.group.name, query.sg_name)
    return True


def _rights_ok(entry: RightsEntry, query: RightsQuery) -> bool:
    s = entry.station
    provisioned = s.provision_date.date() if s.provision_date else None
    if query.provisioned_from and (provisioned is None or provisioned < query.provisioned_from):
        return False
    if query.provisioned_to and (provisioned is None or provisioned > query.provisioned_to):
        return False
    if query.current_fault is not None and not any(
        has_text(p.fault_reason, query.current_fault) for p in s.ports
    ):
        return False
    if query.port_status is not None and not any(
        same_text(port_status(s, p), query.port_status) for p in s.ports
    ):
        return False
    return (
        same_text(s.admin_status, query.admin_status)
        and same_text(s.network_status, query.network_status)
        and same_text(s.provision_status, query.provision_status)
    )
