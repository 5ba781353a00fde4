"""getAlarms and clearAlarms (guide 8.1-8.2): the simulator's alarms, current and history.

The simulator writes alarms from the real vocabulary as the clock reaches them; an alarm is
*current* until clearAlarms moves it to history (``cleared_at``, ``clear_reason``), after
which getAlarms no longer lists it. Both calls reach only the caller's stations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from mockcp.codes import ResponseCode
from mockcp.db.activity import Alarm
from mockcp.db.models import Organization
from mockcp.domain.context import World
from mockcp.domain.load.shed import MANAGE_LOAD
from mockcp.domain.paging import Page, PageRequest, nonempty, page_rows
from mockcp.domain.realm import may, resolve_org
from mockcp.domain.stations.query import StationQuery, validate_ids
from mockcp.domain.stations.rows import StationRow
from mockcp.domain.stations.search import check_references, world_index
from mockcp.domain.text import same_text
from mockcp.errors import CPError


@dataclass(frozen=True, slots=True)
class AlarmQuery:
    """The filters getAlarms and clearAlarms share (guide 8.1.2, 8.2.2)."""

    stations: StationQuery
    start: datetime | None = None
    end: datetime | None = None
    port_number: str | None = None
    alarm_type: str | None = None


@dataclass(frozen=True, slots=True)
class AlarmView:
    alarm: Alarm
    station: StationRow
    org: Organization


def _matching(
    world: World, query: AlarmQuery
) -> tuple[list[StationRow], dict[int, Organization]]:
    """The caller's stations the query names. Raises: 142, 194/152/131, 158/159/178, 121/129/125."""
    if query.start and query.end and query.start > query.end:
        raise CPError(ResponseCode.START_AFTER_END)
    realm = world.realm
    check_references(world, validate_ids(query.stations), False)
    index = world_index(world)
    return index.matching(query.stations, realm), index.orgs


def _current(stations: list[StationRow], query: AlarmQuery, now: datetime):  # type: ignore[no-untyped-def]
    statement = select(Alarm).where(
        Alarm.station_pk.in_([s.id for s in stations]),
        Alarm.alarm_time <= now,
        Alarm.cleared_at.is_(None),
    )
    if query.start is not None:
        statement = statement.where(Alarm.alarm_time >= query.start)
    if query.end is not None:
        statement = statement.where(Alarm.alarm_time <= query.end)
    if query.port_number is not None:
        try:
            statement = statement.where(Alarm.port_number == int(query.port_number.strip()))
        except ValueError:
            raise CPError(ResponseCode.INVALID_PARAMETERS, params="portNumber") from None
    if query.alarm_type is not None:
        statement = statement.where(Alarm.alarm_type == query.alarm_type.strip())
    return statement


def alarms(
    world: World,
    query: AlarmQuery,
    start_record: int | None,
) -> Page[AlarmView]:
    """Current alarms of the caller's stations, oldest first, 100 a page (guide 8.1).

    Raises: the station-reference codes; 153 when there is none.
    """
    db, now = world.db, world.now
    page = PageRequest.for_operation("getAlarms", start_record, None)
    world.ensure_simulated()
    stations, orgs = _matching(world, query)
    by_pk = {s.id: s for s in stations}
    statement = _current(stations, query, now).order_by(Alarm.alarm_time, Alarm.id)
    cut = nonempty(page_rows(db, statement, page), ResponseCode.NO_ALARMS_FOUND)
    return cut.map(
        lambda row: AlarmView(
            row[0], by_pk[row[0].station_pk], orgs[by_pk[row[0].station_pk].org_pk]
        )
    )


def clear_alarms(
    world: World,
    org: tuple[str | None, str | None],
    query: AlarmQuery,
    reason: str | None,
) -> int:
    """Move the matching current alarms to history (guide 8.2); returns how many moved.

    ``org`` is the required (orgID, organizationName). Raises: 172 either missing;
    158/159/178 the orgID; 149 a name that is not that organisation's; the getAlarms
    filter codes; 153 when no current alarm matches; 131 when one of the stations with
    alarms to clear is another organisation's without a load-management right.
    """
    db, now = world.db, world.now
    org_id, org_name = org
    if not (org_id or "").strip() or not (org_name or "").strip():
        raise CPError(ResponseCode.MANDATORY_FIELDS_MISSING)
    world.ensure_simulated()
    realm = world.realm
    owner = resolve_org(db, realm, org_id or "")
    if not same_text(owner.name, org_name or ""):
        raise CPError(ResponseCode.INVALID_ORGANIZATION_DETAILS)
    stations, _ = _matching(world, query)
    stations = [s for s in stations if s.org_pk == owner.id]
    found = db.execute(
        _current(stations, query, now).with_only_columns(Alarm.id, Alarm.station_pk)
    ).all()
    if not found:
        raise CPError(ResponseCode.NO_ALARMS_FOUND)
    # A write: the same profile rule as shedLoad (a view-only grantee gets its 131).
    if not all(may(db, realm, pk, MANAGE_LOAD) for pk in {pk for _, pk in found}):
        raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
    ids = [alarm_id for alarm_id, _ in found]
    db.execute(
        update(Alarm)
        .where(Alarm.id.in_(list(ids)))
        .values(cleared_at=now, clear_reason=(reason or "").strip() or None)
    )
    db.flush()
    return len(ids)
