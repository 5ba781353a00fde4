"""PostgreSQL, for several server processes sharing one state (architecture decision 5).

Needs a server: ``MOCKCP_TEST_POSTGRES_URL`` (``.ci/run`` starts one). Without it these tests
skip, saying so; with the value ``unavailable`` (CI could not start one) they fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from sqlalchemy import delete
from werkzeug.test import Client
from zeep.wsse.username import UsernameToken

from mockcp.app import create_app
from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.db.models import CpnInstance
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.serving import free_port, get_json, wait_ready
from tests.worlds.stores import postgres_url


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield postgres_url()


def test_postgres_world_loads_and_answers_soap(pg_url: str) -> None:
    settings = Settings(database_url=pg_url, fixture="minimal")
    with MockChargePoint(settings, ManualClock(START)) as mock:
        cpns = mock.client().service.getCPNInstances()
        assert [c.cpnName for c in cpns] == ["USA", "EU", "AU", "CA"]
        assert len(mock.tenants()) == 2


def test_postgres_two_apps_share_one_state(pg_url: str) -> None:
    settings = Settings(database_url=pg_url, fixture="minimal")
    first = create_app(settings, ManualClock(START))
    second = create_app(settings, ManualClock(START))
    with first.sessions() as db, db.begin():
        db.execute(delete(CpnInstance).where(CpnInstance.id == 4))
    with MockChargePoint(settings, ManualClock(START)) as third:
        assert len(third.client().service.getCPNInstances()) == 3
    reply = Client(second).post("/_mock/reset")
    assert reply.status_code == 200
    with first.sessions() as db:
        assert db.get(CpnInstance, 4) is not None
    first.engine.dispose()
    second.engine.dispose()


@pytest.mark.server
def test_postgres_gunicorn_workers_serve_the_documented_command(pg_url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        "2",
        "--preload",
        "-b",
        f"127.0.0.1:{port}",
        "mockcp.app:wsgi_from_env()",
    ]
    env = {**os.environ, "MOCKCP_DB": pg_url, "MOCKCP_FIXTURE": "minimal"}
    process = subprocess.Popen(
        gunicorn, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        wait_ready(base, process)
        tenants = get_json(f"{base}/_mock/tenants")
        assert isinstance(tenants, list)
        tenant = tenants[1]
        client = zeep.Client(
            f"{base}/cp_api_5.1.wsdl", wsse=UsernameToken(tenant["licenseKey"], tenant["password"])
        )
        for _ in range(20):
            assert len(client.service.getCPNInstances()) == 4
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_postgres_a_shed_made_through_one_app_caps_the_load_read_through_another(
    pg_url: str,
) -> None:
    settings = Settings(database_url=pg_url, fixture="minimal")
    at = START + timedelta(hours=2)  # 1:10002 draws 7.2 kW
    with (
        MockChargePoint(settings, ManualClock(at)) as first,
        MockChargePoint(settings, ManualClock(at)) as second,
    ):
        query = {"shedStation": {"stationID": "1:10002", "percentShedPerStation": 30},
                 "timeInterval": 0}
        assert first.client().service.shedLoad(shedQuery=query).Success == 1
        reply = second.client().service.getLoad(searchQuery={"stationID": "1:10002"})
        port = reply.stationData[0].Port[0]
        assert (port.portLoad, port.shedState, port.percentShed) == (Decimal("5.040"), 1, 30)


def test_postgres_answers_byte_for_byte_what_sqlite_answers(pg_url: str) -> None:
    """The same world on both stores: sessions, transactions (reservations and time-of-use
    included) and status read back byte-identical after the same clock moves."""
    from tests.soap.envelopes import SOAP_PATH, guide_style

    bodies = [
        "<urn:getChargingSessionData><searchQuery/></urn:getChargingSessionData>",
        "<urn:getTransactionData><searchQuery><numTransactions>500</numTransactions>"
        "</searchQuery></urn:getTransactionData>",
        "<urn:getStationStatus><searchQuery/></urn:getStationStatus>",
        "<urn:getAlarms><searchQuery/></urn:getAlarms>",
    ]
    answers = []
    for url in (pg_url, "sqlite://"):
        clock = ManualClock(START)
        with MockChargePoint(Settings(database_url=url, fixture="minimal"), clock) as mock:
            tenant = mock.tenants()[0]
            for step in (timedelta(hours=5), timedelta(days=2)):
                clock.advance(step)
                answers.append([
                    Client(mock.wsgi).post(
                        SOAP_PATH, data=guide_style(tenant.license_key, tenant.password, body)
                    ).get_data()
                    for body in bodies
                ])
    assert answers[:2] == answers[2:]
    assert b"<transactionType>Reservation" in answers[1][1]



def test_postgres_a_call_s_state_and_journal_row_ride_on_its_gate_connection(
    pg_url: str,
) -> None:
    """A SOAP call checks out one world connection (its handler's); the call's state and its
    journal row go over the connection holding its store gate, lent to no one after the
    call; the journal keeps its bound on that path too (issue 18: round trips)."""
    from sqlalchemy import event

    settings = Settings(database_url=pg_url, fixture="minimal", journal_limit=3)
    with MockChargePoint(settings, ManualClock(START)) as mock:
        app = mock.wsgi
        client = mock.client()
        client.service.getCPNInstances()  # the first call also loads the credentials
        mock.control.journal.clear()
        checkouts: list[object] = []

        def checked_out(*args: object) -> None:
            checkouts.append(args)

        event.listen(app.engine.pool, "checkout", checked_out)
        try:
            for _ in range(5):
                assert len(client.service.getCPNInstances()) == 4
        finally:
            event.remove(app.engine.pool, "checkout", checked_out)
        assert len(checkouts) == 5  # one per call: the handler's session, nothing else
        assert app.store_gate.held() is None
        with app.store_gate.shared():  # the lent connection commits as the world's do
            held = app.store_gate.held()
            assert held is not None
            assert held.exec_driver_sql("SHOW synchronous_commit").scalar() == "off"
        with app.store_gate.exclusive():
            assert app.store_gate.held() is None  # a reset's hold lends nothing
        calls = mock.control.journal.calls("getCPNInstances")
        assert len(calls) == 3  # journal_limit: the oldest two trimmed
        assert {call["responseCode"] for call in calls} == {"100"}


def test_postgres_a_call_whose_gate_connection_is_lost_is_answered_and_journaled(
    pg_url: str,
) -> None:
    """The store gate's connection dies inside a call (its backend terminated as the gate
    lends it): the call's state and its journal row go over pooled connections instead, the
    call is answered, and the gate is free afterwards (the lost session's lock went with it)."""
    settings = Settings(database_url=pg_url, fixture="minimal")
    with MockChargePoint(settings, ManualClock(START)) as mock:
        app = mock.wsgi
        client = mock.client()
        client.service.getCPNInstances()
        mock.control.journal.clear()
        lend, killed = app.store_gate.held, []

        def lost() -> Any:
            conn = lend()
            if conn is not None and not killed:
                killed.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
                with app.engine.connect() as other:
                    other.exec_driver_sql(f"SELECT pg_terminate_backend({killed[0]})")
            return conn

        app.store_gate.held = lost  # type: ignore[method-assign]
        app.journal.lent = lost
        assert len(client.service.getCPNInstances()) == 4
        assert killed
        assert [c["operation"] for c in mock.control.journal.calls()] == ["getCPNInstances"]
        with app.store_gate.exclusive():  # not held by the lost session
            pass
        assert len(client.service.getCPNInstances()) == 4
