"""Organisation, group, rights, CPN and feed operations (guide 4.1, 7.3-7.7, 11)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase, rpc

from mockcp.domain import orgs
from mockcp.soap.mapping import to_ocpninstances
from mockcp.soap.operations import pending
from mockcp.soap.types import orgs as t

GROUPS = "issue 3: station management"
FEEDS = "issue 6: alarms, drivers and fleets (removed push framework)"


class OrgService(ServiceBase):  # type: ignore[misc]
    """getOrgsAndStationGroups, getStationGroups, ..., getCPNInstances, feeds."""

    getOrgsAndStationGroups = pending(
        "getOrgsAndStationGroups",
        t.getOrgsAndStationGroups,
        t.getOrgsAndStationGroupsResponse,
        GROUPS,
    )
    getStationGroups = pending(
        "getStationGroups", t.getStationGroups, t.getStationGroupsResponse, GROUPS
    )
    getStationGroupDetails = pending(
        "getStationGroupDetails",
        t.getStationGroupDetails,
        t.getStationGroupDetailsResponse,
        GROUPS,
    )

    @rpc(  # type: ignore[untyped-decorator]
        _returns=t.ocpninstances.customize(max_occurs="unbounded"),
        _out_variable_name="CPN",
        _operation_name="getCPNInstances",
    )
    def getCPNInstances(ctx: Any) -> list[t.ocpninstances]:
        """Every ChargePoint network instance (guide 4.1; the response has no responseCode)."""
        return [to_ocpninstances(row) for row in orgs.list_cpn_instances(ctx.udc.session())]

    getStationRights = pending(
        "getStationRights", t.getStationRights, t.getStationRightsResponse, GROUPS
    )
    getStationRightsProfile = pending(
        "getStationRightsProfile",
        t.getStationRightsProfile,
        t.getStationRightsProfileResponse,
        GROUPS,
    )
    registerFeeds = pending("registerFeeds", t.registerFeeds, t.registerFeedsResponse, FEEDS)
    updateFeed = pending("updateFeed", t.updateFeed, t.updateFeedResponse, FEEDS)
