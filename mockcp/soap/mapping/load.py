"""Demand management requests -> domain values, and domain values -> responses (guide 5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mockcp.clock import utc
from mockcp.domain.load import current as load
from mockcp.domain.load import events, shed
from mockcp.domain.load.current import LoadQuery, LoadView, PortLoad, StationLoad
from mockcp.domain.load.events import EventRequest
from mockcp.domain.load.shed import Amount, ClearOutcome, PortAmount, ShedOutcome, ShedRequest
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.types import load as t


def _kw(value: Any) -> float | None:
    return None if value is None else float(value)


def _blank(text: str | None) -> str | None:
    return text if text is not None and text.strip() else None


def from_shed_query(q: Any) -> ShedRequest:
    """Blank placeholders (Go clients send them beside the real scope) count as absent."""
    group, station = q.shedGroup, q.shedStation
    request = ShedRequest(minutes=q.timeInterval)
    if group is not None:
        amount = Amount(_kw(group.allowedLoadPerStation), group.percentShedPerStation)
        request = ShedRequest(group_id=group.sgID, amount=amount, minutes=q.timeInterval)
    if station is not None and _blank(station.stationID) is not None:
        ports = None
        if station.Ports is not None:
            ports = tuple(
                PortAmount(
                    p.portNumber or "", Amount(_kw(p.allowedLoadPerPort), p.percentShedPerPort)
                )
                for p in station.Ports.Port or []
            )
        if request.group_id is not None:  # both scopes: the rules answer 187
            return ShedRequest(request.group_id, station.stationID, request.amount, ports)
        amount = Amount(_kw(station.allowedLoadPerStation), station.percentShedPerStation)
        return ShedRequest(None, station.stationID, amount, ports, q.timeInterval)
    return request


def to_shed_response(outcome: ShedOutcome) -> t.shedLoadResponse:
    ports = None
    if outcome.ports:
        ports = t.shedLoadResponse_Ports(
            Port=[
                t.shedLoadResponse_Ports_Port(
                    portNumber=p.port_number,
                    allowedLoadPerPort=_decimal(p.amount.allowed),
                    percentShedPerPort=p.amount.percent,
                )
                for p in outcome.ports
            ]
        )
    amount = outcome.amount
    return t.shedLoadResponse(
        **OK,
        Success=1,
        sgID=outcome.group_id,
        stationID=outcome.station_id,
        allowedLoadPerStation=_decimal(amount.allowed) if amount else None,
        percentShedPerStation=amount.percent if amount else None,
        Ports=ports,
    )


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def from_clear_query(q: Any) -> tuple[int | None, str | None, tuple[str, ...] | None]:
    group = q.shedGroup.sgID if q.shedGroup is not None else None
    station = q.shedStation
    if station is None or _blank(station.stationID) is None:
        return group, None, None
    numbers = None
    if station.Ports is not None:
        numbers = tuple(p.portNumber for p in station.Ports.Port or [] if _blank(p.portNumber))
    return group, station.stationID, numbers or None


def to_clear_response(outcome: ClearOutcome) -> t.clearShedStateResponse:
    return t.clearShedStateResponse(
        **OK,
        Success=1 if outcome.cleared else 0,
        sgID=outcome.group_id,
        stationID=outcome.station_id.strip() if outcome.station_id else None,
    )


def from_load_query(q: Any) -> LoadQuery:
    return LoadQuery(q.sgID, _blank(q.stationID), q.sessionID)


def _port(p: PortLoad) -> t.stationPortData:
    shed = p.shed
    allowed = 0.0
    if shed is not None and shed.mode == "allowed":
        allowed = shed.allowed_kw or 0.0
    elif shed is None and p.event_kw is not None:
        allowed = p.event_kw
    return t.stationPortData(
        portNumber=str(p.port.port_number),
        userID=p.user_id or "",
        credentialID=p.credential_id or "",
        shedState=1 if shed is not None or p.event_kw is not None else 0,
        portLoad=p.kw,
        allowedLoad=allowed,
        percentShed=shed.percent if shed is not None and shed.mode == "percent" else 0,
        sessionID=p.session.id if p.session is not None else 0,
        lastBatteryPercent=p.battery_percent,
    )


def _station(s: StationLoad) -> t.stationloaddata:
    station = s.station
    address = ", ".join(
        part.strip()
        for part in (station.address, station.city, station.state, station.postal_code,
                     station.country)
        if part and part.strip()
    )
    return t.stationloaddata(
        stationID=station.station_id,
        stationName=station.name,
        Address=address,
        stationLoad=s.kw,
        Port=[_port(p) for p in s.ports],
    )


def to_load_response(view: LoadView) -> t.getLoadResponse:
    group = view.group
    return t.getLoadResponse(
        **OK,
        sgID=group.id if group is not None else None,
        numStations=len(view.stations) if group is not None else 0,
        groupName=group.name if group is not None else "",
        sgLoad=f"{view.kw:.3f}" if group is not None else "",
        stationData=[_station(s) for s in view.stations],
    )


def from_event(e: Any) -> EventRequest:
    amount = Amount(_kw(e.allowedLoadPerPort), _kw(e.percentShedPerStation))
    return EventRequest(
        _blank(e.stationID),
        _blank(e.sgID),
        utc(e.eventStartTime),
        e.eventDuration,
        True if e.allowOptOut is None else bool(e.allowOptOut),
        amount,
    )


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def shed_load(udc: RequestContext, request: t.shedLoad) -> Any:
    return to_shed_response(shed.shed_load(udc.world(), from_shed_query(request.shedQuery)))


def clear_shed_state(udc: RequestContext, request: t.clearShedState) -> Any:
    return to_clear_response(shed.clear_shed(udc.world(), from_clear_query(request.shedQuery)))


def get_load(udc: RequestContext, request: t.getLoad) -> Any:
    return to_load_response(load.get_load(udc.world(), from_load_query(request.searchQuery)))


def create_load_shed_event(udc: RequestContext, request: t.createLoadShedEvent) -> Any:
    event_id = events.create_event(udc.world(), from_event(request.shedEvent))
    return t.createLoadShedEventResponse(**OK, eventId=event_id)


def remove_load_shed_event(udc: RequestContext, request: t.removeLoadShedEvent) -> Any:
    events.remove_event(udc.world(), request.eventId)
    return t.removeLoadShedEventResponse(**OK, response="Success")
