"""Repeated timeless reads answered from memory (``mockcp/answers.py``, issue 18).

The claim is that serving a kept answer is indistinguishable from computing it again: the
same bytes at the same instant, the same journal row, and never an answer of a world that has
changed since, whoever changed it. The differential test drives two stores built alike, one
keeping answers and one computing every call, through the same random calls (reads, writes,
clock moves, forced faults, resets) and compares every answer and the whole journal.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zeep
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from mockcp.answers import MAX_ENTRIES, Answers, Kept
from mockcp.app import MockChargePointApp, create_app
from mockcp.clock import ClockState
from mockcp.config import Settings
from mockcp.db.world_version import WorldVersion
from mockcp.domain.tenants import Tenant, list_tenants
from tests.conftest import REFERENCE_WSDL, START, require_shared
from tests.serving import free_port, wait_ready
from tests.soap.envelopes import guide_style
from tests.soap.test_lean_path import recorded_requests

SOAP = "/webservices/chargepoint/services/5.1"
KEPT_OPS = ("getCPNInstances", "getOrgsAndStationGroups", "getUsers")  # timeless reads
MOVING = ("getStations", "getStationStatus", "getLoad", "getChargingSessionData")
WRITES = ("updateUserStatus", "shedLoad", "clearShedState", "addFleetVehicle")


def build(path: Path, keep: bool) -> MockChargePointApp:
    return create_app(
        Settings(
            database_url=f"sqlite:///{path}",
            fixture="minimal",
            clock_mode="frozen",
            clock_start=START,
            answer_cache=keep,
        )
    )


def operation_of(body: bytes) -> str:
    found = re.search(rb"<urn:(\w+)", body.split(b"Body>", 1)[1])
    assert found is not None
    return found.group(1).decode()


def first_tenant(app: MockChargePointApp) -> Tenant:
    with app.sessions() as db:
        return list_tenants(db)[0]


def cpn(tenant: Tenant) -> bytes:
    return guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>")


def journal_rows(app: MockChargePointApp) -> list[dict[str, Any]]:
    """The journal, oldest first, without what differs between two runs of the same calls
    (the wall-clock instant and duration, the entry's own number)."""
    reply = Client(app).get("/_mock/journal?limit=100000&xml=1")
    assert reply.status_code == 200, reply.get_data()
    rows = json.loads(reply.get_data())  # newest first
    for row in rows:
        for wall in ("id", "wallTime", "durationMs"):
            del row[wall]
    return list(reversed(rows))


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MockChargePointApp, ...]]:
    """Two stores built alike: one keeps answers, the other computes every call."""
    folder = tmp_path_factory.mktemp("twins")
    kept, computed = build(folder / "kept.sqlite3", True), build(folder / "computed.sqlite3", False)
    assert kept.answers is not None and computed.answers is None
    yield kept, computed
    kept.close()
    computed.close()


@pytest.fixture(scope="module")
def recorded(twins: tuple[MockChargePointApp, ...]) -> list[tuple[str, bytes]]:
    with twins[0].sessions() as db:
        tenants = list_tenants(db)
    chosen = {*KEPT_OPS, *MOVING, *WRITES}
    return [(p, b) for p, b in recorded_requests(tenants) if operation_of(b) in chosen]


CONTROL = st.sampled_from(
    [
        ("POST", "/_mock/clock", {"advance": "PT15M"}),
        ("POST", "/_mock/clock", {"advance": "P1D"}),
        ("POST", "/_mock/faults", {"operation": "getCPNInstances", "code": "UNKNOWN_ERROR",
                                   "count": 1}),  # fmt: skip
        ("POST", "/_mock/faults", {"operation": "*", "fault": "server", "count": 1}),
        ("POST", "/_mock/faults", {"operation": "getCPNInstances", "fault": "server",
                                   "probability": 0.5}),  # fmt: skip
        ("POST", "/_mock/reset", None),
    ]
)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_kept_answers_are_the_answers_computed_again(
    twins: tuple[MockChargePointApp, ...], recorded: list[tuple[str, bytes]], data: st.DataObject
) -> None:
    kept, computed = twins
    for app in twins:
        assert Client(app).post("/_mock/reset").status_code == 200
    clients = [Client(app) for app in twins]
    indices = st.integers(0, len(recorded) - 1)
    step = st.one_of(indices.map(lambda i: ("soap", i)), CONTROL.map(lambda c: ("control", c)))
    steps = data.draw(st.lists(step, min_size=1, max_size=14))
    final = cpn(first_tenant(kept))
    steps += [("control", ("DELETE", "/_mock/faults", None)), ("again", final)]
    served = kept.answers.served if kept.answers else 0  # each example ends on a kept answer
    for kind, what in steps:
        if kind == "control":
            method, path, body = what
            replies = [c.open(path, method=method, json=body) for c in clients]
            assert replies[0].status_code == replies[1].status_code, path
            continue
        path, body = recorded[what] if kind == "soap" else (SOAP, what)
        for _ in range(2):  # a read twice: the second may be served from memory
            replies = [c.post(path, data=body) for c in clients]
            one, other = ((r.status_code, r.get_data()) for r in replies)
            assert one == other, operation_of(body)
    assert kept.answers is not None and kept.answers.served > served
    assert journal_rows(kept) == journal_rows(computed)


def test_a_served_read_is_journaled_as_the_computed_one(tmp_path: Path) -> None:
    app = build(tmp_path / "w.sqlite3", True)
    assert app.answers is not None
    client = Client(app)
    tenant = first_tenant(app)
    search = "<urn:getOrgsAndStationGroups><searchQuery/></urn:getOrgsAndStationGroups>"
    body = guide_style(tenant.license_key, tenant.password, search)
    first, second = (client.post(SOAP, data=body) for _ in range(2))
    assert app.answers.served == 1
    assert first.get_data() == second.get_data()
    computed, served = journal_rows(app)[-2:]
    assert computed == served
    assert served["operation"] == "getOrgsAndStationGroups" and served["responseCode"] == "100"
    assert served["orgID"] == tenant.org_id
    app.close()


def test_only_reads_that_never_ask_the_time_are_kept(tmp_path: Path) -> None:
    """On a running clock (an hour a second): the timeless reads are served again, stamped
    with the clock's instant of the call; the reads that ask the time are computed each call."""
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", fixture="minimal",
                 clock_mode="x3600", clock_start=START)  # fmt: skip
    )
    assert app.answers is not None
    with app.sessions() as db:
        tenants = list_tenants(db)
    client = Client(app)
    for path, body in recorded_requests(tenants):
        operation = operation_of(body)
        if operation not in (*KEPT_OPS, *MOVING):
            continue
        first = client.post(path, data=body)
        served = app.answers.served
        second = client.post(path, data=body)
        if b"<responseCode>100</responseCode>" not in first.get_data():
            continue
        assert app.answers.served == served + (operation in KEPT_OPS), operation
        stamps = [re.search(rb"<wsu:Created>([^<]+)<", r.get_data()) for r in (first, second)]
        assert all(stamps) and stamps[0] != stamps[1] or operation not in KEPT_OPS
    assert app.answers.served >= 8
    app.close()


def test_a_forced_fault_is_never_answered_from_memory(tmp_path: Path) -> None:
    app = build(tmp_path / "w.sqlite3", True)
    client = Client(app)
    tenant = first_tenant(app)
    assert client.post(SOAP, data=cpn(tenant)).status_code == 200
    assert client.post(SOAP, data=cpn(tenant)).status_code == 200
    assert app.answers is not None and app.answers.served == 1
    armed = client.post("/_mock/faults", json={"operation": "getCPNInstances",
                                               "code": "UNKNOWN_ERROR", "count": 1})  # fmt: skip
    assert armed.status_code == 201
    answer = client.post(SOAP, data=cpn(tenant)).get_data()
    assert b"<faultcode>soapenv:Server</faultcode>" in answer
    assert b"143: An unknown error has occurred. Please try again later." in answer
    assert app.answers.served == 1
    app.close()


def test_a_fault_that_may_fire_keeps_every_call_computed(tmp_path: Path) -> None:
    """Armed with a probability, a fault may fire on any call: while it is armed no answer is
    kept, so the calls fire exactly as where nothing is kept (seeded: the same calls fire)."""
    apps = [build(tmp_path / "kept.sqlite3", True), build(tmp_path / "computed.sqlite3", False)]
    runs = []
    for app in apps:
        client = Client(app)
        fault = {"operation": "getCPNInstances", "fault": "server", "probability": 0.5}
        armed = client.post("/_mock/faults", json=fault)
        assert armed.status_code == 201
        runs.append([client.post(SOAP, data=cpn(first_tenant(app))).status_code for _ in range(16)])
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 500}
    assert apps[0].answers is not None and apps[0].answers.served == 0
    for app in apps:
        app.close()


def test_another_process_changing_the_world_is_seen_at_once(tmp_path: Path) -> None:
    """``mockcp serve`` keeps answers; another process (this one) moves the shared store's
    frozen clock and arms a fault: the server's next answer, over HTTP through zeep built
    from the real WSDL, carries the new instant, and then the fault."""
    db = tmp_path / "shared.sqlite3"
    port = free_port()
    argv = [sys.executable, "-m", "mockcp", "serve", "--port", str(port), "--fixture",
            "minimal", "--clock", "frozen", "--start", "2024-03-12T17:00:00Z", "--db",
            f"sqlite:///{db}"]  # fmt: skip
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server)
        other = create_app(Settings(database_url=f"sqlite:///{db}", fixture="minimal"))
        tenant = first_tenant(other)
        history = zeep.plugins.HistoryPlugin()
        client = zeep.Client(
            str(require_shared(REFERENCE_WSDL)),
            wsse=zeep.wsse.username.UsernameToken(tenant.license_key, tenant.password),
            plugins=[history],
        )
        service = client.create_service(
            "{urn:dictionary:com.chargepoint.webservices}chargepointservicesSOAP",
            base + SOAP,
        )

        def stamp() -> str:
            service.getCPNInstances()
            created = history.last_received["envelope"].find(".//{*}Created")
            return str(created.text)

        assert stamp() == stamp() == "2024-03-12T17:00:00.000Z"  # the second from memory
        moved = Client(other).post("/_mock/clock", json={"advance": "PT2H"})
        assert moved.status_code == 200, moved.get_data()
        assert stamp() == "2024-03-12T19:00:00.000Z"
        armed = Client(other).post(
            "/_mock/faults", json={"operation": "getCPNInstances", "fault": "server", "count": 1}
        )
        assert armed.status_code == 201
        with pytest.raises(zeep.exceptions.Fault, match="Forced fault in getCPNInstances"):
            service.getCPNInstances()
        assert stamp() == "2024-03-12T19:00:00.000Z"
        other.close()
    finally:
        server.terminate()
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def test_the_version_moves_on_any_commit_and_a_new_file_but_not_on_reads(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "w.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    version = WorldVersion(str(path))
    first = version.current()
    assert first is not None and version.current() == first
    with sqlite3.connect(path) as conn:
        conn.execute("SELECT * FROM t").fetchall()
    assert version.current() == first  # a read by anyone changes nothing
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    second = version.current()
    assert second is not None and second > first
    path.unlink()
    with sqlite3.connect(path) as conn:  # another file at the same path
        conn.execute("CREATE TABLE t (x INTEGER)")
    third = version.current()
    assert third is not None and third > second
    path.unlink()
    assert version.current() is None  # no file: nothing may be served
    version.close()


def test_the_version_holds_one_descriptor_per_process_whatever_the_threads(
    tmp_path: Path,
) -> None:
    """Eight threads ask at once: one read-only connection to the file serves them all (a
    hundred sandboxes of eight threads would otherwise hold 800 descriptors), none after close."""
    import sqlite3
    import threading

    path = tmp_path / "w.sqlite3"
    made = sqlite3.connect(path)
    made.execute("CREATE TABLE t (x INTEGER)")
    made.close()
    version = WorldVersion(str(path))

    def opened() -> int:
        fds = Path("/proc/self/fd")
        return sum(1 for fd in fds.iterdir() if _points_to(fd, path))

    seen: list[int | None] = []
    threads = [threading.Thread(target=lambda: seen.append(version.current())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and None not in seen
    assert opened() == 1
    version.close()
    assert opened() == 0


def _points_to(fd: Path, path: Path) -> bool:
    try:
        return Path(fd.readlink()) == path
    except OSError:
        return False


def test_what_is_kept_stays_bounded(tmp_path: Path) -> None:
    app = build(tmp_path / "w.sqlite3", True)
    answers = app.answers
    assert isinstance(answers, Answers)
    clock = ClockState(START, START, 0.0, 0.0)
    for n in range(MAX_ENTRIES + 40):
        kept = Kept(7, b"x" * 10, (), clock, "getCPNInstances", None, {}, {})
        answers._put((SOAP, str(n).encode()), kept)
    assert answers.count() == MAX_ENTRIES
    answers._put((SOAP, b"older"), Kept(6, b"x", (), clock, "getUsers", None, {}, {}))
    assert answers.count() == MAX_ENTRIES  # made under an older epoch: not kept
    answers._put((SOAP, b"newer"), Kept(8, b"x", (), clock, "getUsers", None, {}, {}))
    assert answers.count() == 1  # a newer epoch: everything older went
    app.close()


def test_answer_cache_off_and_stores_without_a_file_compute_every_call(tmp_path: Path) -> None:
    assert Settings.from_env(environ={"MOCKCP_ANSWER_CACHE": "off"}).answer_cache is False
    assert Settings.from_env(environ={"MOCKCP_ANSWER_CACHE": "on"}).answer_cache is True
    memory = create_app(Settings(database_url="sqlite://", fixture="minimal"))
    assert memory.answers is None
    assert build(tmp_path / "off.sqlite3", False).answers is None


def test_a_sandbox_keeps_its_own_answers(tmp_path: Path) -> None:
    """A key naming a sandbox is answered by that sandbox's app, which keeps its own answers
    under its own file's epoch: its clock moving is seen, its parent's journal stays empty."""
    parent = build(tmp_path / "parent.sqlite3", True)
    client = Client(parent)
    made = client.post("/_mock/sandboxes", json={"start": "2024-03-12T17:00:00Z"})
    assert made.status_code == 201, made.get_data()
    sandbox = made.get_json()["id"]
    found = client.get(f"/_mock/sandboxes/{sandbox}/tenants").get_json()[0]
    tenant = Tenant(found["orgID"], found["organizationName"], found["licenseKey"],
                    found["password"])  # fmt: skip
    replies = [client.post(SOAP, data=cpn(tenant)).get_data() for _ in range(2)]
    assert replies[0] == replies[1] and b"2024-03-12T17:00:00.000Z" in replies[1]
    assert parent.sandboxes is not None
    inner = parent.sandboxes.app(sandbox)
    assert inner is not None and inner.answers is not None and inner.answers.served == 1
    assert parent.answers is not None and parent.answers.served == 0
    moved = client.post(f"/_mock/sandboxes/{sandbox}/clock", json={"advance": "PT1H"})
    assert moved.status_code == 200, moved.get_data()
    assert b"2024-03-12T18:00:00.000Z" in client.post(SOAP, data=cpn(tenant)).get_data()
    assert inner.answers.served == 1
    rows = client.get(f"/_mock/sandboxes/{sandbox}/journal").get_json()
    assert [r["operation"] for r in rows] == ["getCPNInstances"] * 3
    assert client.get("/_mock/journal").get_json() == []
    parent.close()
