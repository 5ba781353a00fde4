"""A PostgreSQL world's epoch (``mockcp/db/store_epoch.py``): answers and reads are kept in
memory on PostgreSQL too, and whatever another process commits to the world (a write, a
clock move, a reset, a restore, a rebuild) is seen by the next call.

Two apps on one database stand for two processes: each has its own pools, its own epoch and
its own kept answers; what one writes the other learns only from the database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text, update
from werkzeug.test import Client

from mockcp.app import MockChargePointApp, create_app
from mockcp.config import Settings
from mockcp.db.models import Station
from mockcp.db.store_epoch import TABLE, StoreEpoch
from mockcp.domain.kept import KeptReads
from mockcp.domain.tenants import Tenant, list_tenants
from tests.conftest import START
from tests.soap.envelopes import guide_style
from tests.worlds.helpers import admin
from tests.worlds.stores import postgres_url

SOAP = "/webservices/chargepoint/services/5.1"
CPN = "<urn:getCPNInstances/>"
CREATED = re.compile(rb"<wsu:Created>([^<]+)</wsu:Created>")


def build(url: str) -> MockChargePointApp:
    return create_app(Settings(database_url=url, fixture="minimal", clock_mode="frozen",
                               clock_start=START))  # fmt: skip


@pytest.fixture
def pair() -> Iterator[tuple[MockChargePointApp, MockChargePointApp]]:
    """(one process that reads, another that writes), on one emptied database."""
    url = postgres_url()
    one = build(url)
    other = build(url)
    yield one, other
    for app in (one, other):
        app.close()


def tenant(app: MockChargePointApp) -> Tenant:
    with app.sessions() as db:
        return list_tenants(db)[0]


def call(app: MockChargePointApp, who: Tenant, inner: str) -> bytes:
    reply = Client(app).post(SOAP, data=guide_style(who.license_key, who.password, inner))
    assert reply.status_code == 200, reply.get_data()
    return reply.get_data()


def created(answer: bytes) -> str:
    found = CREATED.search(answer)
    assert found is not None, answer
    return found.group(1).decode()


def epoch_row(app: MockChargePointApp) -> tuple[str, int]:
    with app.engine.connect() as conn:
        token, n = conn.execute(text(f"SELECT token, n FROM {TABLE}")).one()
    return str(token), int(n)


def at(days: int) -> str:
    return (START + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_postgres_calls_write_journal_rows_but_are_served_from_memory(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    """The journal's row of every call does not move the epoch: the same read is answered
    from memory, and a station search reads its index from memory."""
    app, _ = pair
    who = tenant(app)
    assert app.answers is not None and app.runtime.reads is not None
    before = epoch_row(app)
    first = call(app, who, CPN)
    for _ in range(4):
        assert call(app, who, CPN) == first
    assert app.answers.served == 4
    status = "<urn:getStationStatus><searchQuery/></urn:getStationStatus>"
    reads = app.runtime.reads.served
    answers = [call(app, who, status) for _ in range(3)]
    assert answers[0] == answers[2] and app.runtime.reads.served > reads
    with app.engine.connect() as conn:
        calls = conn.execute(text("SELECT count(*) FROM journal_entry")).scalar_one()
    assert calls >= 8  # every call journaled, served or not
    assert epoch_row(app) == before


def test_postgres_what_another_process_commits_is_seen_by_the_next_call(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    app, other = pair
    who = tenant(app)
    assert app.answers is not None

    def fresh(inner: str = CPN) -> bytes:
        """The next answer, which must not come from memory."""
        served = app.answers.served if app.answers else 0
        answer = call(app, who, inner)
        assert app.answers is not None and app.answers.served == served
        return answer

    def kept(inner: str = CPN) -> bytes:
        served = app.answers.served if app.answers else 0
        answer = call(app, who, inner)
        assert app.answers is not None and app.answers.served == served + 1
        return answer

    assert created(fresh()) == created(kept()) == at(0)
    assert admin(other, "POST", "/clock", {"advance": "P2D"})[0] == 200  # a clock move
    assert created(fresh()) == created(kept()) == at(2)
    assert admin(other, "POST", "/snapshots", {"name": "two"})[0] == 201
    assert admin(other, "POST", "/clock", {"advance": "P1D"})[0] == 200
    assert created(fresh()) == created(kept()) == at(3)
    assert admin(other, "POST", "/snapshots/two/restore")[0] == 200  # a restore
    assert created(fresh()) == created(kept()) == at(2)
    assert admin(other, "POST", "/reset")[0] == 200  # a reset to the start image
    assert created(fresh()) == created(kept()) == at(0)

    groups = "<urn:getOrgsAndStationGroups><searchQuery/></urn:getOrgsAndStationGroups>"
    assert b"Renamed elsewhere" not in fresh(groups) and kept(groups)
    writer = create_engine(app.engine.url)  # a write that no app of ours made
    try:
        with writer.begin() as conn:
            conn.execute(text("UPDATE station_group SET name = 'Renamed elsewhere'"))
    finally:
        writer.dispose()
    assert b"Renamed elsewhere" in fresh(groups) and kept(groups)


def test_postgres_a_rebuilt_world_is_another_epoch_even_at_the_same_count(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    """A reset to a new start drops and makes the schema again: the epoch's table is new,
    with a new token, so even a count that happens to equal the old one is another epoch."""
    app, other = pair
    who = tenant(app)
    assert app.answers is not None
    call(app, who, CPN)
    assert created(call(app, who, CPN)) == at(0) and app.answers.served == 1
    token, n = epoch_row(app)
    status, _ = admin(other, "POST", "/reset", {"start": at(5).replace(".000", "")})
    assert status == 200
    with other.engine.begin() as conn:  # the same count as before (not a world table: no bump)
        conn.execute(text(f"UPDATE {TABLE} SET n = :n"), {"n": n})
    assert epoch_row(app) != (token, n) and epoch_row(app)[1] == n
    assert created(call(app, who, CPN)) == at(5) and app.answers.served == 1


def test_postgres_a_sandbox_copied_from_a_template_keeps_and_sees_its_own_writes(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    """A sandbox (a schema filled from a template) has its own epoch: another process
    answers it from memory, and sees a clock move made through the first one."""
    app, other = pair
    status, made = admin(app, "POST", "/sandboxes", {"start": at(1).replace(".000", "")})
    assert status == 201, made
    sandbox = str(made["id"])
    status, found = admin(app, "GET", f"/sandboxes/{sandbox}/tenants")
    assert status == 200
    who = Tenant(found[0]["orgID"], found[0]["organizationName"], found[0]["licenseKey"],
                 found[0]["password"])  # fmt: skip
    assert created(call(other, who, CPN)) == created(call(other, who, CPN)) == at(1)
    assert other.sandboxes is not None
    opened = other.sandboxes.app(sandbox)
    assert isinstance(opened, MockChargePointApp) and opened.answers is not None
    assert opened.answers.served == 1
    status, _ = admin(app, "POST", f"/sandboxes/{sandbox}/clock", {"advance": "P1D"})
    assert status == 200
    assert created(call(other, who, CPN)) == at(2) and opened.answers.served == 1
    assert epoch_row(app)[1] == epoch_row(other)[1]  # (the parent's world was not written)


def test_postgres_a_session_that_wrote_neither_reads_nor_keeps_a_value(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    app, _ = pair
    epoch = StoreEpoch(app.engine, lambda: None)
    kept = KeptReads(epoch.current, looks=epoch.looks, writes=epoch.writes)
    built: list[int] = []

    def make() -> str:
        built.append(1)
        return "value"

    with app.sessions() as db:
        assert kept.get(db, "k", make, str) == kept.get(db, "k", make, str) == "value"
        assert (len(built), kept.served) == (1, 1)  # the second from memory
        db.execute(update(Station).where(Station.id == 1).values(name="Renamed"))
        assert epoch.writes(db) and epoch.looks(db) is None
        assert kept.get(db, "k", make, str) == "value"  # built again, not served
        assert kept.get(db, "other", make, str) == "value"
        assert (len(built), kept.served) == (3, 1)
        db.rollback()
        assert not epoch.writes(db)
        kept.get(db, "other", make, str)  # nothing was kept while writing: built again
        assert (len(built), kept.served) == (4, 1)
        kept.get(db, "other", make, str)
        assert (len(built), kept.served) == (4, 2)
