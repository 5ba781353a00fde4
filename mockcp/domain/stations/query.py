"""The filters of the station searches (guide 7.1, 7.2, 7.6) as one query value.

Each filter is checked once (``validate``) and then applied as a predicate over the
stations of the caller's realm; filters combine with AND.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from mockcp.codes import ResponseCode
from mockcp.db.models import Organization, Port, Station, StationGroup
from mockcp.domain.identifiers import bare
from mockcp.domain.realm import check_station_id
from mockcp.domain.sessions.pricing import PricingAsk
from mockcp.domain.stations.geo import DEFAULT_PROXIMITY, DEFAULT_UNIT, PER_MILE, distance
from mockcp.domain.stations.rows import PortRow, StationRow
from mockcp.errors import CPError

LEVELS = {"1": "L1", "L1": "L1", "2": "L2", "L2": "L2", "3": "DC", "4": "DC", "DC": "DC"}
MODES = {"1": "1", "3": "3", "4": "4"}
LOCATION_FIELDS = ("address", "postal_code", "city", "state")
STATUS_CODES = {1: {"AVAILABLE"}, 2: {"INUSE"}, 3: {"UNKNOWN", "UNREACHABLE"}}


@dataclass(frozen=True, slots=True)
class StationQuery:
    """Every station-search filter of the 5.1 requests; None means not given."""

    station_id: str | None = None
    station_ids: tuple[str, ...] | None = None
    manufacturer: str | None = None
    model: str | None = None
    name: str | None = None
    serial_number: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    postal_code: str | None = None
    lat: str | None = None
    long: str | None = None
    proximity: float | None = None
    proximity_unit: str | None = None
    level: str | None = None
    mode: str | None = None
    connector: str | None = None
    voltage: str | None = None
    current: str | None = None
    power: str | None = None
    reservable: bool | None = None
    demo_serials: tuple[str, ...] | None = None
    org_id: str | None = None
    organization_name: str | None = None
    sg_id: str | None = None
    sg_name: str | None = None
    warranty_service: str | None = None
    status: int | None = None
    activated_since: datetime | None = None
    pricing: PricingAsk | None = None  # not a filter: prices each port (estimatedCost)
    company_id: str | None = None
    radio_group_id: str | None = None

    def given(self) -> dict[str, object]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


Predicate = Callable[[StationRow], bool]
PortCheck = Callable[[PortRow], bool]


def _text(value: str) -> str:
    return " ".join(value.split()).lower()


def name_matcher(pattern: str, org_names: dict[int, str]) -> Predicate:
    """Station names: ``*``/``%`` any run, ``?``/``_`` one character, case-insensitive.

    Matched against the station name and against "ORG NAME / STATION NAME".
    """
    wanted = _text(pattern)
    if any(ch in wanted for ch in "*%?_"):
        glob = wanted.replace("%", "*").replace("_", "?")
        regex = re.compile(fnmatch.translate(glob))

        def matches(candidate: str) -> bool:
            return regex.match(candidate) is not None
    else:

        def matches(candidate: str) -> bool:
            return candidate == wanted

    def predicate(station: StationRow) -> bool:
        full = _text(f"{org_names.get(station.org_pk, '')} / {station.name}")
        return matches(_text(station.name)) or matches(full)

    return predicate


def full_address(station: Any) -> str:
    s = station
    return _text(f"{s.address}, {s.city}, {s.state}, {s.postal_code}, {s.country}")


# The location columns of every station, in station order, loaded only when a search must
# geocode a location text (``locate``): most searches never touch the whole world.
Gazetteer = Callable[[], Sequence[Any]]


def no_gazetteer() -> Sequence[Any]:
    return ()


def locate(field: str, text: str, gazetteer: Sequence[Any]) -> tuple[float, float] | None:
    """Geocode a location text from the world itself: the centre of the stations it names.

    ``field`` is ``address`` (any part of the full address) or ``postal_code``, ``city``,
    ``state`` (the whole field).
    """
    wanted = _text(text)
    if field == "address":
        points = [(s.latitude, s.longitude) for s in gazetteer if wanted in full_address(s)]
    else:
        points = [
            (s.latitude, s.longitude) for s in gazetteer if _text(getattr(s, field)) == wanted
        ]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _point(query: StationQuery) -> tuple[float, float] | None:
    if query.lat is None and query.long is None:
        return None
    try:
        lat, lon = float(query.lat or ""), float(query.long or "")
    except ValueError:
        raise CPError(ResponseCode.INVALID_PARAMETERS, params="<Lat>, <Long>") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CPError(ResponseCode.INVALID_PARAMETERS, params="<Lat>, <Long>")
    return lat, lon


def geo_filter(
    query: StationQuery, gazetteer: Gazetteer
) -> tuple[Predicate | None, str | None]:
    """Stations within ``Proximity`` (default 5) ``proximityUnit`` (default M) of a point.

    The point is Lat/Long. Without Lat/Long, a search that gives a Proximity centres on its
    most precise location text (Address, postalCode, City, then State: a state-only search
    centres on the state); that field is then the centre, not a text filter, and is returned.
    Raises: 171 unknown unit or unreadable coordinates; 118 Address far from Lat/Long.
    """
    unit = (query.proximity_unit or DEFAULT_UNIT).strip().upper()
    if unit not in PER_MILE:
        raise CPError(ResponseCode.INVALID_PARAMETERS, params="<proximityUnit>")
    radius = DEFAULT_PROXIMITY if query.proximity is None else query.proximity
    point = _point(query)
    centre_field = None
    if point is not None and query.address is not None:
        located = locate("address", query.address, gazetteer())
        if located is not None and distance(*point, *located, unit) > radius:
            raise CPError(ResponseCode.ADDRESS_LATLONG_MISMATCH)
    elif point is None and query.proximity is not None:
        for field in LOCATION_FIELDS:
            text = getattr(query, field)
            located = None if text is None else locate(field, text, gazetteer())
            if located is not None:
                point, centre_field = located, field
                break
    if point is None:
        return None, None
    lat, lon = point
    return (lambda s: distance(lat, lon, s.latitude, s.longitude, unit) <= radius), centre_field


def _number(value: str, param: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise CPError(ResponseCode.INVALID_PARAMETERS, params=f"<{param}>") from None


def port_filters(query: StationQuery) -> list[Predicate]:
    """Port-level filters: a station matches when any of its ports does."""
    checks: list[PortCheck] = []
    if query.level is not None:
        levels = {LEVELS.get(v.strip().upper(), "?") for v in query.level.split(",")}
        checks.append(lambda p: p.level in levels)
    if query.mode is not None:
        modes = {MODES.get(v.strip(), "?") for v in query.mode.split(",")}
        checks.append(lambda p: p.mode in modes)
    if query.connector is not None:
        connector = _text(query.connector)
        checks.append(lambda p: _text(p.connector) == connector)
    for param, attr in (("voltage", "voltage"), ("current", "current"), ("power", "power_kw")):
        raw = getattr(query, param)
        if raw is not None:
            wanted = _number(raw, param.capitalize())
            checks.append(_port_number_is(attr, wanted))
    if query.reservable is not None:
        checks.append(lambda p: p.reservable == query.reservable)
    predicates = [_any_port(check) for check in checks]
    if query.status is not None:
        statuses = STATUS_CODES.get(query.status, set())
        predicates.append(lambda s: any(port_status(s, p) in statuses for p in s.ports))
    return predicates


def port_status(station: Station | StationRow, port: Port | PortRow) -> str:
    """AVAILABLE, INUSE, UNREACHABLE or UNKNOWN; an unreachable station's ports are UNREACHABLE."""
    return "UNREACHABLE" if station.network_status.lower() == "unreachable" else port.status


def _port_number_is(attr: str, wanted: float) -> PortCheck:
    return lambda port: abs(float(getattr(port, attr)) - wanted) < 1e-6


def _any_port(check: PortCheck) -> Predicate:
    return lambda station: any(check(port) for port in station.ports)


def _field_is(attr: str, wanted: str) -> Predicate:
    return lambda station: _text(getattr(station, attr) or "") == wanted


def station_filters(
    query: StationQuery,
    orgs: dict[int, Organization],
    memberships: dict[int, set[int]],
    groups: dict[int, StationGroup],
    gazetteer: Gazetteer = no_gazetteer,
) -> list[Predicate]:
    """All predicates of ``query`` (after ``validate``)."""
    preds: list[Predicate] = []
    text_fields = (
        ("manufacturer", "manufacturer"),
        ("model", "model"),
        ("city", "city"),
        ("state", "state"),
        ("country", "country"),
        ("postal_code", "postal_code"),
        ("warranty_service", "warranty_service"),
        ("serial_number", "serial_number"),
    )
    geo, centre_field = geo_filter(query, gazetteer)
    for param, attr in text_fields:
        raw = getattr(query, param)
        if raw is not None and param != centre_field:
            wanted = _text(raw)
            preds.append(_field_is(attr, wanted))
    if query.address is not None and centre_field != "address":
        wanted = _text(query.address)
        preds.append(lambda s: wanted in full_address(s))
    if query.name is not None:
        preds.append(name_matcher(query.name, {pk: o.name for pk, o in orgs.items()}))
    if query.station_id is not None:
        preds.append(lambda s: s.station_id == query.station_id)
    if query.station_ids is not None:
        ids = set(query.station_ids)
        preds.append(lambda s: s.station_id in ids)
    if query.demo_serials is not None:
        serials = {v.strip() for v in query.demo_serials}
        preds.append(lambda s: s.serial_number in serials or (s.demo_serial or "") in serials)
    if query.organization_name is not None:
        wanted = _text(query.organization_name)
        preds.append(lambda s: _text(orgs[s.org_pk].name) == wanted)
    if query.org_id is not None:
        preds.append(lambda s: orgs[s.org_pk].org_id == query.org_id)
    if query.sg_id is not None:
        sg = int(query.sg_id)
        preds.append(lambda s: sg in memberships.get(s.id, set()))
    if query.sg_name is not None:
        wanted = _text(query.sg_name)
        named = {g.id for g in groups.values() if _text(g.name) == wanted}
        preds.append(lambda s: bool(named & memberships.get(s.id, set())))
    if query.company_id is not None:
        wanted = _text(bare(query.company_id))  # "1:10001" or "10001"
        preds.append(lambda s: _text(bare(orgs[s.org_pk].company_id)) == wanted)
    if query.radio_group_id is not None:
        preds.append(_field_is("radio_group_id", _text(query.radio_group_id)))
    if query.activated_since is not None:
        since = query.activated_since
        preds.append(lambda s: s.activation_date is not None and s.activation_date >= since)
    if geo is not None:
        preds.append(geo)
    return preds + port_filters(query)


def validate_ids(query: StationQuery) -> StationQuery:
    """Station-ID rules: not both forms (194), each well formed (152)."""
    if query.station_id is not None and query.station_ids is not None:
        raise CPError(ResponseCode.STATION_ID_AND_IDS)
    if query.station_id is not None:
        check_station_id(query.station_id)
    for station_id in query.station_ids or ():
        check_station_id(station_id)
    return query
