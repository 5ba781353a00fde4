"""Organisation, group, rights, CPN and feed operations (guide 4.1, 7.3-7.7, 11)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase, rpc

from mockcp.codes import ResponseCode
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
        return m.get_orgs_and_station_groups(ctx.udc, request)

    @operation(t.getStationGroups, t.getStationGroupsResponse)
    def getStationGroups(ctx: Any, request: t.getStationGroups) -> Any:
        """An organisation's custom groups with their stations (guide 7.3)."""
        return m.get_station_groups(ctx.udc, request)

    @operation(t.getStationGroupDetails, t.getStationGroupDetailsResponse)
    def getStationGroupDetails(ctx: Any, request: t.getStationGroupDetails) -> Any:
        """A group's immediate child groups and stations (guide 7.4)."""
        return m.get_station_group_details(ctx.udc, request)

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
        return mr.get_station_rights(ctx.udc, request)

    @operation(t.getStationRightsProfile, t.getStationRightsProfileResponse)
    def getStationRightsProfile(ctx: Any, request: t.getStationRightsProfile) -> Any:
        """The task list of the rights profile held on a group (guide 7.7)."""
        return m.get_station_rights_profile(ctx.udc, request)

    @operation(t.registerFeeds, t.registerFeedsResponse)
    def registerFeeds(ctx: Any, request: t.registerFeeds) -> Any:
        """The push framework was removed (guide 11): 188, and no subscription."""
        raise CPError(ResponseCode.OPERATION_NOT_FOUND)

    @operation(t.updateFeed, t.updateFeedResponse)
    def updateFeed(ctx: Any, request: t.updateFeed) -> Any:
        """The push framework was removed (guide 11): 188."""
        raise CPError(ResponseCode.OPERATION_NOT_FOUND)
