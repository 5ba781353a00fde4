"""getTransactionData (guide 6.3): fees of finished sessions on priced stations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import assert_code


@pytest.fixture(scope="module")
def client() -> Iterator[zeep.Client]:
    with MockChargePoint(
        Settings(database_url="sqlite://", fixture="minimal"), ManualClock(START)
    ) as mock:
        yield mock.client()


def rows(reply: object) -> list[object]:
    return list(reply.transactions.transactionData)  # type: ignore[attr-defined]


def test_transactions_price_finished_sessions_by_the_station_rule(client: zeep.Client) -> None:
    reply = client.service.getTransactionData(searchQuery={"transactionType": "Session"})
    assert_code(reply, ResponseCode.OK)
    found = [t for t in rows(reply) if t.stationID != "1:10002"]  # (time of use: below)
    assert {t.stationID for t in rows(reply)} == {"1:10001", "1:10002", "1:20002"}  # the priced
    sessions = {
        s.sessionID: s
        for s in client.service.getChargingSessionData(searchQuery={}).ChargingSessionData
    }
    for t in found:
        session = sessions[t.transactionID - 7_000_000_000]
        assert (t.startTime, t.endTime, t.Energy) == (
            session.startTime,
            session.endTime,
            session.Energy,
        )
        assert t.transactionTime == t.endTime + timedelta(seconds=7)
        if t.stationID == "1:10001":  # $1.00 a session + $0.20/kWh
            assert t.pricingRuleName == "Garage standard"
            assert t.grossAmount == round(1.0 + 0.2 * t.Energy, 2)
        else:  # $0.42/kWh + $6.00 an idle hour
            idle = (session.endTime - session.startTime).total_seconds()
            assert t.grossAmount >= round(0.42 * t.Energy, 2) and idle > 0
        assert t.flexBillingServiceFee == round(t.grossAmount * 0.1, 2)
        assert t.netRevenue == round(t.grossAmount - t.flexBillingServiceFee, 2)
        assert (t.Currency, t.exchangeRateUSD, t.taxAmount) == ("USD", 1.0, 0.0)
        assert len(t.anonymousCreditCardNumber) == 4 and t.transactionType == "Session"
    every = rows(reply)
    assert [t.recordNumber for t in every] == list(range(1, len(every) + 1))
    assert [t.transactionTime for t in every] == sorted(t.transactionTime for t in every)


def test_transactions_filters_and_paging(client: zeep.Client) -> None:
    everything = rows(client.service.getTransactionData(searchQuery={}))
    first = client.service.getTransactionData(searchQuery={"numTransactions": 5})
    assert ([t.transactionID for t in rows(first)], first.MoreFlag) == (
        [t.transactionID for t in everything[:5]],
        1,
    )
    second = client.service.getTransactionData(searchQuery={"numTransactions": 5, "startRecord": 6})
    assert [t.recordNumber for t in rows(second)] == [6, 7, 8, 9, 10]
    one = everything[3]
    by_id = client.service.getTransactionData(searchQuery={"transactionID": one.transactionID})
    assert [t.transactionID for t in rows(by_id)] == [one.transactionID]
    dc = client.service.getTransactionData(searchQuery={"pricingRuleName": "DC fast"})
    assert {t.stationID for t in rows(dc)} == {"1:20002"}
    window = {
        "fromTransactionTimeStamp": one.transactionTime,
        "toTransactionTimeStamp": one.transactionTime,
    }
    assert [
        t.transactionID for t in rows(client.service.getTransactionData(searchQuery=window))
    ] == [one.transactionID]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"fromTransactionTimeStamp": START}, ResponseCode.TRANSACTION_DATES_PAIR),
        (
            {
                "fromTransactionTimeStamp": START,
                "toTransactionTimeStamp": START - timedelta(days=1),
            },
            ResponseCode.TRANSACTION_FROM_AFTER_TO,
        ),
        ({"numTransactions": 501}, ResponseCode.TRANSACTIONS_OVER_500),
        ({"transactionType": "Reservation", "stationID": "1:10001"},  # not reservable
         ResponseCode.NO_TRANSACTION_FOUND),
        ({"stationID": "1:10003"}, ResponseCode.NO_TRANSACTION_FOUND),  # not priced
        ({"pricingRuleName": "Garage standard", "stationID": "1:20002"},
         ResponseCode.NO_TRANSACTION_FOUND),
        ({"stationID": "nope"}, ResponseCode.STATION_ID_FORMAT),
        ({"orgID": "1:ORG12345"}, ResponseCode.INVALID_ORG_ID),
    ],
)
def test_transactions_errors(
    client: zeep.Client, query: dict[str, object], code: ResponseCode
) -> None:
    reply = client.service.getTransactionData(searchQuery=query)
    assert_code(reply, code)
    assert reply.transactions is None


def test_transactions_realm() -> None:
    with MockChargePoint(
        Settings(database_url="sqlite://", fixture="minimal"), ManualClock(START)
    ) as mock:
        harbor = mock.client(mock.tenants()[1])
        found = rows(harbor.service.getTransactionData(searchQuery={}))
        assert {t.stationID for t in found} == {"1:10002", "1:20002"}  # own, and granted
        assert_code(
            harbor.service.getTransactionData(searchQuery={"stationID": "1:10001"}),
            ResponseCode.STATIONS_OUTSIDE_REALM,
        )


def test_transactions_bill_time_of_use_by_the_window_the_session_started_in(
    client: zeep.Client,
) -> None:
    """1:10002 (Denver, -07:00): "Evening peak" 16:00-20:59:59 local, $0.35/kWh at most $12;
    "Off-peak" 21:00-15:59:59 (wrapping midnight), $1/h for 2 h then $2/h, at least $0.50."""
    reply = client.service.getTransactionData(
        searchQuery={"stationID": "1:10002", "transactionType": "Session", "numTransactions": 500}
    )
    found = rows(reply)
    windows = set()
    for t in found:
        local_hour = (t.startTime - timedelta(hours=7)).hour
        hours = (t.endTime - t.startTime).total_seconds() / 3600
        if 16 <= local_hour <= 20:
            expected = ("Evening peak", min(round(0.35 * t.Energy, 2), 12.0))
        else:
            expected = ("Off-peak", max(round(min(hours, 2) + 2 * max(0, hours - 2), 2), 0.5))
        assert (t.pricingRuleName, t.grossAmount) == pytest.approx(expected, abs=0.011)
        windows.add(t.pricingRuleName)
    assert windows == {"Evening peak", "Off-peak"}
    peak = rows(
        client.service.getTransactionData(
            searchQuery={"pricingRuleName": "evening peak", "numTransactions": 500}
        )
    )
    assert {t.transactionID for t in peak} == {
        t.transactionID for t in found if t.pricingRuleName == "Evening peak"
    } | {t.transactionID for t in peak if t.transactionType != "Session"}
    assert {t.pricingRuleName for t in peak} == {"Evening peak"}
    assert [t.recordNumber for t in peak] == list(range(1, len(peak) + 1))
