"""Writes on another organisation's stations need a right that allows them: a grantee with
a view-only profile gets the same refusal from clearAlarms as from shedLoad (issue 17)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import zeep

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.testing import MockChargePoint
from tests.soap.test_load import expect

SUNRISE = {"orgID": "1:ORG00001", "organizationName": "Sunrise Energy Co-op"}
HARBOR = {"orgID": "1:ORG00002", "organizationName": "Harbor City Parking"}


def clear(client: zeep.Client, org: dict[str, str], station: str) -> Any:
    query = {**org, "stationID": station}
    return client.service.clearAlarms(searchQuery=query)


def alarms_of(client: zeep.Client, station: str) -> int:
    reply = client.service.getAlarms(searchQuery={"stationID": station})
    return len(reply.Alarms or []) if reply.responseCode == "100" else 0


def test_view_only_grantee_cannot_clear_alarms_as_it_cannot_shed(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    clock.advance(timedelta(days=60))
    sunrise, harbor = (mock.client(t) for t in mock.tenants())
    assert alarms_of(sunrise, "1:10002") > 0
    shed = harbor.service.shedLoad(shedQuery={
        "shedStation": {"stationID": "1:10002", "percentShedPerStation": 30},
        "timeInterval": 0})
    expect(shed, ResponseCode.STATIONS_OUTSIDE_REALM)
    expect(clear(harbor, SUNRISE, "1:10002"), ResponseCode.STATIONS_OUTSIDE_REALM)
    assert alarms_of(sunrise, "1:10002") > 0  # nothing was cleared


def test_grantee_with_load_rights_clears_the_grantors_alarms(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    clock.advance(timedelta(days=60))
    sunrise, harbor = (mock.client(t) for t in mock.tenants())
    before = alarms_of(harbor, "1:20001")
    assert before > 0
    assert clear(sunrise, HARBOR, "1:20001").responseCode == "100"
    assert alarms_of(harbor, "1:20001") == 0
