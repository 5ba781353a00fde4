"""Fleet Management: requests -> domain values, vehicles and usage -> 5.1 rows (guide 10).

Mind the WSDL's casing: ``VIN``/``license`` in searches and rows, ``vin``/``licensePlate``
in add and update, ``License`` in usage data (real-interface 3.1).
"""

from __future__ import annotations

from datetime import time
from typing import Any

from mockcp.db.people import Credential, FleetVehicle
from mockcp.domain.fleets import usage as fleet_usage
from mockcp.domain.fleets import vehicles as fleets
from mockcp.domain.fleets.facts import customer_id, fraud_status
from mockcp.domain.fleets.savings import gasoline_gallons, ghg_kg
from mockcp.domain.fleets.usage import UsageQuery, UsageView
from mockcp.domain.fleets.vehicles import VehicleFields, VehicleQuery, VehicleView
from mockcp.domain.paging import Page
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.types import fleets as f
from mockcp.soap.types.common import credentialIDsData


def from_vehicle_data(v: Any) -> VehicleFields:
    cards, macs = v.chargePointCards, v.vehiclePortMacIDs
    return VehicleFields(
        license_plate=v.licensePlate, fleet_name=v.fleetName, vehicle_id=v.vehicleID,
        vin=v.vin, color=v.color, make=v.make, model=v.model, year=v.year,
        company_code=v.companyCode, driver_id=v.driverID,
        port_macs=None if macs is None else tuple(macs.vehiclePortMacID or ()),
        card_serials=None if cards is None else tuple(cards.chargePointCardSn or ()),
        card_mifares=None if cards is None else tuple(cards.mifareID or ()),
    )


def to_update_response(
    updated: list[tuple[str, FleetVehicle, list[Credential], str]],
) -> f.updateFleetVehicleResponse:
    """One ``vehicle`` per updated vehicle, in the order sent (guide 10.3)."""
    return f.updateFleetVehicleResponse(**OK, vehicle=[_updated(*row) for row in updated])


def _updated(
    external: str, vehicle: FleetVehicle, cards: list[Credential], fleet: str
) -> f.updateDataForFleetVehicle:
    return f.updateDataForFleetVehicle(
        fleetVehicleID=external,
        chargePointCards=f.ChargePointCardId(
            chargePointCardSn=[c.serial_number for c in cards if c.serial_number],
            mifareID=[c.mifare_id for c in cards if c.mifare_id],
        ),
        licensePlate=vehicle.license_plate,
        fleetName=fleet,
        vehicleID=vehicle.vehicle_id,
        vin=vehicle.vin,
        color=vehicle.color,
        make=vehicle.make,
        model=vehicle.model,
        year=str(vehicle.year),
        driverID=vehicle.fleet_user_id,
        vehiclePortMacIDs=f.vehiclePortMACInfo(vehiclePortMacID=list(vehicle.port_macs))
        if vehicle.port_macs
        else None,
    )


VEHICLE_TEXTS = {
    "fleetName": "fleet_name", "vehicleID": "vehicle_id", "VIN": "vin",
    "license": "license_plate", "color": "color", "make": "make", "model": "model",
    "fleetUserID": "fleet_user_id", "telematicsProvider": "telematics_provider",
    "telematicsStatus": "telematics_status",
}


def from_vehicle_search(q: Any) -> VehicleQuery:
    texts = {
        attr: getattr(q, name)
        for name, attr in VEHICLE_TEXTS.items()
        if getattr(q, name) is not None and str(getattr(q, name)).strip()
    }
    status = q.vehicleChargingStatus
    return VehicleQuery(
        fleet_vehicle_id=q.fleetVehicleID, texts=texts, year=q.year,
        credential_id=q.credentialID, org_id=q.orgID, organization_name=q.organizationName,
        modified_since=q.modifiedSince, created_on=q.fleetVehicleCreateDate,
        charging_status=None if status is None else str(status),
    )


def _vehicle(number: int, view: VehicleView) -> f.responseDataForFleetVehicles:
    v = view.vehicle
    return f.responseDataForFleetVehicles(
        recordNumber=number, lastModifiedTimestamp=v.modified_at,
        fleetVehicleID=f"{view.org.cpn_id}:{v.fleet_vehicle_id}", fleetName=view.fleet.name,
        vehicleID=v.vehicle_id, VIN=v.vin, license=v.license_plate, color=v.color,
        make=v.make, model=v.model, year=v.year, fleetUserID=v.fleet_user_id,
        credentialIDs=credentialIDsData(credentialID=list(view.cards)) if view.cards else None,
        orgID=view.org.org_id, organizationName=view.org.name,
        telematicsProvider=v.telematics_provider, telematicsStatus=v.telematics_status,
        fleetVehicleCreateDate=v.created_at, vehicleChargingStatus=view.charging_status,
    )


def to_vehicles_response(page: Page[VehicleView]) -> f.getFleetVehiclesResponse:
    return f.getFleetVehiclesResponse(
        **OK, fleetVehicle=[_vehicle(n, v) for n, v in page.rows], moreFlag=page.more_flag
    )


USAGE_TEXTS = (
    "fleetName", "vehicleID", "License", "fleetDriverID", "credentialID", "fleetOrgID",
    "fleetOrgName", "stationOrgName", "stationName", "Address", "City", "State", "postalCode",
    "Country",
)


def from_usage_search(q: Any) -> UsageQuery:
    texts = {
        name: getattr(q, name)
        for name in USAGE_TEXTS
        if getattr(q, name) is not None and str(getattr(q, name)).strip()
    }
    kind = q.transactionType
    return UsageQuery(
        transaction_id=q.transactionID, transaction_type=None if kind is None else str(kind),
        fleet_vehicle_id=q.fleetVehicleID, texts=texts, from_time=q.fromTimeStamp,
        to_time=q.toTimeStamp, station_id=q.stationID, port_number=q.portNumber,
    )


def _clock(seconds: float) -> time:
    """xsd:time cannot pass 24 h: longer durations are capped at 23:59:59 (documented)."""
    whole = min(int(seconds), 24 * 3600 - 1)
    return time(whole // 3600, whole % 3600 // 60, whole % 60)


def _usage(number: int, u: UsageView) -> f.responseDataForFleetUsage:
    s, station, v, pay = u.session, u.station, u.vehicle, u.payment
    end = s.end_time or s.start_time
    charge_end = s.charging_end_time or end
    dc = u.port.level == "DC" or u.port.mode == "4"
    return f.responseDataForFleetUsage(
        recordNumber=number, fleetVehicleID=f"{u.fleet_org.cpn_id}:{v.fleet_vehicle_id}",
        fleetName=u.fleet.name, vehicleID=v.vehicle_id, License=v.license_plate,
        fleetDriverID=v.fleet_user_id, credentialID=u.credential_id,
        fleetOrgID=u.fleet_org.org_id, fleetOrgName=u.fleet_org.name,
        transactionID=u.transaction_id, transactionType="Session",
        transactionTime=u.transaction_time, Energy=round(s.energy_kwh, 6),
        gasolineSavings=gasoline_gallons(s.energy_kwh),
        ghgSavings=ghg_kg(s.energy_kwh, s.start_time),
        startTime=s.start_time, endTime=s.end_time, startSOC=s.start_soc, endSOC=s.end_soc,
        chargingTime=_clock(max((charge_end - s.start_time).total_seconds(), 0)),
        sessionDuration=_clock((end - s.start_time).total_seconds()),
        portType="DC" if dc else "AC", plugType=u.port.connector,
        Currency=station.currency_code,
        Fee=u.fee, pricingRule=u.rule, stationOrgName=u.station_org.name,
        stationName=station.name, Address=station.address, City=station.city,
        State=station.state, postalCode=station.postal_code, Country=station.country,
        VIN=v.vin, stationID=station.station_id, portNumber=u.port.port_number,
        fraudDetectionStatus=fraud_status(s, v), fleetCustomerID=customer_id(u.fleet),
        Odometer=u.odometer, paymentType=pay.type if pay else None,
        paymentID=pay.payment_id if pay else None,
        paymentSourceAccount=pay.source_account if pay else None, ID=str(s.id),
    )


def to_usage_response(page: Page[UsageView]) -> f.getFleetUsageDataResponse:
    return f.getFleetUsageDataResponse(
        **OK, fleetUsageData=[_usage(n, u) for n, u in page.rows], moreFlag=page.more_flag
    )


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def get_fleet_vehicles(udc: RequestContext, request: f.getFleetVehicles) -> Any:
    q = request.searchQuery
    statuses = fleet_usage.charging_statuses(udc.world())
    page = fleets.search_vehicles(
        udc.world(), statuses, from_vehicle_search(q), (q.startRecord, q.numRecords)
    )
    return to_vehicles_response(page)


def add_fleet_vehicle(udc: RequestContext, request: f.addFleetVehicle) -> Any:
    added = fleets.add_vehicles(udc.world(), [from_vehicle_data(v) for v in request.vehicle])
    return f.addFleetVehicleResponse(**OK, fleetVehicleID=added)


def update_fleet_vehicle(udc: RequestContext, request: f.updateFleetVehicle) -> Any:
    db = udc.session()
    updated = [
        fleets.update_vehicle(udc.world(), sent.fleetVehicleID, from_vehicle_data(sent))
        for sent in request.vehicle
    ]
    cards = fleets.cards_of(db, [vehicle.id for vehicle in updated])
    return to_update_response(
        [
            (fleets.external_id(db, v), v, cards.get(v.id, []), fleets.fleet_name(db, v))
            for v in updated
        ]
    )


def delete_fleet_vehicle(udc: RequestContext, request: f.deleteFleetVehicle) -> Any:
    fleets.delete_vehicle(udc.world(), request.fleetVehicleID)
    return f.deleteFleetVehicleResponse(**OK)


def get_fleet_usage_data(udc: RequestContext, request: f.getFleetUsageData) -> Any:
    q = request.searchQuery
    page = fleet_usage.fleet_usage(
        udc.world(), from_usage_search(q), (q.startRecord, q.numRecords)
    )
    return to_usage_response(page)
