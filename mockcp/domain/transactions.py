"""getTransactionData (guide 6.3): the fee of every finished session on a priced station.

Transactions are computed on read from the simulated sessions and the station's pricing
rule: per session + per kWh + per hour (initial then thereafter) + idle fee, clamped to the
rule's minimum and maximum. FIDELITY: the Flex Billing service fee (10 % of gross), the tax
(VAT included in the gross for EUR stations, none elsewhere), the USD exchange rates and the
card digits are mockcp's own assumptions; only ``Session`` transactions are simulated.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession
from mockcp.db.models import Organization, Port, PricingRule, Station
from mockcp.domain.paging import Page, PageRequest, page_of, page_rows
from mockcp.domain.principal import Principal
from mockcp.domain.realm import realm_of
from mockcp.domain.station_query import StationQuery, validate_ids
from mockcp.domain.stations import check_references
from mockcp.errors import CPError
from mockcp.rng import for_entity
from mockcp.sim.engine import materialize

SERVICE_FEE_SHARE = 0.10
VAT = {"EUR": 0.21}
USD_RATE = {"USD": 1.0, "EUR": 1.08, "CAD": 0.74, "AUD": 0.66}
REPORT_DELAY = timedelta(seconds=7)
ID_OFFSET = 7_000_000_000  # transactionID = sessionID + ID_OFFSET
# When a finished session reached the cloud: its end, or later if its station was unreachable.
REPORTED = func.coalesce(ChargingSession.reported_at, ChargingSession.end_time)


def reported(session: ChargingSession) -> datetime:
    return session.reported_at or session.end_time or session.start_time


Rows = Select[ChargingSession, Station, Port, Organization]


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
    session: ChargingSession
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


def fee(rule: PricingRule, session: ChargingSession) -> float:
    """The gross fee of one finished session under ``rule``."""
    end = session.end_time or session.start_time
    connected = (end - session.start_time).total_seconds() / 3600
    charge_end = session.charging_end_time or end
    idle = max(0.0, (end - charge_end).total_seconds() / 3600)
    first = (rule.initial_duration_min or 0) / 60
    amount = (rule.per_session or 0) + (rule.per_kwh or 0) * session.energy_kwh
    if rule.per_hour and first and rule.per_hour_thereafter is not None:
        amount += rule.per_hour * min(connected, first)
        amount += rule.per_hour_thereafter * max(0.0, connected - first)
    elif rule.per_hour:
        amount += rule.per_hour * connected
    amount += (rule.idle_fee_per_hour or 0) * idle
    if rule.min_price is not None:
        amount = max(amount, rule.min_price)
    if rule.max_price is not None:
        amount = min(amount, rule.max_price)
    return round(amount, 2)


def _validate(query: TransactionQuery) -> None:
    if (query.from_time is None) != (query.to_time is None):
        raise CPError(ResponseCode.TRANSACTION_DATES_PAIR)
    if query.from_time and query.to_time and query.from_time > query.to_time:
        raise CPError(ResponseCode.TRANSACTION_FROM_AFTER_TO)


def transactions(
    db: Session,
    principal: Principal,
    live: tuple[int, datetime],
    query: TransactionQuery,
    start_record: int | None,
    requested: int | None,
) -> Page[TransactionView]:
    """Transactions of finished sessions on priced stations in the realm, oldest first.

    Raises: 197 only one of the dates; 196 from after to; 198 more than 500 asked; 152
    malformed station ID; 158/159/178 orgID; 131 station outside the realm; 201 none found.
    """
    _validate(query)
    page = PageRequest.for_operation("getTransactionData", start_record, requested)
    root_seed, now = live
    materialize(db, root_seed, now)
    realm = realm_of(db, principal)
    named = StationQuery(station_id=query.station_id, org_id=query.org_id)
    check_references(db, realm, validate_ids(named), public=False)
    rules = {
        r.station_pk: r for r in db.scalars(select(PricingRule).order_by(PricingRule.id.desc()))
    }
    statement = _statement(query, _stations(db, realm.station_pks, rules, query), now)
    if not _same("Session", query.kind):  # only sessions are simulated
        statement = statement.where(false())

    def convert(row: Any) -> TransactionView:
        session, station, port, org = row
        return _view(root_seed, session, station, port, org, rules[station.id])

    if query.card_digits is None:
        cut = page_rows(db, statement, page).map(convert)
    else:  # card digits are derived per transaction: filter them here
        views = [convert(r) for r in db.execute(statement)]
        cut = page_of([v for v in views if _same(v.card_digits, query.card_digits)], page)
    if not cut.rows:
        raise CPError(ResponseCode.NO_TRANSACTION_FOUND)
    return cut


def _stations(
    db: Session, realm: AbstractSet[int], rules: dict[int, PricingRule], q: TransactionQuery
) -> list[int]:
    """The priced stations of the realm that pass the station-level filters (few: in Python)."""
    candidates = [pk for pk in realm if pk in rules and _same(rules[pk].name, q.pricing_rule)]
    rows = db.execute(
        select(Station, Organization)
        .join(Organization, Station.org_pk == Organization.id)
        .where(Station.id.in_(candidates))
    )
    return [
        station.id
        for station, org in rows
        if (q.station_name is None or q.station_name.strip().lower() in station.name.lower())
        and _same(station.station_id, q.station_id)
        and _same(station.mac_address, q.mac_address)
        and _same(org.org_id, q.org_id)
        and _same(org.name, q.organization_name)
    ]


def _statement(q: TransactionQuery, stations: list[int], now: datetime) -> Rows:
    """Finished, reported sessions on ``stations`` in transaction-time order."""
    statement = (
        select(ChargingSession, Station, Port, Organization)
        .join(Port, ChargingSession.port_pk == Port.id)
        .join(Station, Port.station_pk == Station.id)
        .join(Organization, Station.org_pk == Organization.id)
        .where(Station.id.in_(stations), now - REPORT_DELAY >= REPORTED)
        .order_by(REPORTED, ChargingSession.id)
    )
    if q.from_time is not None and q.to_time is not None:
        statement = statement.where(
            q.from_time - REPORT_DELAY <= REPORTED, q.to_time - REPORT_DELAY >= REPORTED
        )
    if q.transaction_id is not None:
        statement = statement.where(ChargingSession.id == q.transaction_id - ID_OFFSET)
    return statement


def _view(
    root_seed: int, s: ChargingSession, st: Station, p: Port, o: Organization, rule: PricingRule
) -> TransactionView:
    gross = fee(rule, s)
    vat = VAT.get(st.currency_code, 0.0)
    digits = f"{for_entity(root_seed, 'card', s.id).randrange(10_000):04d}"
    return TransactionView(
        s.id + ID_OFFSET, s, st, p, o, rule, reported(s) + REPORT_DELAY,
        gross, round(gross * SERVICE_FEE_SHARE, 2), round(gross - gross / (1 + vat), 2), digits,
    )  # fmt: skip


def _same(value: str, wanted: str | None) -> bool:
    """Whether a filter is absent or equals ``value`` (trimmed, case-insensitive)."""
    return wanted is None or value.strip().lower() == wanted.strip().lower()
