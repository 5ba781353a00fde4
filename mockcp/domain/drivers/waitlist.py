"""setWaitlistDone (guide 9.3): tell a waitlisted driver their session is done.

Only a session in progress on a Waitlist-enabled station qualifies. The station's policy
decides the message and what happens next: Mode I asks the driver to move the car within
the policy's timeout (charging stops now; the car leaves by then); Mode II tells the next
driver they may unplug it (charging stops and the session ends now). The notification is
returned so the request journal records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession, SimPortState
from mockcp.db.people import Driver
from mockcp.domain.context import World
from mockcp.domain.realm import station_with_rights
from mockcp.domain.sessions.charging import as_plan
from mockcp.errors import CPError
from mockcp.rng import for_entity
from mockcp.sim.model.capping import natural_points
from mockcp.sim.model.meter import energy_at, power_at
from mockcp.sim.model.plan import SessionPlan

DEFAULT_TEXT = "Your vehicle is fully charged."
MANAGE_DRIVERS = "manage_drivers"


@dataclass(frozen=True, slots=True)
class Notice:
    mode: str
    message: str


def message(mode: str, custom: str | None, timeout_min: int, waiting: int) -> str:
    """The guide's Mode I / Mode II text, with the default when no custom text is given."""
    head = (custom or "").strip() or DEFAULT_TEXT
    if mode == "II":
        return f"{head} We will tell the next person that it is ok to unplug your vehicle and " \
            "start a new session."
    return (
        f"{head} Please move your vehicle within {timeout_min} minutes. "
        f"There are {waiting} drivers waiting to charge at this station."
    )


def waitlist_done(
    world: World,
    target: tuple[str, str, str],
    custom: str | None,
) -> Notice:
    """Notify the driver charging at (stationID, portID, userID) and end the session.

    Raises: 152/103/131 the station; 171 a station without the Waitlist feature or an
    unknown port; 190 an unknown user ID; 136 no session of that driver in progress there.
    """
    db, root_seed, now = world.db, world.seed, world.now
    station_id, port_id, user_id = target
    world.ensure_simulated()
    station = station_with_rights(db, world.realm, station_id, MANAGE_DRIVERS)
    if not station.waitlist_enabled:
        raise CPError(
            ResponseCode.INVALID_PARAMETERS, params="stationID: the station has no Waitlist"
        )
    port = next((p for p in station.ports if str(p.port_number) == port_id.strip()), None)
    if port is None:
        raise CPError(ResponseCode.INVALID_PARAMETERS, params="portID")
    driver = db.scalars(select(Driver).where(Driver.user_id == user_id.strip())).first()
    if driver is None:
        raise CPError(ResponseCode.INVALID_USER_ID)
    session = db.scalars(
        select(ChargingSession).where(
            ChargingSession.port_pk == port.id,
            ChargingSession.driver_pk == driver.id,
            ChargingSession.start_time <= now,
            ChargingSession.end_time > now,
        )
    ).first()
    if session is None:
        raise CPError(ResponseCode.NO_SESSION_DATA)
    waiting = 1 + for_entity(root_seed, "waitlist", session.id).randrange(3)
    mode = station.waitlist_mode
    leaves = now if mode == "II" else now + timedelta(minutes=station.waitlist_timeout_min)
    _stop(db, session, now, min(leaves, session.end_time or leaves))
    return Notice(mode, message(mode, custom, station.waitlist_timeout_min, waiting))


def _stop(db: Session, session: ChargingSession, now: datetime, leaves: datetime) -> None:
    """Charging stops at ``now``; the car leaves at ``leaves``; the session is settled."""
    plan = as_plan(session)
    delivered = energy_at(plan, now)
    if plan.charge_end > now:
        h = (now - session.start_time).total_seconds() / 3600
        curve = _points_until(plan, h)
        session.profile = [[a, b] for a, b in curve]
        session.charging_end_time = now
        if session.energy_kwh > 0 and session.start_soc is not None and session.end_soc:
            share = delivered / session.energy_kwh
            session.end_soc = round(
                session.start_soc + (session.end_soc - session.start_soc) * share, 1
            )
        session.energy_kwh = round(delivered, 6)
    session.planned_end = session.planned_end or session.end_time
    session.end_time = leaves
    session.settled = True
    state = db.get(SimPortState, session.port_pk)
    if state is not None and state.free_at is not None and state.free_at > leaves:
        later = db.scalar(
            select(ChargingSession.id).where(
                ChargingSession.port_pk == session.port_pk,
                ChargingSession.start_time > session.start_time,
            )
        )
        if later is None:
            state.free_at = leaves
    db.flush()


def _points_until(plan: SessionPlan, hours: float) -> list[tuple[float, float]]:
    """The session's power curve cut at ``hours`` since plug-in (nothing drawn after)."""
    points = list(plan.points or natural_points(plan.power_kw, plan.flat_hours, plan.taper_hours))
    kept = [(h, kw) for h, kw in points if h < hours]
    at = plan.start + timedelta(hours=hours)
    return [*kept, (hours, power_at(plan, at - timedelta(microseconds=1)))]
