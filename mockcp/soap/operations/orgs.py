"""Organisation, group, rights, CPN and feed operations (guide 4.1, 7.3-7.7, 11)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase, rpc

from mockcp.codes import ResponseCode
from mockcp.domain.orgs import groups, rights
from mockcp.domain.orgs import instances as orgs
from mockcp.errors import CPError
from mockcp.soap.mapping import groups as m
from mockcp.soap.mapping import rights as mr
from mockcp.soap.mapping import to_ocpninstances
from mockcp.soap.operations import operation
from mockcp.soap.types import orgs as t


class OrgService(ServiceBase):  # type: ignore[misc]
    """getOrgsAndStationGroups, getStationGroups, ..., getCPNInstances, feeds."""

    @operation(t.getOrgsAndStationGroups, t.getOrgsAndStationGroupsResponse)
    def getOrgsAndStationGroups(ctx: Any, request: t.getOrgsAndStationGroups) -> Any:
        """Organisations and custom groups in the caller's realm (guide 7.5)."""
        q = request.searchQuery
        query = groups.OrgGroupQuery(q.orgID, q.organizationName, q.sgID, q.sgName)
        result = groups.orgs_and_groups(ctx.udc.world(), query)
        return m.to_orgs_and_groups_response(result)

    @operation(t.getStationGroups, t.getStationGroupsResponse)
    def getStationGroups(ctx: Any, request: t.getStationGroups) -> Any:
        """An organisation's custom groups with their stations (guide 7.3)."""
        result = groups.groups_of_org(ctx.udc.world(), request.orgID)
        return m.to_station_groups_response(result)

    @operation(t.getStationGroupDetails, t.getStationGroupDetailsResponse)
    def getStationGroupDetails(ctx: Any, request: t.getStationGroupDetails) -> Any:
        """A group's immediate child groups and stations (guide 7.4)."""
        details = groups.group_details(
            ctx.udc.world(), request.sgID, request.stationID
        )
        return m.to_group_details_response(details)

    @rpc(  # type: ignore[untyped-decorator]
        _returns=t.ocpninstances.customize(max_occurs="unbounded"),
        _out_variable_name="CPN",
        _operation_name="getCPNInstances",
    )
    def getCPNInstances(ctx: Any) -> list[t.ocpninstances]:
        """Every ChargePoint network instance (guide 4.1; the response has no responseCode)."""
        return [to_ocpninstances(row) for row in orgs.list_cpn_instances(ctx.udc.session())]

    @operation(t.getStationRights, t.getStationRightsResponse)
    def getStationRights(ctx: Any, request: t.getStationRights) -> Any:
        """The rights the caller holds, per group and station, 100 a page (guide 7.6)."""
        q = request.searchQuery
        page = rights.station_rights(ctx.udc.world(), mr.from_rights_search(q), q.startRecord)
        return mr.to_rights_response(page)

    @operation(t.getStationRightsProfile, t.getStationRightsProfileResponse)
    def getStationRightsProfile(ctx: Any, request: t.getStationRightsProfile) -> Any:
        """The task list of the rights profile held on a group (guide 7.7)."""
        tasks = groups.rights_profile_tasks(
            ctx.udc.world(), request.sgID, request.stationRightsProfile
        )
        return m.to_rights_profile_response(tasks)

    @operation(t.registerFeeds, t.registerFeedsResponse)
    def registerFeeds(ctx: Any, request: t.registerFeeds) -> Any:
        """The push framework was removed (guide 11): 188, and no subscription."""
        raise CPError(ResponseCode.OPERATION_NOT_FOUND)

    @operation(t.updateFeed, t.updateFeedResponse)
    def updateFeed(ctx: Any, request: t.updateFeed) -> Any:
        """The push framework was removed (guide 11): 188."""
        raise CPError(ResponseCode.OPERATION_NOT_FOUND)
