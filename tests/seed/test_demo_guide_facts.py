"""The demo world partners see holds what the guide's operations show (issue 11).

Read from the store (no simulation needed): Waitlist stations (guide 9.3 setWaitlistDone),
drivers of a home program (9.1.3 homeStationDetails), station values in the guide's
vocabulary (7.1.3-7.1.5) and Mode on EU ports only (7.1.3: "for EU Stations only ...
used instead of Level").
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.clock import ManualClock
from mockcp.db.models import Organization, Port, Station
from mockcp.db.people import Driver
from mockcp.domain.stations.facts import (
    LTE_RSRP,
    NEEDS_VALIDATED_SITE,
    WARRANTY_SERVICES,
    WIFI_RSSI,
    has_modem,
)
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.seed.test_world import loaded
from tests.worlds.images import fresh_world


@pytest.fixture(scope="module")
def demo() -> Iterator[Session]:
    db = loaded("demo")
    yield db
    db.close()


def test_guide_9_3_every_demo_organisation_runs_a_waitlist_station(demo: Session) -> None:
    waitlisted = demo.scalars(select(Station).where(Station.waitlist_enabled)).all()
    orgs = demo.scalars(select(Organization.id)).all()
    assert {s.org_pk for s in waitlisted} == set(orgs)
    assert {s.waitlist_mode for s in waitlisted} == {"I", "II"}  # guide 9.3 Mode I and II


def test_guide_9_1_3_some_drivers_have_a_home_station_of_their_organisation(demo: Session) -> None:
    stations = {s.id: s for s in demo.scalars(select(Station))}
    drivers = demo.scalars(select(Driver)).all()
    with_home = [d for d in drivers if d.home_station_pk is not None]
    assert 0 < len(with_home) < len(drivers)
    for driver in with_home:
        home = stations[driver.home_station_pk]
        assert home.model == "CPH50" and not home.is_public and home.site_type == "home"


def test_guide_9_1_3_getUsers_shows_the_home_station_details(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    settings = fresh_world(tmp_path_factory, "demo", START)
    with MockChargePoint(settings, ManualClock(START)) as mock:
        users = mock.client(mock.tenants()[0]).service.getUsers(searchQuery={}).users.user
    homes = [u.homeStationDetails for u in users if u.homeStationDetails is not None]
    assert len(homes) == 3  # drivers 4, 8 and 12 of the organisation
    assert {home.stationModelNumber for home in homes} == {"CPH50"}
    assert all(len(home.stationSerialNumber) == 12 for home in homes)


def test_guide_7_1_demo_station_values_in_the_guide_vocabulary(demo: Session) -> None:
    for station in demo.scalars(select(Station)):
        assert station.warranty_service in WARRANTY_SERVICES
        if station.warranty_service in NEEDS_VALIDATED_SITE:
            assert station.site_validated and station.site_validation_date is not None
        low, high = LTE_RSRP if has_modem(station.model) else WIFI_RSSI
        assert station.reception is not None and low <= station.reception <= high <= 0
        assert (station.wan_ip is not None) == has_modem(station.model)
        assert station.radio_group_id is None or station.radio_group_id.isdigit()
    warranties = set(demo.scalars(select(Station.warranty_service)))
    assert len(warranties) >= 5


def test_guide_7_1_3_mode_on_eu_ports_level_elsewhere(demo: Session) -> None:
    rows = demo.execute(select(Port, Station.cpn_id).join(Station)).all()
    assert {cpn for _, cpn in rows} == {1, 2, 4}
    for port, cpn in rows:
        if cpn == 2:  # "Note: This parameter is for EU Stations only"
            assert port.mode in {"1", "3", "4"} and port.level is None
        else:
            assert port.mode is None and port.level in {"L1", "L2", "DC"}
