"""Paging of getUsers, getFleetVehicles and getFleetUsageData with the three client
algorithms (next = start + received, start + page size, last recordNumber + 1), on the demo
world; and the write operations of issue 6 through a client built from the real WSDL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.helpers import NEW
from tests.worlds.images import fresh_world

STEPS: dict[str, Callable[[int, int, list[Any]], int]] = {
    "start+received": lambda start, size, rows: start + len(rows),
    "start+fixed": lambda start, size, rows: start + size,
    "last+1": lambda start, size, rows: rows[-1].recordNumber + 1,
}
# operation -> (page-size element, rows of a reply, more flag of a reply)
LISTINGS: dict[str, tuple[str, Callable[[Any], list[Any]], Callable[[Any], int]]] = {
    "getUsers": ("numUsers", lambda r: list(r.users.user), lambda r: r.users.moreFlag),
    "getFleetVehicles": ("numRecords", lambda r: list(r.fleetVehicle), lambda r: r.moreFlag),
    "getFleetUsageData": ("numRecords", lambda r: list(r.fleetUsageData), lambda r: r.moreFlag),
}


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[MockChargePoint, zeep.Client]]:
    clock = ManualClock(START)
    with MockChargePoint(fresh_world(tmp_path_factory, "demo", START), clock) as mock:
        clock.advance(timedelta(days=3))
        yield mock, mock.client(mock.tenants()[0])


# A narrower base query keeps the usage rows under one full page of 100.
BASE: dict[str, dict[str, Any]] = {
    "getFleetUsageData": {"fromTimeStamp": START - timedelta(days=4)}
}


def walk(client: zeep.Client, operation: str, size: int, step: str) -> list[Any]:
    element, rows_of, more_of = LISTINGS[operation]
    found, start = [], 1
    for _ in range(1000):
        query = {**BASE.get(operation, {}), element: size, "startRecord": start}
        reply = getattr(client.service, operation)(searchQuery=query)
        assert reply.responseCode == "100", reply.responseText
        rows = rows_of(reply)
        assert 0 < len(rows) <= size
        found.extend(rows)
        if more_of(reply) != 1:
            return found
        start = STEPS[step](start, size, rows)
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("operation", sorted(LISTINGS))
@pytest.mark.parametrize("size", [1, 3])
def test_every_algorithm_sees_every_row_once(
    demo: tuple[MockChargePoint, zeep.Client], operation: str, step: str, size: int
) -> None:
    _, client = demo
    element, rows_of, _ = LISTINGS[operation]
    reply = getattr(client.service, operation)(
        searchQuery={**BASE.get(operation, {}), element: 100}
    )
    everything = rows_of(reply)
    assert len(everything) > size and LISTINGS[operation][2](reply) == 0
    paged = walk(client, operation, size, step)
    assert [r.recordNumber for r in paged] == list(range(1, len(everything) + 1))
    assert [_key(r) for r in paged] == [_key(r) for r in everything]


def _key(row: Any) -> object:
    return (
        getattr(row, "userID", None) or getattr(row, "transactionID", None) or (row.fleetVehicleID)
    )


def test_writes_through_the_reference_wsdl(
    reference_client: zeep.Client, clock: ManualClock
) -> None:
    service = reference_client.service
    added = service.addFleetVehicle(vehicle=NEW)
    assert added.responseCode == "100"
    (vehicle_id,) = added.fleetVehicleID
    assert service.updateFleetVehicle(vehicle={"fleetVehicleID": vehicle_id, "color": "Blue"}
                                      ).vehicle.color == "Blue"
    assert service.deleteFleetVehicle(fleetVehicleID=vehicle_id).responseCode == "100"
    status = service.updateUserStatus(
        userID="664720", associationType="CONNECTION", Status="REJECTED", customText="Sorry."
    )
    assert status.responseCode == "100"
    clock.set(START + timedelta(hours=2))
    done = service.setWaitlistDone(
        stationID="1:10002", portID="1", userID="664719", customMessageText="Thanks!"
    )
    assert done.responseCode == "100"
    cleared = service.clearAlarms(
        searchQuery={"orgID": "1:ORG00001", "organizationName": "Sunrise Energy Co-op"}
    )
    assert cleared.responseCode == "100"
