"""Reservation transaction types in getTransactionData (guide 6.3), on the demo world."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import zeep
from zeep.helpers import serialize_object as serialize

from mockcp.clock import ManualClock
from mockcp.sim.model.ids import addendum_session, reservation_session
from mockcp.sim.model.reservations import ADDENDUM
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.images import fresh_world

KINDS = ("Session", "Reservation", "Reservation Cancel", "Reservation Usage Addendum")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zeep.Client]:
    with MockChargePoint(fresh_world(tmp_path_factory, "demo", START), ManualClock(START)) as mock:
        yield mock.client(mock.tenants()[0])


def every(client: zeep.Client, **query: Any) -> list[Any]:
    rows, start = [], 1
    while True:
        reply = client.service.getTransactionData(
            searchQuery={**query, "startRecord": start, "numTransactions": 500}
        )
        assert reply.responseCode == "100", reply.responseText
        page = list(reply.transactions.transactionData)
        rows.extend(page)
        if reply.MoreFlag != 1:
            return rows
        start += len(page)


def test_all_four_types_in_reporting_order(client: zeep.Client) -> None:
    rows = every(client)
    assert {r.transactionType for r in rows} == set(KINDS)
    times = [r.transactionTime for r in rows]
    assert times == sorted(times)
    assert [r.recordNumber for r in rows] == list(range(1, len(rows) + 1))
    assert len({r.transactionID for r in rows}) == len(rows)
    for kind in KINDS:
        only = every(client, transactionType=kind)
        assert only and {r.transactionType for r in only} == {kind}
        assert [r.transactionID for r in only] == [
            r.transactionID for r in rows if r.transactionType == kind
        ]


def test_a_reservation_its_addendum_and_its_session_agree(client: zeep.Client) -> None:
    reservations = every(client, transactionType="Reservation")
    checked = 0
    for reservation in reservations[:10]:
        session_id = reservation_session(reservation.transactionID)
        found = client.service.getChargingSessionData(searchQuery={"sessionID": session_id})
        if found.responseCode != "100":  # the reservation's driver drove on (port still busy)
            continue
        session = found.ChargingSessionData[0]
        addendum = client.service.getTransactionData(
            searchQuery={"transactionID": reservation.transactionID + 1}
        ).transactions.transactionData[0]
        assert addendum.transactionType == "Reservation Usage Addendum"
        assert (addendum.Energy, addendum.startTime, addendum.endTime) == (
            session.Energy, session.startTime, session.endTime,
        )
        assert reservation.startTime < reservation.endTime == session.startTime
        assert (reservation.grossAmount, addendum.grossAmount) == (1.0, 0.0)
        checked += 1
    assert checked >= 5
    cancels = every(client, transactionType="Reservation Cancel")
    assert {c.grossAmount for c in cancels} == {0.5} and all(c.Energy == 0 for c in cancels)


def test_usage_addenda_follow_their_sessions_through_a_shed_and_the_past_stays(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A shed reshapes reserved sessions: their addenda show the new energy and times, while
    every reservation reported before the shed is unchanged (and an untouched twin agrees)."""
    worlds = []
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "demo", START), clock) as mock:
        client = mock.client(mock.tenants()[0])
        every(client, transactionType="Reservation")  # plans the world through START
        mock.wsgi.world.snapshot("planned")
        for shed in (False, True):  # each pass from the same world at START (a restore)
            mock.wsgi.world.restore("planned")
            assert clock.now() == START
            before = every(client, transactionType="Reservation")
            if shed:
                for station in sorted({r.stationID for r in before}):
                    reply = client.service.shedLoad(shedQuery={
                        "shedStation": {"stationID": station, "allowedLoadPerStation": 0.5},
                        "timeInterval": 0,
                    })
                    assert reply.responseCode == "100", reply.responseText
            clock.advance(timedelta(days=4))  # (reserved sessions are rare: ~1 a day here)
            addenda = [a for a in every(client, transactionType=ADDENDUM) if a.startTime > START]
            for addendum in addenda:
                sid = addendum_session(addendum.transactionID)
                session = client.service.getChargingSessionData(
                    searchQuery={"sessionID": sid}
                ).ChargingSessionData[0]
                assert (addendum.Energy, addendum.startTime, addendum.endTime) == (
                    session.Energy, session.startTime, session.endTime,
                )
            after = every(client, transactionType="Reservation")
            assert [serialize(r) for r in after[: len(before)]] == [serialize(r) for r in before]
            worlds.append({a.transactionID: (a.Energy, a.endTime) for a in addenda})
    untouched, capped = worlds
    assert untouched and set(capped) <= set(untouched)  # a capped car may make the next drive on
    changed = [tid for tid in capped if capped[tid] != untouched[tid]]
    assert changed and all(capped[t][0] <= untouched[t][0] + 1e-6 for t in changed)
