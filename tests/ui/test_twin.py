"""The live load view's untouched twin (/_mock/ui/api/load) on the minimal world.

The twin is checked against the one thing it claims to be: the same seed's world, asked at
the same simulated time, where nobody shed. The capped load beside it is checked against
getLoad and the 15-minute meter data the API answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from mockcp.clock import ManualClock, bucket_start
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.helpers import CHARGING

ORG, STATION, GROUP = "1:ORG00001", "1:10002", 1001
FLAT_KW = 7.2  # what the car on 1:10002 draws from 19:00 to about 20:05 uncapped


@contextmanager
def world(at: datetime) -> Iterator[tuple[MockChargePoint, ManualClock]]:
    clock = ManualClock(at)
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"), clock) as mock:
        yield mock, clock


def load(mock: MockChargePoint, target: str) -> Any:
    reply = Client(mock.wsgi).get(f"/_mock/ui/api/load?org={ORG}&{target}")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_json()


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def meter_by_interval(service: Any, begin: datetime, now: datetime) -> dict[str, Decimal]:
    """The station's energy per 15-minute interval, from get15minChargingSessionData of every
    session getChargingSessionData lists and the one getLoad shows plugged in (cumulative
    readings, differenced)."""
    found = service.getChargingSessionData(
        searchQuery={"stationID": STATION, "fromTimeStamp": begin - timedelta(days=1),
                     "toTimeStamp": now}
    )
    ports = service.getLoad(searchQuery={"stationID": STATION}).stationData[0].Port
    sessions = {s.sessionID for s in found.ChargingSessionData or []}
    sessions |= {p.sessionID for p in ports if p.sessionID}
    totals: dict[str, Decimal] = {}
    for session_id in sorted(sessions):
        data = service.get15minChargingSessionData(sessionID=session_id)
        previous = Decimal(0)
        for row in data.fifteenminData:
            key = bucket_start(row.stationTime).strftime("%Y-%m-%dT%H:%M:%SZ")
            energy = Decimal(str(row.energyConsumed))
            totals[key] = totals.get(key, Decimal(0)) + energy - previous
            previous = energy
    return totals


@pytest.mark.parametrize("target", [f"station={STATION}", f"sg={GROUP}"])
def test_with_no_shed_the_twin_is_the_load(target: str) -> None:
    with world(CHARGING + timedelta(hours=1)) as (mock, _):
        page = load(mock, target)
    assert sum(p["kw"] > 0 for p in page["series"]) >= 4  # (not a chart of zeros)
    assert [p["twinKw"] for p in page["series"]] == [p["kw"] for p in page["series"]]
    assert [i["twinKwh"] for i in page["intervals"]] == [i["kwh"] for i in page["intervals"]]
    assert page["notDrawnKwh"] == 0


@settings(max_examples=3, deadline=None)
@given(
    cap=st.sampled_from([0.0, 1.5, 3.0, 5.0]),
    minutes=st.sampled_from([15, 30, 45, 60]),
    after=st.integers(0, 150),
)
def test_after_a_shed_the_twin_is_the_world_nobody_shed(
    cap: float, minutes: int, after: int
) -> None:
    now = CHARGING + timedelta(minutes=minutes + after)
    with world(CHARGING) as (mock, clock), world(now) as (plain, _):
        service = mock.client(mock.tenants()[0]).service
        shed = {"shedStation": {"stationID": STATION, "allowedLoadPerStation": cap},
                "timeInterval": minutes}
        assert service.shedLoad(shedQuery=shed).responseCode == "100"
        clock.set(now)
        page, untouched = load(mock, f"station={STATION}"), load(plain, f"station={STATION}")
        api = service.getLoad(searchQuery={"stationID": STATION}).stationData[0]
        begin = when(page["intervals"][0]["start"])
        meter = meter_by_interval(service, begin, now)
    # The twin is the same seed's world where nobody shed, asked at the same time.
    assert [p["twinKw"] for p in page["series"]] == [p["kw"] for p in untouched["series"]]
    assert [i["twinKwh"] for i in page["intervals"]] == [i["kwh"] for i in untouched["intervals"]]
    # The capped load is the API's: getLoad now, the 15-minute meter data before.
    assert Decimal(str(page["kw"])) == Decimal(api.stationLoad)
    for interval in page["intervals"]:
        expected = meter.get(interval["start"], Decimal(0))
        assert interval["kwh"] == pytest.approx(float(expected), abs=2e-6), interval
    # Before the shed they are one curve; in it the twin draws the car's 7.2 kW, the load the cap.
    ends = CHARGING + timedelta(minutes=minutes)
    for point in page["series"]:
        at = when(point["t"])
        if at < CHARGING:
            assert point["twinKw"] == point["kw"], point
        elif at < ends:
            assert (point["twinKw"], point["kw"]) == (FLAT_KW, cap), point
    during = [i for i in page["intervals"] if CHARGING <= when(i["start"]) < ends]
    assert sum(i["twinKwh"] - i["kwh"] for i in during) == pytest.approx(
        (FLAT_KW - cap) * minutes / 60, abs=1e-5
    )
    # The energy not drawn is the integral of the difference over the intervals shown.
    difference = sum(i["twinKwh"] - i["kwh"] for i in page["intervals"])
    assert page["notDrawnKwh"] == pytest.approx(difference, abs=1e-5)
