"""Station Information and Station Management searches (guide 7.1-7.2, 7.6; WSDL order)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.domain.stations import faults, heartbeat
from mockcp.domain.stations import search as stations
from mockcp.soap.mapping import rights as mr
from mockcp.soap.mapping import stations as m
from mockcp.soap.operations import operation
from mockcp.soap.types import station_rows as r
from mockcp.soap.types import stations as t


def _heard(ctx: Any, page: Any) -> dict[int, Any]:
    """Port pk -> last communication of its station (guide 7.2.3 TimeStamp)."""
    return heartbeat.port_time_stamps(ctx.udc.world(), [view.station for _, view in page.rows])


def _search(ctx: Any, q: Any, operation_name: str, public: bool = False) -> Any:
    paging = (operation_name, getattr(q, "startRecord", None), getattr(q, "numStations", None))
    return stations.search_stations(ctx.udc.world(), m.from_search(q), paging, public)


class StationService(ServiceBase):  # type: ignore[misc]
    """getPublicStations, getPublicStationStatus, getStationStatus, getStations, ..."""

    @operation(t.getPublicStations, t.getPublicStationsResponse)
    def getPublicStations(ctx: Any, request: t.getPublicStations) -> Any:
        """Public stations matching the search, whoever owns them."""
        page = _search(ctx, request.searchQuery, "getPublicStations", public=True)
        return m.to_stations_response(page, t.getPublicStationsResponse, r.stationData)

    @operation(t.getPublicStationStatus, t.getPublicStationStatusResponse)
    def getPublicStationStatus(ctx: Any, request: t.getPublicStationStatus) -> Any:
        """Port status of public stations (first 500 matches; the type has no paging)."""
        page = _search(ctx, request.searchQuery, "getPublicStations", public=True)
        details = bool(request.searchQuery.portDetails)
        return m.to_public_status_response(page, details, _heard(ctx, page))

    @operation(t.getStationStatus, t.getStationStatusResponse)
    def getStationStatus(ctx: Any, request: t.getStationStatus) -> Any:
        """Port status and network status of the caller's stations (guide 7.2)."""
        page = _search(ctx, request.searchQuery, "getStationStatus")
        details = bool(request.searchQuery.portDetails)
        return m.to_status_response(page, details, _heard(ctx, page))

    @operation(t.getStations, t.getStationsResponse)
    def getStations(ctx: Any, request: t.getStations) -> Any:
        """The caller's stations matching every filter, 500 a page (guide 7.1)."""
        page = _search(ctx, request.searchQuery, "getStations")
        return m.to_stations_response(page, t.getStationsResponse, r.stationDataExtended)

    @operation(t.getCustomGroupStations, t.getCustomGroupStationsResponse)
    def getCustomGroupStations(ctx: Any, request: t.getCustomGroupStations) -> Any:
        """The caller's stations in a custom group named ``sgName`` (155 for no such group)."""
        q, udc = request.searchQuery, ctx.udc
        page = stations.custom_group_stations(
            udc.world(), m.from_search(q), ("getCustomGroupStations", q.startRecord, q.numStations)
        )
        return m.to_stations_response(
            page, t.getCustomGroupStationsResponse, r.customGroupstationDataExtended
        )

    @operation(t.getStationActiveFaults, t.getStationActiveFaultsResponse)
    def getStationActiveFaults(ctx: Any, request: t.getStationActiveFaults) -> Any:
        """The active faults of 1-100 stations of the caller's realm."""
        wanted = list(request.searchQuery.stationIDs.stationID)
        result = faults.active_faults(ctx.udc.world(), wanted)
        return mr.to_active_faults_response(result)
