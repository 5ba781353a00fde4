"""A request at each bound costs a small multiple of a plain one, and other tenants are not
held up meanwhile (issue 17, docs/limits.md). Work is counted, never timed: the SQL
statements a call sends, the rows they write, the port-days the planner adds
(tests/soap/work.py). The wall-clock ratios are in bench/bench_bounds.py.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import zeep
from sqlalchemy import event as sqlalchemy_event
from werkzeug.test import Client

from mockcp.clock import MAX_STEP, ManualClock
from mockcp.config import Settings
from mockcp.domain.load.limits import EVENT_HORIZON, MAX_EVENT_MINUTES
from mockcp.domain.tenants import Tenant
from mockcp.soap import guard
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.soap.envelopes import SOAP_PATH, guide_style
from tests.soap.test_guard import with_attributes, with_elements
from tests.soap.test_limits import event
from tests.soap.work import forget_kept, ports, work_of
from tests.worlds.stores import store_url

# What one planned port-day may write: its sessions (a handful at most), alarms, bookings and
# the reshaped caps; the minimal world writes about 1.5.
ROWS_PER_PORT_DAY = 4


def stations(client: zeep.Client, **query: Any) -> Any:
    return client.service.getStations(searchQuery=query)


def test_event_at_the_horizon_plans_its_week_and_no_more(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    stations(client)  # the world planned to now
    plain, reply = work_of(
        mock, lambda: event(client, clock.now() + timedelta(hours=1), MAX_EVENT_MINUTES))
    assert reply.responseCode == "100"
    far, reply = work_of(
        mock, lambda: event(client, clock.now() + EVENT_HORIZON, MAX_EVENT_MINUTES))
    assert reply.responseCode == "100"
    assert plain.port_days == 0
    # Planned through the local day of the start: at most the horizon's days (+1 for the day
    # boundary in each port's zone), on every port.
    assert 0 < far.port_days <= ports(mock) * (EVENT_HORIZON.days + 1)
    assert far.statements <= 3 * plain.statements, (far, plain)
    assert far.rows_written <= plain.rows_written + ROWS_PER_PORT_DAY * far.port_days


def test_read_after_the_clocks_largest_step_is_bounded(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    stations(client)
    # Both reads read their station index: the far one must (it refreshes statuses, a write,
    # so it may not use a kept one: domain/kept.py), and the plain one is its measure.
    forget_kept(mock.wsgi)
    plain, _ = work_of(mock, lambda: stations(client))
    # The most one clock call may move (docs/worlds.md); the move plans the year itself
    # (mockcp.sim.store.ahead, tests/soap/test_clock_moves.py), so the read after it only
    # brings statuses to the new now: a status refresh, no planning.
    moved, _ = work_of(mock, lambda: mock.clock.advance(f"P{MAX_STEP.days}D"))
    assert moved.port_days > 0
    far, reply = work_of(mock, lambda: stations(client))
    assert reply.responseCode == "100"
    assert plain.port_days == 0 and far.port_days == 0
    assert far.statements <= 3 * plain.statements, (far, plain)  # 25 against 10 here
    assert far.rows_written <= plain.rows_written + 2 * ports(mock)  # a status per port


def _post(mock: MockChargePoint, data: bytes) -> bytes:
    reply = Client(mock.wsgi).post(SOAP_PATH, data=data, headers={"Content-Type": "text/xml"})
    assert reply.status_code == 200, reply.get_data()
    return reply.get_data()


def test_requests_at_the_element_and_attribute_bounds_do_a_plain_requests_work(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    key, password = tenant.license_key, tenant.password
    _post(mock, guide_style(key, password, "<urn:getStations><searchQuery/></urn:getStations>"))
    plain_read, _ = work_of(mock, lambda: _post(mock, with_elements(tenant, 0)))
    probe = with_elements(tenant, 0)
    extra = guard.MAX_ELEMENTS - guard.shape_of(guard.etree.fromstring(probe)).elements
    widest = with_elements(tenant, extra)
    assert guard.shape_of(guard.etree.fromstring(widest)).elements == guard.MAX_ELEMENTS
    wide_read, body = work_of(mock, lambda: _post(mock, widest))
    assert b"<responseCode>100</responseCode>" in body
    assert wide_read == plain_read
    plain_cpn, _ = work_of(mock, lambda: _post(mock, with_attributes(tenant, 0)))
    attributes = with_attributes(tenant, guard.MAX_ELEMENT_ATTRIBUTES)
    wide_cpn, body = work_of(mock, lambda: _post(mock, attributes))
    assert body.count(b"<CPN>") == 4
    assert wide_cpn == plain_cpn


def test_a_page_of_the_largest_size_sends_the_statements_of_a_one_row_page(
    mock: MockChargePoint, client: zeep.Client, clock: ManualClock
) -> None:
    clock.advance(timedelta(days=60))
    stations(client)
    since = clock.now() - timedelta(days=59)
    one, reply = work_of(mock, lambda: client.service.getChargingSessionData(
        searchQuery={"stationID": "1:10002", "fromTimeStamp": clock.now() - timedelta(days=4)}))
    assert 1 <= len(reply.ChargingSessionData) < 100
    full, reply = work_of(mock, lambda: client.service.getChargingSessionData(
        searchQuery={"fromTimeStamp": since}))
    assert len(reply.ChargingSessionData) == 100 and reply.MoreFlag == 1
    assert full.statements <= one.statements + 2, (full, one)  # no query per row
    forget_kept(mock.wsgi)  # both pages read their stations' pricing (kept once read: kept.py)
    many, reply = work_of(mock, lambda: stations(client, numStations=500))
    forget_kept(mock.wsgi)
    few, _ = work_of(mock, lambda: stations(client, numStations=1))
    assert len(reply.stationData) > 1
    assert many.statements == few.statements


@pytest.mark.parametrize("store", ["sqlite-file", "postgresql"])
def test_another_tenants_read_completes_while_an_event_at_the_horizon_plans(
    store: str, tmp_path: Path
) -> None:
    """Ordering, not time: the event at the horizon is held inside its planning (its first
    insert of planned sessions waits for the other tenant), holding the world lock; the
    other tenant's read is answered and journaled meanwhile, then the event completes.

    On a SQLite file too: the journal is a database of its own beside the world
    (``mockcp.db.journal_store``), so the other tenant's journal row never waits for the
    world's write lock. The journal lists the calls in the order they ended."""
    url = store_url("sqlite" if store == "sqlite-file" else "postgres", tmp_path)
    with MockChargePoint(Settings(database_url=url, fixture="minimal"), ManualClock(START)) as mock:
        sunrise, harbor = (mock.client(t) for t in mock.tenants())
        stations(sunrise)  # planned to now: a read at now plans nothing
        planning, other_done = threading.Event(), threading.Event()
        writer: dict[str, Any] = {}
        other: dict[str, Any] = {}

        def hold_inside_planning(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
            if threading.get_ident() == writer.get("thread") and statement.startswith(
                "INSERT INTO charging_session"
            ):
                planning.set()
                other_done.wait(60)

        def far_event() -> None:
            writer["thread"] = threading.get_ident()
            writer["reply"] = event(sunrise, START + EVENT_HORIZON, MAX_EVENT_MINUTES)

        def other_tenant() -> None:
            other["reply"] = harbor.service.getStations(searchQuery={})
            other["journaled"] = mock.journal.calls("getStations", org_id=other["org"])

        other["org"] = mock.tenants()[1].org_id
        sqlalchemy_event.listen(mock.wsgi.engine, "before_cursor_execute", hold_inside_planning)
        thread, reader = threading.Thread(target=far_event), threading.Thread(target=other_tenant)
        thread.start()
        try:
            assert planning.wait(30)  # the event holds the world lock, inside its planning
            reader.start()
            reader.join(30)  # (a safety net: it finishes at once, or never without the fix)
            assert "reply" not in writer  # the event is still held inside its planning
            assert "reply" in other, "the other tenant's read waited for the writer"
            assert other["reply"].responseCode == "100"
            assert len(other["journaled"]) == 1  # its journal row is in, the event's is not
        finally:
            other_done.set()
            thread.join(30)
            reader.join(30)
            sqlalchemy_event.remove(mock.wsgi.engine, "before_cursor_execute",
                                    hold_inside_planning)
        assert writer["reply"].responseCode == "100"
        ended = [(e["operation"], e["orgID"]) for e in mock.journal.calls()]
        assert ended == [
            ("getStations", mock.tenants()[0].org_id),
            ("getStations", other["org"]),
            ("createLoadShedEvent", mock.tenants()[0].org_id),
        ]
