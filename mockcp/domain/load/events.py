"""createLoadShedEvent and removeLoadShedEvent (guide 5.4-5.5): scheduled demand response.

An event caps every port of a station or of a group's stations from ``eventStartTime`` for
``eventDuration`` minutes: at ``allowedLoadPerPort`` kW, or at what the port is expected to
draw at the start less ``percentShedPerStation`` (the world is planned up to the start to
know it; an idle port is held at 0 kW, as for a shed). Drivers may opt out when the event
allows it (the default); their sessions then show ``driverOptedOut``. The caps are
``PowerCap`` windows tied to the event, so removing a future event removes its effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from mockcp.codes import ResponseCode
from mockcp.db.activity import LoadShedEvent, PowerCap
from mockcp.db.models import Station
from mockcp.domain.context import World
from mockcp.domain.load.current import station_loads
from mockcp.domain.load.limits import EVENT_HORIZON, MAX_EVENT_MINUTES
from mockcp.domain.load.shed import MANAGE_LOAD, Amount, cap_for, group_stations
from mockcp.domain.realm import station_with_rights
from mockcp.errors import CPError
from mockcp.sim.store.shedding import reshape_ports


@dataclass(frozen=True, slots=True)
class EventRequest:
    station_id: str | None
    sg_id: str | None
    starts_at: datetime
    minutes: int
    allow_opt_out: bool
    amount: Amount


def create_event(world: World, request: EventRequest) -> int:
    """Schedule an event; returns its ``eventId``.

    Raises: 172 neither station nor group; 187 both; 106 a start not in the future or
    beyond ``limits.EVENT_HORIZON``; 107 a duration not in 1..``MAX_EVENT_MINUTES``;
    173/174/123/130 the values; 121 a malformed sgID and the group and station codes of
    shedLoad; 202 panel sharing; 176/175 no absolute shed;
    177 above a port's rating.
    """
    db, principal, root_seed, now = world.db, world.caller, world.seed, world.now
    if not request.station_id and not request.sg_id:
        raise CPError(ResponseCode.MANDATORY_FIELDS_MISSING)
    if request.station_id and request.sg_id:
        raise CPError(ResponseCode.GROUP_AND_STATION_SHED)
    if request.starts_at <= now or request.starts_at > now + EVENT_HORIZON:
        raise CPError(ResponseCode.INVALID_FUTURE_DATE)
    if request.minutes <= 0 or request.minutes > MAX_EVENT_MINUTES:
        raise CPError(ResponseCode.INVALID_DURATION)
    amount = request.amount.check()
    realm = world.realm
    if request.sg_id:
        try:
            sg_id = int(request.sg_id.strip())
        except ValueError:
            raise CPError(ResponseCode.INVALID_STATION_GROUP_ID) from None
        stations = group_stations(db, realm, sg_id)[1]
    else:
        stations = [station_with_rights(db, realm, request.station_id or "", MANAGE_LOAD)]
    _check(stations, amount, group=bool(request.sg_id))
    world.ensure_simulated(request.starts_at)  # plans (not shows) the start's sessions
    expected = {
        p.port.id: p.kw for s in station_loads(db, stations, request.starts_at) for p in s.ports
    }
    event = LoadShedEvent(
        org_pk=principal.org_pk,
        station_pk=stations[0].id if not request.sg_id else None,
        group_id=None if not request.sg_id else int(request.sg_id),
        starts_at=request.starts_at,
        duration_min=request.minutes,
        allow_opt_out=request.allow_opt_out,
        allowed_kw_per_port=amount.allowed,
        percent_per_station=amount.percent,
    )
    db.add(event)
    db.flush()
    ends = request.starts_at + timedelta(minutes=request.minutes)
    ports = [p for s in stations for p in s.ports]
    for port in ports:
        cap = cap_for(amount, expected.get(port.id, 0.0))
        db.add(
            PowerCap(
                port_pk=port.id,
                starts_at=request.starts_at,
                ends_at=ends,
                cap_kw=cap,
                event_pk=event.id,
                kind="event",
            )
        )
    db.flush()
    reshape_ports(db, root_seed, [p.id for p in ports], now)
    return event.id


def _check(stations: list[Station], amount: Amount, group: bool) -> None:
    for station in stations:
        if station.panel_sharing:
            raise CPError(ResponseCode.PANEL_SHARING_SHED)
        if amount.allowed is None:
            continue
        if not station.supports_absolute_shed:
            raise CPError(
                ResponseCode.GROUP_ABSOLUTE_SHED_UNSUPPORTED
                if group
                else ResponseCode.STATION_ABSOLUTE_SHED_UNSUPPORTED
            )
        most = max(p.power_kw for p in station.ports)
        if amount.allowed > most:
            raise CPError(ResponseCode.ALLOWED_LOAD_TOO_HIGH, max_load=f"{most:g}")


def remove_event(world: World, event_id: int) -> None:
    """Remove a future event the caller created (guide 5.5).

    Raises: 160 no such event (or already removed); 131 another organisation's event;
    171 an event that has already started.
    """
    db, principal, root_seed, now = world.db, world.caller, world.seed, world.now
    event = db.get(LoadShedEvent, event_id)
    if event is None or event.removed:
        raise CPError(ResponseCode.NO_DATA_FOUND)
    if event.org_pk != principal.org_pk:
        raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
    if event.starts_at <= now:
        raise CPError(
            ResponseCode.INVALID_PARAMETERS, params="eventId: the event has already started"
        )
    ports = db.scalars(select(PowerCap.port_pk).where(PowerCap.event_pk == event.id)).all()
    db.execute(delete(PowerCap).where(PowerCap.event_pk == event.id))
    event.removed = True
    db.flush()
    reshape_ports(db, root_seed, ports, now)
