"""Station Information and Station Management searches (guide 7.1-7.2, 7.6; WSDL order)."""

from __future__ import annotations

from spyne import ServiceBase

from mockcp.soap.operations import pending
from mockcp.soap.types import stations as t

STATIONS = "issue 3: station management"


class StationService(ServiceBase):  # type: ignore[misc]
    """getPublicStations, getPublicStationStatus, getStationStatus, getStations, ..."""

    getPublicStations = pending(
        "getPublicStations", t.getPublicStations, t.getPublicStationsResponse, STATIONS
    )
    getPublicStationStatus = pending(
        "getPublicStationStatus",
        t.getPublicStationStatus,
        t.getPublicStationStatusResponse,
        STATIONS,
    )
    getStationStatus = pending(
        "getStationStatus", t.getStationStatus, t.getStationStatusResponse, STATIONS
    )
    getStations = pending("getStations", t.getStations, t.getStationsResponse, STATIONS)
    getCustomGroupStations = pending(
        "getCustomGroupStations",
        t.getCustomGroupStations,
        t.getCustomGroupStationsResponse,
        STATIONS,
    )
    getStationActiveFaults = pending(
        "getStationActiveFaults",
        t.getStationActiveFaults,
        t.getStationActiveFaultsResponse,
        STATIONS,
    )
