"""Fleet Management operations (guide 10)."""

from __future__ import annotations

from spyne import ServiceBase

from mockcp.soap.operations import pending
from mockcp.soap.types import fleets as f

PEOPLE = "issue 6: alarms, drivers and fleets"


class FleetService(ServiceBase):  # type: ignore[misc]
    """getFleetVehicles, addFleetVehicle, updateFleetVehicle, deleteFleetVehicle, usage."""

    getFleetVehicles = pending(
        "getFleetVehicles", f.getFleetVehicles, f.getFleetVehiclesResponse, PEOPLE
    )
    addFleetVehicle = pending(
        "addFleetVehicle", f.addFleetVehicle, f.addFleetVehicleResponse, PEOPLE
    )
    updateFleetVehicle = pending(
        "updateFleetVehicle", f.updateFleetVehicle, f.updateFleetVehicleResponse, PEOPLE
    )
    deleteFleetVehicle = pending(
        "deleteFleetVehicle", f.deleteFleetVehicle, f.deleteFleetVehicleResponse, PEOPLE
    )
    getFleetUsageData = pending(
        "getFleetUsageData", f.getFleetUsageData, f.getFleetUsageDataResponse, PEOPLE
    )
