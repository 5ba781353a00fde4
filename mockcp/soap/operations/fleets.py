"""Fleet Management operations (guide 10)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.domain.fleets import usage as fleet_usage
from mockcp.domain.fleets import vehicles as fleets
from mockcp.soap.mapping import OK
from mockcp.soap.mapping import fleets as m
from mockcp.soap.operations import operation
from mockcp.soap.types import fleets as f


class FleetService(ServiceBase):  # type: ignore[misc]
    """getFleetVehicles, addFleetVehicle, updateFleetVehicle, deleteFleetVehicle, usage."""

    @operation(f.getFleetVehicles, f.getFleetVehiclesResponse)
    def getFleetVehicles(ctx: Any, request: f.getFleetVehicles) -> Any:
        """The caller's fleet vehicles with their live charging status (guide 10.4)."""
        q, udc = request.searchQuery, ctx.udc
        statuses = fleet_usage.charging_statuses(udc.world())
        page = fleets.search_vehicles(
            udc.world(), statuses, m.from_vehicle_search(q),
            (q.startRecord, q.numRecords),
        )
        return m.to_vehicles_response(page)

    @operation(f.addFleetVehicle, f.addFleetVehicleResponse)
    def addFleetVehicle(ctx: Any, request: f.addFleetVehicle) -> Any:
        """Add one or several vehicles to the caller's fleets, all or none (guide 10.1)."""
        udc, sent = ctx.udc, [m.from_vehicle_data(v) for v in request.vehicle]
        added = fleets.add_vehicles(udc.world(), sent)
        return f.addFleetVehicleResponse(**OK, fleetVehicleID=added)

    @operation(f.updateFleetVehicle, f.updateFleetVehicleResponse)
    def updateFleetVehicle(ctx: Any, request: f.updateFleetVehicle) -> Any:
        """Change only the elements sent, of one or several vehicles, all or none (guide 10.3)."""
        udc, db = ctx.udc, ctx.udc.session()
        updated = [
            fleets.update_vehicle(
                udc.world(), sent.fleetVehicleID, m.from_vehicle_data(sent)
            )
            for sent in request.vehicle
        ]
        cards = fleets.cards_of(db, [vehicle.id for vehicle in updated])
        return m.to_update_response(
            [
                (fleets.external_id(db, v), v, cards.get(v.id, []), fleets.fleet_name(db, v))
                for v in updated
            ]
        )

    @operation(f.deleteFleetVehicle, f.deleteFleetVehicleResponse)
    def deleteFleetVehicle(ctx: Any, request: f.deleteFleetVehicle) -> Any:
        """Delete a vehicle of the caller's fleets (guide 10.2)."""
        udc = ctx.udc
        fleets.delete_vehicle(udc.world(), request.fleetVehicleID)
        return f.deleteFleetVehicleResponse(**OK)

    @operation(f.getFleetUsageData, f.getFleetUsageDataResponse)
    def getFleetUsageData(ctx: Any, request: f.getFleetUsageData) -> Any:
        """Sessions of the caller's fleet vehicles on any station, 100 a page (guide 10.5)."""
        q, udc = request.searchQuery, ctx.udc
        page = fleet_usage.fleet_usage(
            udc.world(), m.from_usage_search(q), (q.startRecord, q.numRecords)
        )
        return m.to_usage_response(page)
