"""Station Information and Station Management searches (guide 7.1-7.2, 7.6; WSDL order)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.soap.mapping import rights as mr
from mockcp.soap.mapping import stations as m
from mockcp.soap.operations import operation
from mockcp.soap.types import stations as t


class StationService(ServiceBase):  # type: ignore[misc]
    """getPublicStations, getPublicStationStatus, getStationStatus, getStations, ..."""

    @operation(t.getPublicStations, t.getPublicStationsResponse)
    def getPublicStations(ctx: Any, request: t.getPublicStations) -> Any:
        """Public stations matching the search, whoever owns them."""
        return m.get_public_stations(ctx.udc, request)

    @operation(t.getPublicStationStatus, t.getPublicStationStatusResponse)
    def getPublicStationStatus(ctx: Any, request: t.getPublicStationStatus) -> Any:
        """Port status of public stations (first 500 matches; the type has no paging)."""
        return m.get_public_station_status(ctx.udc, request)

    @operation(t.getStationStatus, t.getStationStatusResponse)
    def getStationStatus(ctx: Any, request: t.getStationStatus) -> Any:
        """Port status and network status of the caller's stations (guide 7.2)."""
        return m.get_station_status(ctx.udc, request)

    @operation(t.getStations, t.getStationsResponse)
    def getStations(ctx: Any, request: t.getStations) -> Any:
        """The caller's stations matching every filter, 500 a page (guide 7.1)."""
        return m.get_stations(ctx.udc, request)

    @operation(t.getCustomGroupStations, t.getCustomGroupStationsResponse)
    def getCustomGroupStations(ctx: Any, request: t.getCustomGroupStations) -> Any:
        """The caller's stations in a custom group named ``sgName`` (155 for no such group)."""
        return m.get_custom_group_stations(ctx.udc, request)

    @operation(t.getStationActiveFaults, t.getStationActiveFaultsResponse)
    def getStationActiveFaults(ctx: Any, request: t.getStationActiveFaults) -> Any:
        """The active faults of 1-100 stations of the caller's realm."""
        return mr.get_station_active_faults(ctx.udc, request)
