"""Reservations on reservable ports of priced stations: the guide's other transaction types.

Some drivers reserve the port before they come: a ``Reservation`` transaction (the
reservation fee, when it is made) and, once the session that used it is reported, a
``Reservation Usage Addendum`` (no charge; it carries the session's energy and times, and
follows the session wherever a shed or a late report moves it). Some reservations are
cancelled: a ``Reservation Cancel`` with the cancellation fee. Pure functions of the seed;
shares and fees are assumptions (FIDELITY: no public figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockcp.rng import for_entity
from mockcp.sim.model.days import local_midnight
from mockcp.sim.model.ids import cancel_id, reservation_id

RESERVED_SHARE = 0.25  # of the sessions of known drivers on a reservable port
CANCEL_PER_PORT_DAY = 0.08
RESERVATION_FEE = 1.00
CANCEL_FEE = 0.50
RESERVATION = "Reservation"
CANCEL = "Reservation Cancel"
ADDENDUM = "Reservation Usage Addendum"
# transactionIDs: sim/model/ids.py (reservation_id, addendum_id, cancel_id).


@dataclass(frozen=True, slots=True)
class ReservationEvent:
    """One stored reservation transaction: when it reached the cloud, the window it covers."""

    transaction_id: int
    kind: str
    at: datetime
    window: tuple[datetime, datetime | None]
    gross: float
    session_id: int | None


def reservation(
    root_seed: int, session_id: int, start: datetime, day_start: datetime
) -> ReservationEvent | None:
    """The reservation behind a session, if its driver reserved: made 15-60 min before the
    plug-in, never before the local day the session is planned in (so that it is planned,
    and visible, as soon as it is made)."""
    rng = for_entity(root_seed, "reservation", session_id)
    if rng.random() >= RESERVED_SHARE:
        return None
    made = max(start - timedelta(minutes=15 + 45 * rng.random()), day_start)
    made = made.replace(microsecond=0)
    return ReservationEvent(
        reservation_id(session_id), RESERVATION, made, (made, start), RESERVATION_FEE, session_id
    )


def cancellations(
    root_seed: int, port_pk: int, day: date, offset_minutes: int
) -> list[ReservationEvent]:
    """A reservation cancelled on one local day of a reservable port, if any."""
    rng = for_entity(root_seed, "reservation-cancel", port_pk, day.isoformat())
    if rng.random() >= CANCEL_PER_PORT_DAY:
        return []
    made = local_midnight(day, offset_minutes) + timedelta(hours=7 + 10 * rng.random())
    made = made.replace(microsecond=0)
    cancelled = made + timedelta(minutes=5 + int(40 * rng.random()))
    tid = cancel_id(port_pk, day)
    return [ReservationEvent(tid, CANCEL, cancelled, (made, cancelled), CANCEL_FEE, None)]
