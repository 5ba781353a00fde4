"""The realm cache (domain/realm_cache.py): a hit computes nothing, a layout written by another
process is seen on the very next request (issue 18).

Two apps on one SQLite file stand for two server processes. The loader records the layout
stamp (db/layout_stamp.py); whoever rewrites ownership, groups, memberships or grants must
record it again, and every other process then computes the realm afresh.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select
from werkzeug.test import Client

from mockcp.app import MockChargePointApp, create_app
from mockcp.config import Settings
from mockcp.db.activity import WorldMeta
from mockcp.db.layout_stamp import LAYOUT_KEY, layout_digest, read_layout_stamp, record_layout
from mockcp.db.models import Organization, RightsGrant, Station
from mockcp.domain import realm_cache
from mockcp.domain.realm import Realm
from mockcp.domain.tenants import Tenant, list_tenants
from tests.conftest import START
from tests.soap.envelopes import SOAP_PATH, guide_style


def open_app(db_file: Path) -> MockChargePointApp:
    return create_app(
        Settings(
            database_url=f"sqlite:///{db_file}", fixture="minimal", clock_mode="frozen",
            clock_start=START,
        )  # fmt: skip
    )


@pytest.fixture
def pair(tmp_path: Path) -> tuple[MockChargePointApp, MockChargePointApp]:
    db_file = tmp_path / "shared.sqlite3"
    return open_app(db_file), open_app(db_file)


class CountingRealm:
    """``realm_of``, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.original = realm_cache.realm_of

    def __call__(self, *args: object) -> Realm:
        self.calls += 1
        return self.original(*args)  # type: ignore[arg-type]


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> CountingRealm:
    """A fresh process-wide cache (other tests may have filled it) and a counted realm_of."""
    counting = CountingRealm()
    monkeypatch.setattr(realm_cache, "REALMS", realm_cache.RealmCache())
    monkeypatch.setattr(realm_cache, "realm_of", counting)
    return counting


def tenants(app: MockChargePointApp) -> list[Tenant]:
    """The minimal world's tenants, the second organisation (which sees three of the five
    stations: its own two and one granted) first."""
    with app.sessions() as db:
        return sorted(list_tenants(db), key=lambda t: t.org_id != "1:ORG00002")


def station_ids(app: MockChargePointApp, tenant: Tenant) -> list[str]:
    """The station IDs getStations answers to ``tenant`` (asserting the call succeeded)."""
    body = "<urn:getStations><searchQuery/></urn:getStations>"
    reply = Client(app).post(SOAP_PATH, data=guide_style(tenant.license_key, tenant.password, body))
    data = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "<responseCode>100</responseCode>" in data, data[:400]
    return [part.split("</stationID>")[0] for part in data.split("<stationID>")[1:]]


def grant_foreign_station(
    app: MockChargePointApp, tenant: Tenant, seen: list[str], stamp: bool
) -> str:
    """Grant ``tenant`` a station it does not see yet; return that station's ID."""
    with app.sessions() as db, db.begin():
        org = db.scalars(select(Organization).where(Organization.org_id == tenant.org_id)).one()
        station = db.scalars(
            select(Station).where(Station.station_id.not_in(seen)).order_by(Station.id)
        ).first()
        assert station is not None
        db.add(RightsGrant(grantee_org_pk=org.id, station_pk=station.id, profile="network_manager"))
        if stamp:
            record_layout(db)
        return station.station_id


def test_the_loader_records_the_layout_stamp(pair: tuple[MockChargePointApp, ...]) -> None:
    with pair[0].sessions() as db:
        stamp = read_layout_stamp(db)
        assert stamp is not None and stamp == layout_digest(db)


def test_a_known_realm_is_not_computed_again(
    pair: tuple[MockChargePointApp, MockChargePointApp], computed: CountingRealm
) -> None:
    one, other = pair
    tenant = tenants(one)[0]
    first = station_ids(one, tenant)
    for app in (one, other, one):  # two processes, one store, one layout: one computation
        assert station_ids(app, tenant) == first
    assert computed.calls == 1


def test_a_grant_recorded_by_another_process_is_seen_on_the_next_request(
    pair: tuple[MockChargePointApp, MockChargePointApp], computed: CountingRealm
) -> None:
    one, other = pair
    tenant = tenants(one)[0]
    before = station_ids(one, tenant)
    granted = grant_foreign_station(other, tenant, before, stamp=True)
    after = station_ids(one, tenant)
    assert sorted(after) == sorted([*before, granted])
    assert computed.calls == 2


def test_a_world_without_a_layout_stamp_is_never_cached(
    pair: tuple[MockChargePointApp, MockChargePointApp], computed: CountingRealm
) -> None:
    one, other = pair
    with other.sessions() as db, db.begin():
        db.execute(delete(WorldMeta).where(WorldMeta.key == LAYOUT_KEY))
    tenant = tenants(one)[0]
    before = station_ids(one, tenant)
    granted = grant_foreign_station(other, tenant, before, stamp=False)
    assert sorted(station_ids(one, tenant)) == sorted([*before, granted])
    assert computed.calls == 2
