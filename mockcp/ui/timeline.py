"""The sessions of one day per port, as getChargingSessionData reports them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.domain.context import World
from mockcp.domain.principal import Principal
from mockcp.domain.sessions.charging import SessionSearch, SessionView, as_plan, search_sessions
from mockcp.domain.stations.query import StationQuery
from mockcp.domain.tenants import list_tenants
from mockcp.errors import CPError
from mockcp.ui.views import iso, principal_for


def _pages(
    db: Session, principal: Principal, live: tuple[int, datetime], search: SessionSearch
) -> list[SessionView]:
    """Every page of ``search_sessions`` (136, nothing found, is an empty list)."""
    found: list[SessionView] = []
    start = 1
    while True:
        try:
            page = search_sessions(World(db, principal, *live), search, start)
        except CPError as error:
            if error.code is ResponseCode.NO_SESSION_DATA:
                return found
            raise
        found.extend(view for _, view in page.rows)
        if not page.more:
            return found
        start = page.rows[-1][0] + 1


def _last(view: SessionView, now: datetime) -> datetime:
    """When the session was last plugged in, as far as the clock has run."""
    return view.end if view.end is not None else min(now, as_plan(view.session).end)


def _session(view: SessionView, now: datetime) -> dict[str, Any]:
    plan = as_plan(view.session)
    upto = min(now, plan.end)
    return {
        "sessionID": view.session.id,
        "start": iso(view.session.start_time),
        "chargeEnd": iso(min(plan.charge_end, upto)),
        "end": iso(view.end) if view.end is not None else None,
        "upTo": iso(upto),
        "energy": round(view.energy_kwh, 6),
        "userID": view.user_id,
        "credentialID": view.credential_id,
    }


def sessions(
    db: Session, live: tuple[int, datetime], org_id: str | None, day: date
) -> dict[str, Any]:
    """Each port's sessions plugged in at some time of ``day`` (UTC), up to the clock's now.

    Raises: LookupError for an unknown tenant.
    """
    begin = datetime.combine(day, time(0), UTC)
    # (a session plugged in the day before may still be plugged in on this day)
    search = SessionSearch(
        StationQuery(), from_time=begin - timedelta(days=1), to_time=begin + timedelta(days=1)
    )
    if org_id is not None:
        principals = [principal_for(db, org_id)]
    else:
        principals = [
            principal_for(db, t) for t in dict.fromkeys(x.org_id for x in list_tenants(db))
        ]
    ports: dict[tuple[str, str], dict[str, Any]] = {}
    seen: set[int] = set()
    for principal in principals:
        for view in _pages(db, principal, live, search):
            if view.session.id in seen or _last(view, live[1]) <= begin:
                continue
            seen.add(view.session.id)
            key = (view.station.station_id, str(view.port.port_number))
            row = ports.setdefault(
                key,
                {"stationID": key[0], "portNumber": key[1], "name": view.station.name,
                 "sessions": []},
            )
            row["sessions"].append(_session(view, live[1]))
    return {"now": iso(live[1]), "day": day.isoformat(), "ports": [ports[k] for k in sorted(ports)]}
