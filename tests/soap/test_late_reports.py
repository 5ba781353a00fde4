"""A session that ends while its station is unreachable reaches the cloud when it is back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from mockcp.clock import ManualClock
from mockcp.db.activity import Alarm, ChargingSession
from mockcp.db.models import Organization, Port, PricingRule, Station
from mockcp.sim.store.engine import materialize
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.images import fresh_world

DELAY = timedelta(seconds=7)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MockChargePoint, ManualClock]]:
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "demo", START), clock) as mock:
        with mock.app.sessions() as db:  # plan two months ahead (reads still stop at now)
            materialize(db, mock.settings.root_seed, START + timedelta(days=60))
            db.commit()
        yield mock, clock


def test_late_sessions_complete_and_bill_when_the_station_is_back(
    demo: tuple[MockChargePoint, ManualClock],
) -> None:
    mock, clock = demo
    with mock.app.sessions() as db:
        late = db.execute(
            select(ChargingSession, Station, Organization)
            .join(Port, ChargingSession.port_pk == Port.id)
            .join(Station, Port.station_pk == Station.id)
            .join(Organization, Station.org_pk == Organization.id)
            .join(PricingRule, PricingRule.station_pk == Station.id)
            .where(ChargingSession.reported_at.is_not(None), ChargingSession.start_time > START)
            .order_by(ChargingSession.start_time)
        ).first()
        assert late is not None, "the demo world has a priced session that ended offline"
        session, station, org = late
        assert session.end_time is not None and session.reported_at is not None
        back = db.scalar(
            select(Alarm.alarm_time).where(
                Alarm.station_pk == station.id,
                Alarm.alarm_type == "Reachable",
                Alarm.alarm_time == session.reported_at,
            )
        )
        down = db.scalar(
            select(Alarm.alarm_time)
            .where(Alarm.station_pk == station.id, Alarm.alarm_type == "Unreachable")
            .where(Alarm.alarm_time <= session.end_time)
            .order_by(Alarm.alarm_time.desc())
        )
    assert back == session.reported_at and down is not None and down <= session.end_time < back
    tenant = next(t for t in mock.tenants() if t.org_id == org.org_id)
    service = mock.client(tenant).service
    transaction_id = session.id + 7_000_000_000

    clock.set(session.end_time + (back - session.end_time) / 2)  # ended, not yet reported
    row = service.getChargingSessionData(searchQuery={"sessionID": session.id})
    assert row.ChargingSessionData[0].endTime is None
    active = service.getChargingSessionData(
        searchQuery={"stationID": station.station_id, "activeSessionsOnly": True}
    )
    assert session.id in [r.sessionID for r in active.ChargingSessionData]
    none = service.getTransactionData(searchQuery={"transactionID": transaction_id})
    assert none.responseCode == "201"

    clock.set(back + DELAY)  # the station is back: the session is complete and billed
    row = service.getChargingSessionData(searchQuery={"sessionID": session.id})
    assert row.ChargingSessionData[0].endTime == session.end_time
    billed = service.getTransactionData(searchQuery={"transactionID": transaction_id})
    assert billed.responseCode == "100"
    assert billed.transactions.transactionData[0].transactionTime == back + DELAY
