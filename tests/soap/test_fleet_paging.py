"""getFleetUsageData pages 100 rows at a time (guide 10.5): a depot with more than 100 fleet
sessions, read with the default page and with startRecord. Found by the mutation pass: the
minimal world has too few fleet sessions for a page size to show (docs/mutation.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
import zeep

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.realism import depot_parts
from mockcp.testing import MockChargePoint
from tests.conftest import START


@pytest.fixture(scope="module")
def depot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zeep.Client]:
    stations, vehicles = depot_parts()
    world: dict[str, Any] = {
        "history_days": 30,
        "cpn_instances": [{"id": 1, "name": "USA", "description": "ChargePoint North America"}],
        "organizations": [{"org_id": "1:ORG09100", "name": "Boulder Fleet Services",
                           "company_id": "9100", "license_key": "depot" * 8,
                           "password": "depot-password"}],
        "groups": [{"id": 9100, "org": "1:ORG09100", "name": "Boulder - Fleet Depot"}],
        "stations": stations,
        "fleets": [{"org": "1:ORG09100", "name": "Boulder Fleet", "depot_group": 9100,
                    "vehicles": vehicles}],
    }
    path: Path = tmp_path_factory.mktemp("depot") / "depot.yaml"
    path.write_text(yaml.safe_dump(world), encoding="utf-8")
    settings = Settings(database_url="sqlite://", fixture=str(path))
    with MockChargePoint(settings, ManualClock(START)) as mock:
        yield mock.client()


def test_fleet_usage_pages_100_rows(depot: zeep.Client) -> None:
    first = depot.service.getFleetUsageData(searchQuery={})
    assert (first.responseCode, len(first.fleetUsageData), first.moreFlag) == ("100", 100, 1)
    assert [r.recordNumber for r in first.fleetUsageData] == list(range(1, 101))
    rest = depot.service.getFleetUsageData(searchQuery={"startRecord": 101})
    assert rest.responseCode == "100" and 0 < len(rest.fleetUsageData) < 100
    assert rest.moreFlag == 0 and rest.fleetUsageData[0].recordNumber == 101
    ids = [r.transactionID for r in first.fleetUsageData + rest.fleetUsageData]
    assert len(set(ids)) == len(ids)
    # Guide 10.5: 100 is the default "if numRecords is not specified"; a larger numRecords is
    # honoured (up to 500, domain/paging.py), so 150 returns all 143 rows on one page.
    asked = depot.service.getFleetUsageData(searchQuery={"numRecords": 150})
    assert (len(asked.fleetUsageData), asked.moreFlag) == (len(ids), 0)
    small = depot.service.getFleetUsageData(searchQuery={"numRecords": 120})
    assert (len(small.fleetUsageData), small.moreFlag) == (120, 1)
