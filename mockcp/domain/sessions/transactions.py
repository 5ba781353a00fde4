"""getTransactionData (guide 6.3): the money of the priced stations, as it reaches ChargePoint.

Four transaction types. ``Session``: the fee of every finished session, computed on read
from the session and the pricing window it started in (``domain.pricing``: per session +
per kWh + per hour, first hours then thereafter, + idle fee, clamped to the window's minimum
and maximum). ``Reservation`` and ``Reservation Cancel``: stored by the simulator
(``sim.reservations``) with their fees. ``Reservation Usage Addendum``: computed from the
reserved session it ties to its reservation (its energy and times, no charge). Rows come in
the order they were reported (transactionTime), then by transactionID.

FIDELITY: the Flex Billing service fee (10 % of gross), the tax (VAT included in the gross
for EUR stations, none elsewhere), the USD exchange rates, the card digits and the
reservation shares and fees are mockcp's own assumptions.
"""

from __future__ import annotations

import heapq
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession, Transaction
from mockcp.db.models import Organization, Port, PricingRule, Station
from mockcp.domain.context import World
from mockcp.domain.paging import Page, PageRequest, nonempty, page_of
from mockcp.domain.sessions.plan_choice import session_port, walks_in_time_order
from mockcp.domain.sessions.pricing import Policies, billed, policies, rule_at
from mockcp.domain.stations.query import StationQuery, validate_ids
from mockcp.domain.stations.search import check_references
from mockcp.domain.text import has_text, same_text
from mockcp.errors import CPError
from mockcp.rng import for_entity
from mockcp.sim.model.ids import (
    ADDENDUM_BASE,
    TRANSACTION_OFFSET,
    addendum_session,
    transaction_session,
)
from mockcp.sim.model.reservations import ADDENDUM

SERVICE_FEE_SHARE = 0.10
VAT = {"EUR": 0.21}
USD_RATE = {"USD": 1.0, "EUR": 1.08, "CAD": 0.74, "AUD": 0.66}
REPORT_DELAY = timedelta(seconds=7)
SESSION = "Session"
# When a finished session reached the cloud: its end, or later if its station was unreachable.
REPORTED = func.coalesce(ChargingSession.reported_at, ChargingSession.end_time)


def reported(session: ChargingSession) -> datetime:
    return session.reported_at or session.end_time or session.start_time


@dataclass(frozen=True, slots=True)
class TransactionQuery:
    station_id: str | None = None
    station_name: str | None = None
    mac_address: str | None = None
    org_id: str | None = None
    organization_name: str | None = None
    pricing_rule: str | None = None
    kind: str | None = None
    transaction_id: int | None = None
    from_time: datetime | None = None
    to_time: datetime | None = None
    card_digits: str | None = None


@dataclass(frozen=True, slots=True)
class TransactionView:
    transaction_id: int
    kind: str
    energy: float
    start: datetime
    end: datetime | None
    station: Station
    port: Port
    org: Organization
    rule: PricingRule
    time: datetime
    gross: float
    service_fee: float
    tax: float
    card_digits: str

    @property
    def net_revenue(self) -> float:
        return round(self.gross - self.service_fee, 2)

    @property
    def net_amount(self) -> float:
        return round(self.gross - self.tax, 2)

    @property
    def usd_rate(self) -> float:
        return USD_RATE.get(self.station.currency_code, 1.0)


def _validate(query: TransactionQuery) -> None:
    if (query.from_time is None) != (query.to_time is None):
        raise CPError(ResponseCode.TRANSACTION_DATES_PAIR)
    if query.from_time and query.to_time and query.from_time > query.to_time:
        raise CPError(ResponseCode.TRANSACTION_FROM_AFTER_TO)


def transactions(
    world: World,
    query: TransactionQuery,
    start_record: int | None,
    requested: int | None,
) -> Page[TransactionView]:
    """Transactions of the priced stations in the realm, in the order they were reported.

    Raises: 197 only one of the dates; 196 from after to; 198 more than 500 asked; 152
    malformed station ID; 158/159/178 orgID; 131 station outside the realm; 201 none found.
    """
    db, root_seed, now = world.db, world.seed, world.now
    _validate(query)
    page = PageRequest.for_operation("getTransactionData", start_record, requested)
    world.ensure_simulated()
    realm = world.realm
    named = StationQuery(station_id=query.station_id, org_id=query.org_id)
    check_references(world, validate_ids(named), public=False)
    rules = policies(db, realm.station_pks)
    ports = list(db.scalars(select(Port.id).where(Port.station_pk.in_(
        _stations(db, realm.station_pks, rules, query)))))
    sources = _branches(query, ports, now, walks_in_time_order(db, ports))
    if query.card_digits is None and query.pricing_rule is None:
        first = page.start_record - 1
        rows = _merged(db, sources, first + page.size + 1)
        views = _hydrate(db, root_seed, rows[first : first + page.size], rules)
        cut = Page(tuple(enumerate(views, start=first + 1)), len(rows) > first + page.size)
    else:  # the card digits and the window used are derived per transaction: filter here
        every = _hydrate(db, root_seed, _merged(db, sources, None), rules)
        cut = page_of([v for v in every if _wanted(v, query)], page)
    return nonempty(cut, ResponseCode.NO_TRANSACTION_FOUND)


def _wanted(view: TransactionView, q: TransactionQuery) -> bool:
    return same_text(view.card_digits, q.card_digits) and same_text(view.rule.name, q.pricing_rule)


def _stations(db: Session, realm: AbstractSet[int], rules: Policies, q: TransactionQuery) -> list[
    int
]:
    """The priced stations of the realm that pass the station-level filters (few: in Python)."""
    candidates = [
        pk
        for pk in realm
        if pk in rules and any(same_text(r.name, q.pricing_rule) for r in rules[pk])
    ]
    rows = db.execute(
        select(Station, Organization)
        .join(Organization, Station.org_pk == Organization.id)
        .where(Station.id.in_(candidates))
    )
    return [
        station.id
        for station, org in rows
        if (q.station_name is None or has_text(station.name, q.station_name))
        and same_text(station.station_id, q.station_id)
        and same_text(station.mac_address, q.mac_address)
        and same_text(org.org_id, q.org_id)
        and same_text(org.name, q.organization_name)
    ]


def _branches(
    q: TransactionQuery, ports: list[int], now: datetime, walk: bool
) -> list[Select[Any]]:
    """(kind, transactionID, reported) selects, one a source, each in reporting order: the
    session transactions and usage addenda computed from the sessions, the stored
    reservations. With ``walk`` the sessions are read along their (reported, id) index
    (``domain/sessions/plan_choice.py``)."""
    lo, hi = None, now - REPORT_DELAY
    if q.from_time is not None and q.to_time is not None:
        lo, hi = q.from_time - REPORT_DELAY, min(hi, q.to_time - REPORT_DELAY)
    sources: list[Select[Any]] = []
    if q.kind is None or same_text(SESSION, q.kind):
        ids = ChargingSession.id + TRANSACTION_OFFSET
        sources.append(_computed(SESSION, ids, ports, lo, hi, walk))
        if q.transaction_id is not None:
            own = transaction_session(q.transaction_id)
            sources[-1] = sources[-1].where(ChargingSession.id == own)
    if q.kind is None or same_text(ADDENDUM, q.kind):
        addenda = _computed(ADDENDUM, ChargingSession.id * 2 + ADDENDUM_BASE, ports, lo, hi, walk)
        if q.transaction_id is not None:
            reserved = addendum_session(q.transaction_id)
            addenda = addenda.where(ChargingSession.id == (reserved if reserved else -1))
        sources.append(addenda.where(ChargingSession.reserved))
    booked = (
        select(Transaction.kind.label("kind"), Transaction.id.label("tid"),
               Transaction.reported_at.label("at"))
        .where(Transaction.port_pk.in_(ports), Transaction.reported_at <= hi)
        .order_by(Transaction.reported_at, Transaction.id)
    )
    if lo is not None:
        booked = booked.where(Transaction.reported_at >= lo)
    if q.transaction_id is not None:
        booked = booked.where(Transaction.id == q.transaction_id)
    if q.kind is not None:
        booked = booked.where(func.lower(Transaction.kind) == q.kind.strip().lower())
    return [*sources, booked]


def _computed(
    kind: str, ids: Any, ports: list[int], lo: datetime | None, hi: datetime, walk: bool
) -> Select[Any]:
    """Transactions computed from the finished, reported sessions on ``ports``."""
    statement = (
        select(literal(kind).label("kind"), ids.label("tid"), REPORTED.label("at"))
        .where(session_port(walk).in_(ports), hi >= REPORTED)
        .order_by(REPORTED, ChargingSession.id)
    )
    return statement if lo is None else statement.where(lo <= REPORTED)


def _merged(db: Session, sources: list[Select[Any]], limit: int | None) -> list[Any]:
    """The rows of every source, merged in (reported, transactionID) order, ``limit`` at most
    (each source is read no further than that)."""
    streams = [
        db.execute(source if limit is None else source.limit(limit)).all() for source in sources
    ]
    merged = heapq.merge(*streams, key=lambda row: (row.at, row.tid))
    return list(merged if limit is None else islice(merged, limit))


def _hydrate(db: Session, root_seed: int, rows: list[Any], rules: Policies) -> list[
    TransactionView
]:
    """The views of (kind, transactionID, reported) rows, in their order."""
    stored = [r.tid for r in rows if r.kind not in (SESSION, ADDENDUM)]
    wanted = [_session_of(r.kind, r.tid) for r in rows if r.kind in (SESSION, ADDENDUM)]
    sessions = {
        s.id: s for s in db.scalars(select(ChargingSession).where(ChargingSession.id.in_(wanted)))
    }
    booked = {t.id: t for t in db.scalars(select(Transaction).where(Transaction.id.in_(stored)))}
    ports = {s.port_pk for s in sessions.values()} | {t.port_pk for t in booked.values()}
    places = {
        p.id: (p, st, o)
        for p, st, o in db.execute(
            select(Port, Station, Organization)
            .join(Station, Port.station_pk == Station.id)
            .join(Organization, Station.org_pk == Organization.id)
            .where(Port.id.in_(ports))
        )
    }
    views = []
    for row in rows:
        if row.kind in (SESSION, ADDENDUM):
            s = sessions[_session_of(row.kind, row.tid)]
            views.append(_view(root_seed, row.kind, row.tid, s, places[s.port_pk], rules))
        else:
            views.append(_booking(root_seed, booked[row.tid], places[booked[row.tid].port_pk],
                                  rules))
    return views


def _session_of(kind: str, tid: int) -> int:
    return (addendum_session(tid) or 0) if kind == ADDENDUM else transaction_session(tid)


Place = tuple[Port, Station, Organization]


def _booking(root_seed: int, t: Transaction, place: Place, rules: Policies) -> TransactionView:
    """A stored reservation or cancellation, billed under the window it was made in."""
    port, station, org = place
    rule = rule_at(rules[station.id], station, t.window_start)
    card = t.session_pk if t.session_pk is not None else t.id  # the reserving driver's card
    return _money(
        root_seed, card, t.id, t.kind, 0.0, (t.window_start, t.window_end), place, rule,
        t.reported_at + REPORT_DELAY, t.gross_amount,
    )


def _view(
    root_seed: int, kind: str, tid: int, s: ChargingSession, place: Place, rules: Policies
) -> TransactionView:
    """A session's own transaction, or (no charge) the usage addendum of its reservation."""
    rule, gross = billed(rules[place[1].id], place[1], s)
    return _money(
        root_seed, s.id, tid, kind, s.energy_kwh, (s.start_time, s.end_time), place, rule,
        reported(s) + REPORT_DELAY, gross if kind == SESSION else 0.0,
    )


def _money(
    root_seed: int,
    card: int,
    tid: int,
    kind: str,
    energy: float,
    window: tuple[datetime, datetime | None],
    place: Place,
    rule: PricingRule,
    time: datetime,
    gross: float,
) -> TransactionView:
    port, station, org = place
    vat = VAT.get(station.currency_code, 0.0)
    digits = f"{for_entity(root_seed, 'card', card).randrange(10_000):04d}"
    return TransactionView(
        tid, kind, energy, window[0], window[1], station, port, org, rule, time, gross,
        round(gross * SERVICE_FEE_SHARE, 2), round(gross - gross / (1 + vat), 2), digits,
    )


