"""What reads learn of the world, kept while its file is unchanged (``domain/kept.py``).

The claim: a station search that uses a kept index answers exactly what it answers reading
the index again, whoever wrote to the world in between. The differential test drives two
stores built alike through the same random reads and writes: one keeps indexes and is written
to by another app on its file or PostgreSQL database (another process as far as the store can
tell: its own connections and its own epoch), the other reads every index and writes itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from werkzeug.test import Client

from mockcp.app import MockChargePointApp, create_app
from mockcp.config import Settings
from mockcp.db.models import Station
from mockcp.domain.kept import KeptReads, writing
from mockcp.domain.tenants import Tenant, list_tenants
from tests.conftest import START
from tests.soap.envelopes import guide_style
from tests.worlds.stores import postgres_url

SOAP = "/webservices/chargepoint/services/5.1"


def build(path: Path | str) -> MockChargePointApp:
    return create_app(
        Settings(
            database_url=path if isinstance(path, str) else f"sqlite:///{path}",
            fixture="minimal",
            clock_mode="frozen",
            clock_start=START,
            answer_cache=False,  # every answer computed: the indexes are what is compared
        )
    )


def tenants(app: MockChargePointApp) -> list[Tenant]:
    with app.sessions() as db:
        return list_tenants(db)


def reads(app: MockChargePointApp) -> list[bytes]:
    """Every station search of every tenant (whole realm, one station, an owner, a group), and
    the session and rights searches that filter the realm's stations."""
    bodies: list[bytes] = []
    for tenant in tenants(app):
        def body(xml: str, tenant: Tenant = tenant) -> bytes:
            return guide_style(tenant.license_key, tenant.password, xml)

        every = Client(app).post(
            SOAP, data=body("<urn:getStations><searchQuery/></urn:getStations>")
        ).get_data()
        station = re.findall(rb"<stationID>([^<]+)</stationID>", every)[0].decode()
        org = re.findall(rb"<orgID>([^<]+)</orgID>", every)[0].decode()
        group = re.findall(rb"<sgName>([^<,]+)", every)
        one = f"<stationID>{station}</stationID>"
        bodies += [
            body("<urn:getStations><searchQuery/></urn:getStations>"),
            body(f"<urn:getStations><searchQuery>{one}</searchQuery></urn:getStations>"),
            body(f"<urn:getStations><searchQuery><orgID>{org}</orgID></searchQuery>"
                 "</urn:getStations>"),  # fmt: skip
            body("<urn:getStationStatus><searchQuery/></urn:getStationStatus>"),
            body(f"<urn:getStationStatus><searchQuery>{one}</searchQuery>"
                 "</urn:getStationStatus>"),  # fmt: skip
            body("<urn:getAlarms><searchQuery/></urn:getAlarms>"),
            body("<urn:getChargingSessionData><searchQuery/></urn:getChargingSessionData>"),
            body("<urn:getStationRights><searchQuery/></urn:getStationRights>"),
            body(f"<urn:getStationRights><searchQuery>{one}</searchQuery>"
                 "</urn:getStationRights>"),  # fmt: skip
            body(f"<urn:getChargingSessionData><searchQuery>{one}</searchQuery>"
                 "</urn:getChargingSessionData>"),  # fmt: skip
            body("<urn:getPublicStations><searchQuery/></urn:getPublicStations>"),
        ]
        if group:
            bodies.append(body(
                "<urn:getCustomGroupStations><searchQuery><sgName>"
                f"{group[0].decode().strip()}</sgName></searchQuery></urn:getCustomGroupStations>"
            ))  # fmt: skip
    return bodies


def station_ids(app: MockChargePointApp) -> list[str]:
    with app.sessions() as db:
        return list(db.scalars(Station.__table__.select().with_only_columns(Station.station_id)))


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def stores(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[MockChargePointApp, ...]]:
    """(keeps, its writer on the same store, reads every time): the store a SQLite file or
    a PostgreSQL database (``db/store_epoch.py``); the plain one is a SQLite file (a
    PostgreSQL world answers byte for byte what a SQLite one does: tests/test_postgres.py)."""
    folder = tmp_path_factory.mktemp("indexes")
    shared = postgres_url() if request.param == "postgres" else folder / "keeps.sqlite3"
    keeps = build(shared)
    writer = build(shared)
    plain = build(folder / "plain.sqlite3")
    plain.runtime.reads = None
    assert keeps.runtime.reads is not None and writer.runtime.reads is not None
    yield keeps, writer, plain
    for app in (keeps, writer, plain):
        app.close()


EVENTS = ("offline", "online", "plugIn", "unplug", "reboot")


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_kept_index_answers_what_reading_it_again_answers(
    stores: tuple[MockChargePointApp, ...], data: st.DataObject
) -> None:
    keeps, writer, plain = stores
    for app in (writer, plain):
        assert Client(app).post("/_mock/reset").status_code == 200
    bodies, stations = reads(keeps), station_ids(keeps)
    read = st.integers(0, len(bodies) - 1).map(lambda i: ("read", i))
    event = st.tuples(st.sampled_from(stations), st.sampled_from(EVENTS)).map(
        lambda e: ("event", e)
    )
    clock = st.sampled_from(["PT15M", "PT6H", "P2D"]).map(lambda d: ("clock", d))
    steps = data.draw(st.lists(st.one_of(read, read, event, clock), min_size=1, max_size=12))
    served = keeps.runtime.reads.served if keeps.runtime.reads else 0
    for kind, what in [*steps, ("read", 0)]:
        if kind == "event":
            station, name = what
            replies = [
                Client(app).post(f"/_mock/stations/{station}/events", json={"type": name})
                for app in (writer, plain)
            ]
            assert replies[0].status_code == replies[1].status_code, replies[0].get_data()
        elif kind == "clock":
            for app in (writer, plain):
                assert Client(app).post("/_mock/clock", json={"advance": what}).status_code == 200
        else:
            for _ in range(2):  # twice: the second may use the index the first kept
                one, other = (Client(app).post(SOAP, data=bodies[what]) for app in (keeps, plain))
                assert (one.status_code, one.get_data()) == (other.status_code, other.get_data())
    assert keeps.runtime.reads is not None and keeps.runtime.reads.served > served


def test_a_session_that_wrote_neither_reads_nor_keeps_an_index(tmp_path: Path) -> None:
    app = build(tmp_path / "world.sqlite3")
    kept = KeptReads(lambda: 7)
    built: list[int] = []

    def make() -> str:
        built.append(1)
        return "index"

    try:
        with app.sessions() as db:
            assert not writing(db)
            assert kept.get(db, "k", make, str) == "index"
            assert kept.get(db, "k", make, str) == "index"
            assert (len(built), kept.served) == (1, 1)  # the second from memory
            db.execute(update(Station).where(Station.id == 1).values(name="Renamed"))
            assert writing(db)
            assert kept.get(db, "k", make, str) == "index"  # built again, not served
            assert kept.get(db, "other", make, str) == "index"
            assert (len(built), kept.served) == (3, 1)
            db.rollback()
            assert not writing(db)
            kept.get(db, "other", make, str)  # nothing was kept while writing: built again
            assert (len(built), kept.served) == (4, 1)
    finally:
        app.close()


def test_a_new_epoch_drops_what_an_older_one_kept(tmp_path: Path) -> None:
    app = build(tmp_path / "world.sqlite3")
    epoch = [1]
    kept = KeptReads(lambda: epoch[0], max_entries=2)
    try:
        with app.sessions() as db:
            assert kept.get(db, "a", lambda: "old", str) == "old"
            epoch[0] = 2
            assert kept.get(db, "a", lambda: "new", str) == "new"
            assert kept.get(db, "a", lambda: "newer", str) == "new"  # kept in epoch 2
            epoch[0] = 1  # a request of an older epoch: neither served epoch 2's nor keeps
            assert kept.get(db, "a", lambda: "late", str) == "late"
            epoch[0] = 2
            assert kept.get(db, "a", lambda: "again", str) == "new"
            for key in ("b", "c"):  # past max_entries: emptied, then kept anew
                kept.get(db, key, lambda: "built", str)
            assert kept.get(db, "a", lambda: "rebuilt", str) == "rebuilt"
    finally:
        app.close()


def test_stores_without_a_file_and_kept_reads_off_read_every_index(tmp_path: Path) -> None:
    assert Settings.from_env(environ={"MOCKCP_KEPT_READS": "off"}).kept_reads is False
    assert Settings.from_env(environ={}).kept_reads is True
    memory = create_app(Settings(database_url="sqlite://", fixture="minimal",
                                 clock_mode="frozen", clock_start=START))  # fmt: skip
    off = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'off.sqlite3'}",
                              fixture="minimal", clock_mode="frozen", clock_start=START,
                              kept_reads=False))  # fmt: skip
    try:
        assert memory.runtime.reads is None
        assert off.runtime.reads is None and off.version is not None  # (answers still kept)
        tenant = tenants(off)[0]
        body = guide_style(tenant.license_key, tenant.password,
                           "<urn:getStationStatus><searchQuery/></urn:getStationStatus>")
        assert b"<responseCode>100</responseCode>" in Client(off).post(SOAP, data=body).get_data()
    finally:
        memory.close()
        off.close()
