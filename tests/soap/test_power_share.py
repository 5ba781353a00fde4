"""Power Share on a dual-port station (1:10001, 2 x 7.2 kW on one circuit), through zeep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import zeep

from mockcp.clock import ManualClock

RATING, HALF = 7.2, 3.6


def all_sessions(client: zeep.Client, station: str) -> list[Any]:
    rows, start = [], 1
    while True:
        reply = client.service.getChargingSessionData(
            searchQuery={"stationID": station, "startRecord": start}
        )
        rows.extend(reply.ChargingSessionData)
        if reply.MoreFlag != 1:
            return rows
        start += len(reply.ChargingSessionData)


def test_two_cars_share_the_circuit_and_alarms_say_so(
    client: zeep.Client, clock: ManualClock
) -> None:
    clock.advance(timedelta(days=20))
    alarms = [
        a
        for a in client.service.getAlarms(searchQuery={"stationID": "1:10001"}).Alarms
        if a.alarmType.startswith("Circuit Sharing")
    ]
    kinds = [a.alarmType for a in alarms]
    assert kinds and kinds == [
        "Circuit Sharing Current Reduced", "Circuit Sharing Current Restored",
    ] * (len(kinds) // 2)
    sessions = all_sessions(client, "1:10001")
    checked = 0
    for reduced, restored in zip(alarms[::2], alarms[1::2], strict=True):
        lo, hi = reduced.alarmTime, restored.alarmTime
        both = [s for s in sessions if s.startTime <= lo and (s.endTime is None or s.endTime >= hi)]
        assert {s.portNumber for s in both} == {"1", "2"}, (lo, hi)
        for session in both:
            data = client.service.get15minChargingSessionData(sessionID=session.sessionID)
            for row in data.fifteenminData or []:
                if lo <= row.stationTime and row.stationTime + timedelta(minutes=15) <= hi:
                    assert row.peakPower <= HALF + 1e-6
                    checked += 1
    assert checked > 0


def test_the_station_never_draws_more_than_its_circuit(
    client: zeep.Client, clock: ManualClock
) -> None:
    seen_both = 0
    for _ in range(4 * 24 * 6):  # six days, every 15 minutes
        clock.advance(timedelta(minutes=15))
        station = client.service.getLoad(searchQuery={"stationID": "1:10001"}).stationData[0]
        loads = [float(p.portLoad) for p in station.Port]
        assert sum(loads) <= RATING + 0.001, (clock.now(), loads)
        if all(p.sessionID for p in station.Port):
            seen_both += 1
            assert max(loads) <= HALF + 0.001, (clock.now(), loads)
    assert seen_both > 0
