"""getStationRights and getStationActiveFaults results -> spyne types (guide 7.6)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from mockcp.domain.identifiers import company_id
from mockcp.domain.orgs import rights
from mockcp.domain.orgs.rights import RightsEntry, RightsQuery
from mockcp.domain.paging import Page
from mockcp.domain.stations import faults
from mockcp.domain.stations.faults import ActiveFault, StationFaults
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.mapping.stations import from_search
from mockcp.soap.types import orgs as t
from mockcp.soap.types import station_rows as r
from mockcp.soap.types import stations as s


def from_rights_search(q: Any) -> RightsQuery:
    dates = q.provisionDateRange
    return RightsQuery(
        stations=from_search(q),
        provisioned_from=None if dates is None else dates.startDate,
        provisioned_to=None if dates is None else dates.endDate,
        current_fault=q.currentFault,
        port_status=q.portStatus,
        admin_status=q.adminStatus,
        network_status=q.networkStatus,
        provision_status=q.provisionStatus,
    )


def _key(entry: RightsEntry) -> tuple[int | None, str]:
    return (None if entry.group is None else entry.group.id, entry.profile)


def to_rights_response(page: Page[RightsEntry]) -> t.getStationRightsResponse:
    data = []
    for (_, profile), run in groupby((entry for _, entry in page.rows), key=_key):
        entries = list(run)
        group = entries[0].group
        data.append(
            t.rightsData(
                sgID=None if group is None else str(group.id),
                sgName=None if group is None else group.name,
                stationRightsProfile=profile,
                stationData=[
                    t.stationDataRights(
                        stationID=e.station.station_id,
                        stationName=e.station.name,
                        stationSerialNum=e.station.serial_number,
                        stationMacAddr=e.station.mac_address,
                        companyID=company_id(e.org),
                    )
                    for e in entries
                ],
            )
        )
    return t.getStationRightsResponse(**OK, rightsData=data, moreFlag=page.more_flag)


def _part(f: ActiveFault) -> tuple[str, str, str]:
    """(description prefix, FRU ID, FRU name): the port's head, or the station itself."""
    if f.port is None:
        return "Station", f.station.station_id, "Station"
    n = f.port.port_number
    return f"Port {n}", f"{f.station.station_id}-P{n}", f"Port {n} head"


def to_active_faults_response(result: list[StationFaults]) -> s.getStationActiveFaultsResponse:
    stations = []
    for entry in result:
        faults = [
            r.stationFault(
                faultCode=f.code,
                faultName=f.name,
                faultTime=f.time,
                faultSeverity=f.severity,
                faultDescription=f"{_part(f)[0]}: {f.name}",
                remedy=f.remedy,
                frus=r.frus(
                    fru=[
                        r.fru(
                            fruID=_part(f)[1],
                            fruName=_part(f)[2],
                            serialNumber=f.station.serial_number,
                            softwareVersion=f.station.firmware,
                        )
                    ]
                ),
            )
            for f in entry.faults
        ]
        stations.append(
            r.getStationActiveFaultsData(
                stationID=entry.station_id,
                stationFaults=r.stationFaults(stationFault=faults) if faults else None,
            )
        )
    return s.getStationActiveFaultsResponse(
        **OK, stations=[r.stationActiveFaults(station=stations)]
    )


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def get_station_rights(udc: RequestContext, request: t.getStationRights) -> Any:
    q = request.searchQuery
    page = rights.station_rights(udc.world(), from_rights_search(q), q.startRecord)
    return to_rights_response(page)


def get_station_active_faults(udc: RequestContext, request: s.getStationActiveFaults) -> Any:
    wanted = list(request.searchQuery.stationIDs.stationID)
    return to_active_faults_response(faults.active_faults(udc.world(), wanted))
