"""shedLoad and clearShedState (guide 5.1-5.2): the rules, then caps on the ports.

One request sheds one scope: a group (each member station gets the value), a station, or
some of a station's ports. Two modes never mix on a station while a shed is in force
(179, nothing changes); a later call in the same mode overwrites. A percentage is of the
power each port drew at the **first** shed call (kept while the shed lasts), so 30 % then
50 % of 10 kW gives 7 kW then 5 kW, and a port that drew nothing is held at 0 kW.
A station-level absolute value is split evenly over the station's ports (documented).

Every shed writes the ports' ``ShedState`` and a ``PowerCap`` window from now; clearing
ends the windows now. ``sim.store.shedding.reshape_ports`` then re-runs the affected sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.activity import PowerCap, ShedState
from mockcp.db.models import Port, Station, StationGroup
from mockcp.domain.context import World
from mockcp.domain.load.current import (
    active_sheds,
    forget_ended,
    in_force,
    shed_rows,
    station_loads,
    with_ports,
)
from mockcp.domain.load.limits import MAX_SHED_MINUTES
from mockcp.domain.realm import (
    Realm,
    may,
    members_of,
    resolve_group,
    station_with_rights,
)
from mockcp.errors import CPError
from mockcp.sim.store.shedding import reshape_ports

MANAGE_LOAD = "manage_load"


@dataclass(frozen=True, slots=True)
class Amount:
    """One shed value: an absolute kW ceiling or a percentage (exactly one is set)."""

    allowed: float | None = None
    percent: float | None = None  # an integer for shedLoad, a double for events

    @property
    def given(self) -> bool:
        return self.allowed is not None or self.percent is not None

    @property
    def mode(self) -> str:
        return "allowed" if self.allowed is not None else "percent"

    def check(self) -> Amount:
        """Raises: 173 both or neither; 174 over 100 %; 123 a negative %; 130 negative kW."""
        if (self.allowed is None) == (self.percent is None):
            raise CPError(ResponseCode.ALLOWED_LOAD_OR_PERCENT)
        if self.percent is not None and self.percent > 100:
            raise CPError(ResponseCode.PERCENT_OVER_100)
        if self.percent is not None and self.percent < 0:
            raise CPError(ResponseCode.INVALID_SHED_PERCENTAGE)
        if self.allowed is not None and self.allowed < 0:
            raise CPError(ResponseCode.VALUE_NOT_POSITIVE)
        return self


@dataclass(frozen=True, slots=True)
class PortAmount:
    port_number: str
    amount: Amount


@dataclass(frozen=True, slots=True)
class ShedRequest:
    """shedLoad's query, blank placeholders already read as absent."""

    group_id: int | None = None
    station_id: str | None = None
    amount: Amount = Amount()
    ports: tuple[PortAmount, ...] | None = None
    minutes: int = 0


@dataclass(frozen=True, slots=True)
class ShedOutcome:
    """What shedLoad echoes: the scope and the values applied."""

    group_id: int | None
    station_id: str | None
    amount: Amount | None
    ports: tuple[PortAmount, ...]


def check_request(request: ShedRequest) -> ShedRequest:
    """The request-level rules, before anything is looked up.

    Raises: 172 no scope; 187 group and station; 199 station values and ports; 200 a
    station without values or ports; 183 a port without its number; 173/174/123/130 values;
    181 ports in different modes; 124 a time interval below 0 or above a year.
    """
    if request.group_id is None and request.station_id is None:
        raise CPError(ResponseCode.MANDATORY_FIELDS_MISSING)
    if request.group_id is not None and request.station_id is not None:
        raise CPError(ResponseCode.GROUP_AND_STATION_SHED)
    if request.station_id is not None:
        if request.amount.given and request.ports is not None:
            raise CPError(ResponseCode.SHED_LEVEL_AMBIGUOUS)
        if not request.amount.given and request.ports is None:
            raise CPError(ResponseCode.SHED_STATION_PARAMETER_MISSING)
    if request.ports is not None:
        if not request.ports or any(not p.port_number.strip() for p in request.ports):
            raise CPError(ResponseCode.PORT_INFO_MISSING)
        modes = {p.amount.check().mode for p in request.ports}
        if len(modes) > 1:
            raise CPError(ResponseCode.SAME_SHED_METHOD_PER_PORT)
    else:
        request.amount.check()
    if request.minutes < 0 or request.minutes > MAX_SHED_MINUTES:
        raise CPError(ResponseCode.INVALID_TIME_INTERVAL)
    return request


def shed_load(world: World, request: ShedRequest) -> ShedOutcome:
    """Apply a shed from ``now`` for ``request.minutes`` (0: until cleared)."""
    db, root_seed, now = world.db, world.seed, world.now
    check_request(request)
    realm = world.realm
    targets = _targets(db, realm, request)
    mode = request.ports[0].amount.mode if request.ports else request.amount.mode
    _check_capabilities(targets, request, mode)
    stations = [s for s, _ in targets]
    forget_ended(db, [s.id for s in stations], now)
    stored = shed_rows(db, [s.id for s in stations])  # (only this module writes them)
    sheds = in_force(stored, with_ports(db, stations), now)
    for station, _ports_of in targets:
        if any(sheds[p.id].mode != mode for p in station.ports if p.id in sheds):
            raise CPError(ResponseCode.OTHER_SHED_IN_PROGRESS)
    world.ensure_simulated()
    loads = {p.port.id: p.kw for s in station_loads(db, stations, now) for p in s.ports}
    ends = now + timedelta(minutes=request.minutes) if request.minutes else None
    scope = "group" if request.group_id is not None else "port" if request.ports else "station"
    touched = [port.id for _, ports in targets for port, _ in ports]
    _end_windows(db, touched, now)  # every target port's windows at once, before the new ones
    caps: list[dict[str, object]] = []
    for station, ports in targets:
        for port, amount in ports:
            previous = sheds.get(port.id)
            baseline = previous.baseline_kw if previous is not None else loads.get(port.id, 0.0)
            cap = cap_for(amount, baseline or 0.0, len(station.ports) if scope != "port" else 1)
            values = {
                "scope": scope,
                "mode": mode,
                "allowed_kw": amount.allowed,
                "percent": amount.percent,
                "baseline_kw": baseline,
                "cap_kw": cap,
                "started_at": previous.started_at if previous is not None else now,
                "ends_at": ends,
                "group_id": request.group_id,
            }
            row = stored.get((station.id, port.port_number))
            if row is None:
                db.add(ShedState(station_pk=station.id, port_number=port.port_number, **values))
            else:  # what merge() did, without its lookup
                for name, value in values.items():
                    setattr(row, name, value)
            caps.append({"port_pk": port.id, "starts_at": now, "ends_at": ends, "cap_kw": cap,
                         "event_pk": None, "kind": "shed"})
    db.flush()
    if caps:  # (a station without ports has none: an empty executemany is an empty INSERT)
        db.execute(insert(PowerCap), caps)  # in one statement (executemany), in port order
    reshape_ports(db, root_seed, touched, now)
    if request.ports is None:
        return ShedOutcome(request.group_id, request.station_id, request.amount, ())
    return ShedOutcome(None, request.station_id, None, _trimmed(request.ports))


def cap_for(amount: Amount, baseline: float, share: int = 1) -> float:
    """The kW ceiling of one port: the absolute value split ``share`` ways, or the
    percentage taken off the port's baseline (0 kW when it drew nothing)."""
    if amount.allowed is not None:
        return round(amount.allowed / share, 6)
    return round(baseline * (1 - (amount.percent or 0) / 100), 6)


def _end_windows(db: Session, port_pks: list[int], now: datetime) -> None:
    """End the shed windows (not events') of the ports at ``now``; the past stays."""
    shed = (PowerCap.kind == "shed") & PowerCap.port_pk.in_(port_pks)
    db.execute(delete(PowerCap).where(shed, PowerCap.starts_at >= now))
    db.execute(
        update(PowerCap)
        .where(shed, PowerCap.ends_at.is_(None) | (PowerCap.ends_at > now))
        .values(ends_at=now)
    )


Target = tuple[Station, list[tuple[Port, Amount]]]


def group_stations(db: Session, realm: Realm, sg_id: int) -> tuple[StationGroup, list[Station]]:
    """A group the caller may manage load on and its stations.

    Raises: 121/129/125 the group; 122 no station in it; 131 a station without the right.
    """
    group = resolve_group(db, realm, sg_id)
    stations = members_of(db, group.id)
    if not stations:
        raise CPError(ResponseCode.NO_STATION_IN_GROUP)
    if not all(may(db, realm, s.id, MANAGE_LOAD) for s in stations):
        raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
    with_ports(db, stations)  # their ports in one query, not one per station
    return group, stations


def _targets(db: Session, realm: Realm, request: ShedRequest) -> list[Target]:
    if request.group_id is not None:
        _, stations = group_stations(db, realm, request.group_id)
        return [(s, [(p, request.amount) for p in s.ports]) for s in stations]
    station = station_with_rights(db, realm, request.station_id or "", MANAGE_LOAD)
    if request.ports is None:
        return [(station, [(p, request.amount) for p in station.ports])]
    return [(station, _ports(station, request.ports))]


def _ports(station: Station, wanted: tuple[PortAmount, ...]) -> list[tuple[Port, Amount]]:
    """The named ports. Raises: 185 per-port shed unsupported; 186 unknown or repeated ports."""
    if not station.supports_port_shed:
        raise CPError(ResponseCode.PORT_SHED_UNSUPPORTED)
    by_number = {str(p.port_number): p for p in station.ports}
    numbers = [w.port_number.strip() for w in wanted]
    if len(set(numbers)) != len(numbers) or any(n not in by_number for n in numbers):
        raise CPError(ResponseCode.INVALID_PORT_COUNT)
    return [(by_number[n], w.amount) for n, w in zip(numbers, wanted, strict=True)]


def _check_capabilities(targets: list[Target], request: ShedRequest, mode: str) -> None:
    """Raises: 202 panel sharing; 175/176 no absolute shed; 177 above what the port can give."""
    for station, ports in targets:
        if station.panel_sharing:
            raise CPError(ResponseCode.PANEL_SHARING_SHED)
        if mode == "allowed" and not station.supports_absolute_shed:
            group = request.group_id is not None
            raise CPError(
                ResponseCode.GROUP_ABSOLUTE_SHED_UNSUPPORTED
                if group
                else ResponseCode.STATION_ABSOLUTE_SHED_UNSUPPORTED
            )
        for port, amount in ports:
            most = port.power_kw if request.ports else station.max_station_kw
            if amount.allowed is not None and amount.allowed > most:
                raise CPError(ResponseCode.ALLOWED_LOAD_TOO_HIGH, max_load=f"{most:g}")


@dataclass(frozen=True, slots=True)
class ClearOutcome:
    group_id: int | None
    station_id: str | None
    cleared: bool


def clear_shed(
    world: World, scope: tuple[int | None, str | None, tuple[str, ...] | None]
) -> ClearOutcome:
    """End the sheds of a group, a station or some of its ports at ``now`` (guide 5.2).

    ``scope`` is (sgID, stationID, port numbers). Raises: 184 neither sgID nor stationID;
    the group and station codes of shedLoad; 186 unknown ports. ``cleared`` is False when
    no shed was in force there.
    """
    db, root_seed, now = world.db, world.seed, world.now
    group_id, station_id, numbers = scope
    if group_id is None and station_id is None:
        raise CPError(ResponseCode.CLEAR_SHED_KEY_MISSING)
    realm = world.realm
    ports: list[Port] = []
    if group_id is not None:
        ports.extend(p for s in group_stations(db, realm, group_id)[1] for p in s.ports)
    if station_id is not None:
        station = station_with_rights(db, realm, station_id, MANAGE_LOAD)
        if numbers:
            ports.extend(port for port, _ in _ports(station, tuple(
                PortAmount(n, Amount()) for n in numbers
            )))
        else:
            ports.extend(station.ports)
    world.ensure_simulated()
    forget_ended(db, {p.station_pk for p in ports}, now)
    sheds = active_sheds(db, {p.station_pk for p in ports}, now)
    cleared = [p for p in ports if p.id in sheds]
    for port in cleared:  # loaded rows: deleted together at the next flush, not one by one
        db.delete(sheds[port.id])
    db.flush()
    _end_windows(db, [p.id for p in ports], now)
    reshape_ports(db, root_seed, [p.id for p in ports], now)
    return ClearOutcome(group_id, station_id, bool(cleared))


def _trimmed(ports: tuple[PortAmount, ...]) -> tuple[PortAmount, ...]:
    """Port numbers as the station knows them."""
    return tuple(replace(p, port_number=p.port_number.strip()) for p in ports)
