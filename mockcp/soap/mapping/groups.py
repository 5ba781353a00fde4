"""Organisation and group results -> spyne response types (guide 7.3-7.5, 7.7)."""

from __future__ import annotations

from mockcp.db.models import Station
from mockcp.domain.orgs import groups
from mockcp.domain.orgs.groups import GroupDetails, GroupStations, OrgGroups
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.types import orgs as t
from mockcp.soap.types.common import geoData
from mockcp.soap.wire_out import plain_number  # guide 7.3.5: <Lat>30</Lat>


def full_address(station: Station) -> str:
    """The one-line address of group details: street, city, state, postal code, country."""
    parts = (station.address, station.city, station.state, station.postal_code, station.country)
    return ", ".join(part.strip() for part in parts if part and part.strip())


def to_orgs_and_groups_response(result: list[OrgGroups]) -> t.getOrgsAndStationGroupsResponse:
    return t.getOrgsAndStationGroupsResponse(
        **OK,
        orgData=[
            t.ohostdata(
                orgID=entry.org.org_id,
                organizationName=entry.org.name,
                sgData=[
                    t.ohostdata_sgData(
                        sgID=g.id, sgName=g.name, parentGroupID=str(g.parent_id or 0)
                    )
                    for g in entry.groups
                ],
            )
            for entry in result
        ],
    )


def to_station_groups_response(result: list[GroupStations]) -> t.getStationGroupsResponse:
    return t.getStationGroupsResponse(
        **OK,
        groupData=[
            t.groupsdata(
                sgID=entry.group.id,
                orgID=entry.org.org_id,
                sgName=entry.group.name,
                organizationName=entry.org.name,
                stationData=[
                    t.groupsdata_stationData(
                        stationID=s.station_id,
                        Geo=geoData(Lat=plain_number(s.latitude), Long=plain_number(s.longitude)),
                    )
                    for s in entry.stations
                ],
            )
            for entry in result
        ],
    )


def to_group_details_response(details: GroupDetails) -> t.getStationGroupDetailsResponse:
    return t.getStationGroupDetailsResponse(
        **OK,
        groupName=details.group.name,
        numStations=len(details.stations),
        groupData=[t.childGroupData(sgID=g.id, sgName=g.name) for g in details.children],
        stationData=[
            t.stationGroupData(stationID=s.station_id, stationName=s.name, Address=full_address(s))
            for s in details.stations
        ],
    )


def to_rights_profile_response(
    tasks: list[tuple[str, str]],
) -> t.getStationRightsProfileResponse:
    return t.getStationRightsProfileResponse(
        **OK,
        taskList=[
            t.getStationRightsProfileResponse_taskList(Task=task, Description=text)
            for task, text in tasks
        ],
    )


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def get_orgs_and_station_groups(
    udc: RequestContext, request: t.getOrgsAndStationGroups
) -> t.getOrgsAndStationGroupsResponse:
    q = request.searchQuery
    query = groups.OrgGroupQuery(q.orgID, q.organizationName, q.sgID, q.sgName)
    return to_orgs_and_groups_response(groups.orgs_and_groups(udc.world(), query))


def get_station_groups(
    udc: RequestContext, request: t.getStationGroups
) -> t.getStationGroupsResponse:
    return to_station_groups_response(groups.groups_of_org(udc.world(), request.orgID))


def get_station_group_details(
    udc: RequestContext, request: t.getStationGroupDetails
) -> t.getStationGroupDetailsResponse:
    details = groups.group_details(udc.world(), request.sgID, request.stationID)
    return to_group_details_response(details)


def get_station_rights_profile(
    udc: RequestContext, request: t.getStationRightsProfile
) -> t.getStationRightsProfileResponse:
    tasks = groups.rights_profile_tasks(udc.world(), request.sgID, request.stationRightsProfile)
    return to_rights_profile_response(tasks)
