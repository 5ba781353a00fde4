"""Station searches: spyne requests -> StationQuery, station views -> 5.1 rows (guide 7.1-7.2)."""

from __future__ import annotations

from decimal import Decimal as PyDecimal
from typing import Any

from mockcp.db.models import PricingRule
from mockcp.domain.identifiers import company_id
from mockcp.domain.paging import Page
from mockcp.domain.sessions.pricing import PricingAsk
from mockcp.domain.stations import heartbeat
from mockcp.domain.stations import search as stations
from mockcp.domain.stations.facts import DRIVER_SUPPORT_PHONE, pricing_type
from mockcp.domain.stations.query import StationQuery, port_status
from mockcp.domain.stations.rows import PortRow, StationRow
from mockcp.domain.stations.search import StationView
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.types import station_rows as r
from mockcp.soap.types import stations as t


def _strip(value: Any) -> str | None:
    return None if value is None else str(value).strip()


def from_search(q: Any) -> StationQuery:
    """Any of the station search types (they share names) as a StationQuery."""

    def field(name: str) -> Any:
        return getattr(q, name, None)

    geo = field("Geo")
    ids = field("stationIDs")
    demo = field("demoSerialNumber")
    return StationQuery(
        station_id=_strip(field("stationID")),
        station_ids=tuple(s.strip() for s in ids.stationID) if ids is not None else None,
        manufacturer=field("stationManufacturer"),
        model=field("stationModel"),
        name=field("stationName"),
        serial_number=field("serialNumber"),
        address=field("Address"),
        city=field("City"),
        state=field("State"),
        country=field("Country"),
        postal_code=field("postalCode"),
        lat=None if geo is None else geo.Lat,
        long=None if geo is None else geo.Long,
        proximity=field("Proximity"),
        proximity_unit=field("proximityUnit"),
        level=field("Level"),
        mode=field("Mode"),
        connector=field("Connector"),
        voltage=field("Voltage"),
        current=field("Current"),
        power=field("Power"),
        reservable=field("Reservable"),
        demo_serials=tuple(demo.serialNumber) if demo is not None else None,
        org_id=_strip(field("orgID")),
        organization_name=field("organizationName"),
        sg_id=_strip(field("sgID")),
        sg_name=field("sgName"),
        warranty_service=field("warrantyService"),
        status=field("Status"),
        activated_since=field("stationActivationDate"),
        pricing=_pricing_ask(field("Pricing")),
        company_id=_strip(field("companyID")),
        radio_group_id=_strip(field("radioGroupID")),
    )


def coordinate(value: float) -> str:
    """Lat/Long as real rows print them: 15 decimals (real-interface 3.3)."""
    return format(PyDecimal(repr(value)), ".15f")


# The rows of the station pages are plain dicts of field values, not spyne instances: the
# serializer (``soap/wire_out.build_children``) reads the fields the row type declares from
# either, in the type's order, so the bytes are the same without building a spyne object per
# row, port, location and pricing window (issue 18: the 500-row page).


def to_port_data(station: StationRow, port: PortRow, cost: float = 0.0) -> dict[str, Any]:
    """A ``portData`` row."""
    labels = port.connector_labels
    return {
        "portNumber": str(port.port_number),
        "Geo": {"Lat": coordinate(port.latitude), "Long": coordinate(port.longitude)},
        "Reservable": 1 if port.reservable else 0,
        "Status": port_status(station, port),
        "Level": port.level,
        "timeStamp": port.status_time or station.last_communication,
        "Mode": port.mode,
        "Connectors": [{"Connector": [{"connectorLabel": label}]} for label in labels] or None,
        "Connector": port.connector,
        "Voltage": str(port.voltage),
        "Current": str(port.current),
        "Power": f"{port.power_kw:.3f}",
        "estimatedCost": cost,
    }


def to_pricing(rule: PricingRule) -> dict[str, Any]:
    """A ``pricingSpecification`` row."""
    return dict(
        Type=pricing_type(rule.per_kwh, rule.per_hour),
        startTime=rule.start_time,
        endTime=rule.end_time,
        minPrice=rule.min_price,
        maxPrice=rule.max_price,
        initialUnitPriceDuration=rule.initial_duration_min,
        unitPricePerHour=rule.per_hour,
        unitPricePerHourThereafter=rule.per_hour_thereafter,
        unitPricePerSession=rule.per_session,
        unitPricePerKWh=rule.per_kwh,
        sessionTime=rule.session_time,
    )


def station_fields(number: int, view: StationView) -> dict[str, Any]:
    """The getStationData fields of one row (shared by getStations and getCustomGroupStations)."""
    s = view.station
    return {
        "recordNumber": number,
        "stationID": s.station_id,
        "stationManufacturer": s.manufacturer,
        "stationModel": s.model,
        "stationMacAddr": s.mac_address,
        "stationSerialNum": s.serial_number,
        "stationName": s.name,
        "Description": s.description,
        "stationActivationDate": s.activation_date,
        "Address": s.address,
        "City": s.city,
        "State": s.state,
        "Country": s.country,
        "postalCode": s.postal_code,
        "Port": [to_port_data(s, port, view.estimated_cost(port)) for port in s.ports],
        "Pricing": [to_pricing(rule) for rule in view.pricing],
        "numPorts": len(s.ports),
        "driverName": s.driver_name,
        "driverAddress": s.driver_address,
        "driverEmail": s.driver_email,
        "driverPhoneNumber": s.driver_phone,
        "lastModifiedDate": s.modified_at,
        "mainPhone": DRIVER_SUPPORT_PHONE,  # guide 7.1.3: ChargePoint's driver support
        "modTimeStamp": s.modified_at,
        "timezoneOffset": s.timezone_offset,
        "currencyCode": s.currency_code,
        "warrantyExpirationDate": s.warranty_expiration,
        "warrantyService": s.warranty_service,
        "servicePlanExpiryDate": s.service_plan_expiry,
        "demo": s.demo_serial,
        "orgID": view.org.org_id,
        "companyID": company_id(view.org),
        "organizationName": view.org.name,
        "sgID": ", ".join(str(g.id) for g in view.groups) or None,
        "sgName": ", ".join(g.name for g in view.groups) or None,
        "siteValidated": s.site_validated,
        "siteValidationDate": s.site_validation_date,
        "wanIpAddress": s.wan_ip,
        "networkStatus": s.network_status,
        "stationFirmware": s.firmware,
        "stationReception": s.reception,
        "radioGroupID": s.radio_group_id,
    }


def to_status_data(
    number: int, view: StationView, port_details: bool, heard: dict[int, Any] | None = None
) -> dict[str, Any]:
    """An ``oStatusdata`` row; ``heard``: port pk -> last communication (guide 7.2.3)."""
    s, heard = view.station, heard or {}
    ports = [
        {
            "portNumber": str(p.port_number),
            "Status": port_status(s, p),
            "faultReason": p.fault_reason or "NONE",  # guide 7.2.5: a healthy port says NONE
            "TimeStamp": heard.get(p.id) or p.status_time or s.last_communication,
            "Connector": p.connector if port_details else None,
            "Power": f"{p.power_kw:.3f}" if port_details else None,
        }
        for p in s.ports
    ]
    return {
        "stationID": s.station_id,
        "Port": ports,
        "recordNumber": number,
        "networkStatus": s.network_status,
    }


def to_stations_response(page: Page[StationView], response: Any, row: Any) -> Any:
    """getStations / getCustomGroupStations / getPublicStations: rows plus moreFlag."""
    return response(
        **OK,
        stationData=[station_fields(n, view) for n, view in page.rows],  # ``row``'s fields
        moreFlag=page.more_flag,
    )


def to_status_response(
    page: Page[StationView], port_details: bool, heard: dict[int, Any] | None = None
) -> Any:
    from mockcp.soap.types.stations import getStationStatusResponse

    return getStationStatusResponse(
        **OK,
        stationData=[to_status_data(n, view, port_details, heard) for n, view in page.rows],
        moreFlag=page.more_flag,
    )


def to_public_status_response(
    page: Page[StationView], port_details: bool, heard: dict[int, Any] | None = None
) -> Any:
    from mockcp.soap.types.stations import getPublicStationStatusResponse

    data = []
    for number, view in page.rows:  # (publicStatusdata prints its own fields of the row)
        data.append(to_status_data(number, view, port_details, heard))
    return getPublicStationStatusResponse(**OK, stationStatusData=data)


def _pricing_ask(options: Any) -> PricingAsk | None:
    if options is None:
        return None
    return PricingAsk(
        options.startTime, options.Duration, options.energyRequired, options.vehiclePower
    )


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def _heard(udc: RequestContext, page: Any) -> dict[int, Any]:
    """Port pk -> last communication of its station (guide 7.2.3 TimeStamp)."""
    return heartbeat.port_time_stamps(udc.world(), [view.station for _, view in page.rows])


def _search(udc: RequestContext, q: Any, operation_name: str, public: bool = False) -> Any:
    paging = (operation_name, getattr(q, "startRecord", None), getattr(q, "numStations", None))
    return stations.search_stations(udc.world(), from_search(q), paging, public)


def get_public_stations(udc: RequestContext, request: t.getPublicStations) -> Any:
    page = _search(udc, request.searchQuery, "getPublicStations", public=True)
    return to_stations_response(page, t.getPublicStationsResponse, r.stationData)


def get_public_station_status(udc: RequestContext, request: t.getPublicStationStatus) -> Any:
    page = _search(udc, request.searchQuery, "getPublicStations", public=True)
    details = bool(request.searchQuery.portDetails)
    return to_public_status_response(page, details, _heard(udc, page))


def get_station_status(udc: RequestContext, request: t.getStationStatus) -> Any:
    page = _search(udc, request.searchQuery, "getStationStatus")
    return to_status_response(page, bool(request.searchQuery.portDetails), _heard(udc, page))


def get_stations(udc: RequestContext, request: t.getStations) -> Any:
    page = _search(udc, request.searchQuery, "getStations")
    return to_stations_response(page, t.getStationsResponse, r.stationDataExtended)


def get_custom_group_stations(udc: RequestContext, request: t.getCustomGroupStations) -> Any:
    q = request.searchQuery
    page = stations.custom_group_stations(
        udc.world(), from_search(q), ("getCustomGroupStations", q.startRecord, q.numStations)
    )
    return to_stations_response(
        page, t.getCustomGroupStationsResponse, r.customGroupstationDataExtended
    )
