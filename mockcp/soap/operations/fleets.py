"""Fleet Management operations (guide 10)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.soap.mapping import fleets as m
from mockcp.soap.operations import operation
from mockcp.soap.types import fleets as f


class FleetService(ServiceBase):  # type: ignore[misc]
    """getFleetVehicles, addFleetVehicle, updateFleetVehicle, deleteFleetVehicle, usage."""

    @operation(f.getFleetVehicles, f.getFleetVehiclesResponse)
    def getFleetVehicles(ctx: Any, request: f.getFleetVehicles) -> Any:
        """The caller's fleet vehicles with their live charging status (guide 10.4)."""
        return m.get_fleet_vehicles(ctx.udc, request)

    @operation(f.addFleetVehicle, f.addFleetVehicleResponse)
    def addFleetVehicle(ctx: Any, request: f.addFleetVehicle) -> Any:
        """Add one or several vehicles to the caller's fleets, all or none (guide 10.1)."""
        return m.add_fleet_vehicle(ctx.udc, request)

    @operation(f.updateFleetVehicle, f.updateFleetVehicleResponse)
    def updateFleetVehicle(ctx: Any, request: f.updateFleetVehicle) -> Any:
        """Change only the elements sent, of one or several vehicles, all or none (guide 10.3)."""
        return m.update_fleet_vehicle(ctx.udc, request)

    @operation(f.deleteFleetVehicle, f.deleteFleetVehicleResponse)
    def deleteFleetVehicle(ctx: Any, request: f.deleteFleetVehicle) -> Any:
        """Delete a vehicle of the caller's fleets (guide 10.2)."""
        return m.delete_fleet_vehicle(ctx.udc, request)

    @operation(f.getFleetUsageData, f.getFleetUsageDataResponse)
    def getFleetUsageData(ctx: Any, request: f.getFleetUsageData) -> Any:
        """Sessions of the caller's fleet vehicles on any station, 100 a page (guide 10.5)."""
        return m.get_fleet_usage_data(ctx.udc, request)
