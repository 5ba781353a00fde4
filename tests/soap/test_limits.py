"""Bounds on a request's work (domain/load/limits.py, docs/limits.md): each refused with the
guide's code, a request at the bound served, and its work a small multiple of a plain one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import zeep
from sqlalchemy import func, select

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.db.activity import ChargingSession
from mockcp.domain.load.limits import EVENT_HORIZON, MAX_EVENT_MINUTES, MAX_SHED_MINUTES
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.soap.test_load import expect

INT32_MAX = 2**31 - 1


def event(client: zeep.Client, starts: datetime, minutes: int = 60) -> Any:
    return client.service.createLoadShedEvent(
        shedEvent={"stationID": "1:10002", "eventStartTime": starts, "eventDuration": minutes,
                   "allowedLoadPerPort": 1.0}
    )


def shed(client: zeep.Client, minutes: int) -> Any:
    return client.service.shedLoad(
        shedQuery={"shedStation": {"stationID": "1:10002", "percentShedPerStation": 30},
                   "timeInterval": minutes}
    )


@pytest.mark.parametrize(
    "ahead",
    [EVENT_HORIZON + timedelta(seconds=1), timedelta(days=365), timedelta(days=365 * 12)],
    ids=["just-beyond", "a-year", "twelve-years"],
)
def test_event_starting_beyond_the_horizon_gets_106(client: zeep.Client, ahead: timedelta) -> None:
    expect(event(client, START + ahead), ResponseCode.INVALID_FUTURE_DATE)


def test_event_starting_in_year_9999_gets_106(client: zeep.Client) -> None:
    expect(event(client, datetime(9999, 12, 31, 23, 59, 59)), ResponseCode.INVALID_FUTURE_DATE)


@pytest.mark.parametrize("minutes", [MAX_EVENT_MINUTES + 1, INT32_MAX])
def test_event_longer_than_the_bound_gets_107(client: zeep.Client, minutes: int) -> None:
    expect(event(client, START + timedelta(hours=1), minutes), ResponseCode.INVALID_DURATION)


@pytest.mark.parametrize("minutes", [MAX_SHED_MINUTES + 1, INT32_MAX])
def test_shed_longer_than_the_bound_gets_124(client: zeep.Client, minutes: int) -> None:
    expect(shed(client, minutes), ResponseCode.INVALID_TIME_INTERVAL)


def test_shed_at_the_bound_is_served(client: zeep.Client) -> None:
    assert shed(client, MAX_SHED_MINUTES).responseCode == "100"


def _latest_start(mock: MockChargePoint) -> datetime:
    with mock.wsgi.sessions() as db:
        latest = db.scalar(select(func.max(ChargingSession.start_time)))
    assert latest is not None
    return latest.replace(tzinfo=None)


def test_event_at_the_horizon_plans_no_further(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    """The world is planned through the local day of the start, no further (its work against
    a plain event's is counted in tests/soap/test_bound_work.py)."""
    reply = event(client, clock.now() + EVENT_HORIZON, MAX_EVENT_MINUTES)
    assert reply.responseCode == "100"
    assert _latest_start(mock) < (START + EVENT_HORIZON + timedelta(days=1)).replace(tzinfo=None)
