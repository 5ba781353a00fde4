"""getTransactionData (guide 6.3): the fee of every finished session on a priced station.

Transactions are computed on read from the simulated sessions and the station's pricing
rule: per session + per kWh + per hour (initial then thereafter) + idle fee, clamped to the
rule's minimum and maximum. FIDELITY: the Flex Billing service fee (10 % of gross), the tax
(VAT included in the gross for EUR stations, none elsewhere), the USD exchange rates and the
card digits are mockcp's own assumptions; only ``Session`` transactions are simulated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession
from mockcp.db.models import Organization, Port, PricingRule, Station
from mockcp.domain.paging import Page, PageRequest, page_of
from mockcp.domain.principal import Principal
from mockcp.domain.realm import check_station_id, realm_of, resolve_org
from mockcp.errors import CPError
from mockcp.rng import for_entity
from mockcp.sim.engine import materialize

SERVICE_FEE_SHARE = 0.10
VAT = {"EUR": 0.21}
USD_RATE = {"USD": 1.0, "EUR": 1.08, "CAD": 0.74, "AUD": 0.66}
REPORT_DELAY = timedelta(seconds=7)


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


def _validate(query: TransactionQuery, requested: int | None) -> None:
    if (query.from_time is None) != (query.to_time is None):
        raise CPError(ResponseCode.TRANSACTION_DATES_PAIR)
    if query.from_time and query.to_time and query.from_time > query.to_time:
        raise CPError(ResponseCode.TRANSACTION_FROM_AFTER_TO)
    if query.station_id is not None:
        check_station_id(query.station_id)


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
    _validate(query, requested)
    page = PageRequest.for_operation("getTransactionData", start_record, requested)
    root_seed, now = live
    materialize(db, root_seed, now)
    realm = realm_of(db, principal)
    if query.org_id is not None:
        resolve_org(db, realm, query.org_id)
    rules = {
        r.station_pk: r for r in db.scalars(select(PricingRule).order_by(PricingRule.id.desc()))
    }
    rows = db.execute(
        select(ChargingSession, Port, Station, Organization)
        .join(Port, ChargingSession.port_pk == Port.id)
        .join(Station, Port.station_pk == Station.id)
        .join(Organization, Station.org_pk == Organization.id)
        .where(ChargingSession.end_time <= now - REPORT_DELAY)
        .order_by(ChargingSession.end_time, ChargingSession.id)
    ).all()
    if query.station_id is not None:
        owner = db.scalar(select(Station.id).where(Station.station_id == query.station_id.strip()))
        if owner is not None and owner not in realm.station_pks:
            raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
    views = [
        _view(root_seed, s, p, st, o, rules[st.id])
        for s, p, st, o in rows
        if st.id in realm.station_pks and st.id in rules
    ]
    matched = [v for v in views if _matches(v, query)]
    cut = page_of(matched, page)
    if not cut.rows:
        raise CPError(ResponseCode.NO_TRANSACTION_FOUND)
    return cut


def _view(
    root_seed: int, s: ChargingSession, p: Port, st: Station, o: Organization, rule: PricingRule
) -> TransactionView:
    gross = fee(rule, s)
    vat = VAT.get(st.currency_code, 0.0)
    digits = f"{for_entity(root_seed, 'card', s.id).randrange(10_000):04d}"
    return TransactionView(
        s.id + 7_000_000_000, s, st, p, o, rule, (s.end_time or s.start_time) + REPORT_DELAY,
        gross, round(gross * SERVICE_FEE_SHARE, 2), round(gross - gross / (1 + vat), 2), digits,
    )  # fmt: skip


def _same(value: str, wanted: str | None) -> bool:
    return wanted is None or value.strip().lower() == wanted.strip().lower()


def _matches(v: TransactionView, q: TransactionQuery) -> bool:
    if q.station_name is not None and q.station_name.strip().lower() not in v.station.name.lower():
        return False
    if (
        q.from_time is not None
        and q.to_time is not None
        and not (q.from_time <= v.time <= q.to_time)
    ):
        return False
    return (
        _same(v.station.station_id, q.station_id)
        and _same(v.station.mac_address, q.mac_address)
        and _same(v.org.org_id, q.org_id)
        and _same(v.org.name, q.organization_name)
        and _same(v.rule.name, q.pricing_rule)
        and _same("Session", q.kind)
        and (q.transaction_id is None or v.transaction_id == q.transaction_id)
        and _same(v.card_digits, q.card_digits)
    )
