"""A station-level absolute shed is split evenly over the station's ports (domain/load/shed.py,
documented): getLoad shows the value asked for, each port draws at most its share. Found by
the mutation pass: no other test held the split (docs/mutation.md)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import zeep

from mockcp.clock import ManualClock
from tests.conftest import START
from tests.helpers import port_load


def busy_port(client: zeep.Client, clock: ManualClock) -> Any:
    """Move the clock in quarter hours until a port of 1:10001 (two ports) draws > 3 kW."""
    for quarter in range(4 * 48):
        clock.set(START + timedelta(minutes=15 * quarter))
        ports = [port_load(client, "1:10001", n) for n in (0, 1)]
        drawing = [p for p in ports if p.portLoad > 3]
        if drawing:
            return drawing[0]
    raise AssertionError("no session on 1:10001 in two days")


def test_allowed_load_per_station_is_split_over_its_ports(
    client: zeep.Client, clock: ManualClock
) -> None:
    port = busy_port(client, clock)
    query = {"shedStation": {"stationID": "1:10001", "allowedLoadPerStation": 5}}
    assert client.service.shedLoad(shedQuery={**query, "timeInterval": 0}).responseCode == "100"
    after = port_load(client, "1:10001", int(port.portNumber) - 1)
    assert (after.shedState, after.allowedLoad) == (1, Decimal("5.000"))
    assert after.portLoad == Decimal("2.500")  # half of 5 kW: the station has two ports


def test_allowed_load_per_port_is_not_split(client: zeep.Client, clock: ManualClock) -> None:
    port = busy_port(client, clock)
    query = {"shedStation": {"stationID": "1:10001", "Ports": {"Port": [
        {"portNumber": port.portNumber, "allowedLoadPerPort": 3}]}}, "timeInterval": 0}
    assert client.service.shedLoad(shedQuery=query).responseCode == "100"
    after = port_load(client, "1:10001", int(port.portNumber) - 1)
    assert (after.allowedLoad, after.portLoad) == (Decimal("3.000"), Decimal("3.000"))
