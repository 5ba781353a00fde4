"""The README's command, literally: ``gunicorn -w 4 'mockcp.app:wsgi_from_env()'`` on an
empty PostgreSQL, with and without --preload; the workers answer as one server: one clock,
one forced-answer queue (N calls fire exactly N times across workers), one journal, and
reset and snapshot restore hold for all of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator

import pytest
import zeep
from zeep.wsse.username import UsernameToken

from mockcp.codes import ResponseCode
from tests.serving import free_port, get_json, wait_ready
from tests.worlds.helpers import SHED_30
from tests.worlds.stores import postgres_url


def post_json(url: str, body: object = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else b""
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return reply.status, json.load(reply)


@pytest.fixture(params=["no-preload", "preload"])
def gunicorn(request: pytest.FixtureRequest) -> Iterator[str]:
    url = postgres_url()  # emptied: the four workers race to build the world
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}"]
    if request.param == "preload":
        command.append("--preload")
    command.append("mockcp.app:wsgi_from_env()")
    env = {**os.environ, "MOCKCP_DB": url, "MOCKCP_FIXTURE": "minimal",
           "MOCKCP_CLOCK_MODE": "frozen", "MOCKCP_CLOCK_START": "2024-03-12T17:00:00Z"}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process)
        # every worker has the world: 40 health checks, all ready
        assert all(get_json(f"{base}/_mock/health") == {"status": "ready"} for _ in range(40))
        yield base
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output and "UniqueViolation" not in output, output


def clock_now(base: str) -> str:
    answer = get_json(f"{base}/_mock/clock")
    assert isinstance(answer, dict)
    return str(answer["now"])


FORCED = 9  # the forced answer's count; 4 threads make 4 x FORCED calls across the workers


def spread_calls(base: str, key: str, password: str) -> list[str]:
    """4 x FORCED getLoad calls from 4 threads at once (gunicorn's sync workers take one
    request each, so concurrent calls land on different workers): each answer's code."""
    answers: list[str] = []
    lock = threading.Lock()
    clients = [
        zeep.Client(f"{base}/cp_api_5.1.wsdl", wsse=UsernameToken(key, password))
        for _ in range(4)
    ]

    def call(client: zeep.Client) -> None:
        for _ in range(FORCED):
            answer = str(client.service.getLoad(searchQuery={"stationID": "1:10002"}).responseCode)
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def shed_state(client: zeep.Client) -> tuple[int, int]:
    port = client.service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0].Port[0]
    return port.shedState, port.percentShed


@pytest.mark.server
def test_four_workers_on_an_empty_postgres_answer_as_one_server(gunicorn: str) -> None:
    base = gunicorn
    assert post_json(f"{base}/_mock/clock", {"advance": "PT2H"})[0] == 200
    assert {clock_now(base) for _ in range(100)} == {"2024-03-12T19:00:00Z"}

    tenants = get_json(f"{base}/_mock/tenants")
    assert isinstance(tenants, list)
    key, password = tenants[0]["licenseKey"], tenants[0]["password"]
    client = zeep.Client(f"{base}/cp_api_5.1.wsdl", wsse=UsernameToken(key, password))
    assert post_json(f"{base}/_mock/snapshots", {"name": "before-dr"})[0] == 201
    assert client.service.shedLoad(shedQuery=SHED_30).Success == 1
    assert {shed_state(client) for _ in range(20)} == {(1, 30)}

    assert post_json(f"{base}/_mock/snapshots/before-dr/restore")[0] == 200
    assert {shed_state(client) for _ in range(20)} == {(0, 0)}
    assert {clock_now(base) for _ in range(40)} == {"2024-03-12T19:00:00Z"}

    assert client.service.shedLoad(shedQuery=SHED_30).Success == 1
    assert post_json(f"{base}/_mock/reset") == (200, {"status": "reset"})
    assert {clock_now(base) for _ in range(40)} == {"2024-03-12T17:00:00Z"}
    assert post_json(f"{base}/_mock/clock", {"advance": "PT2H"})[0] == 200
    assert {shed_state(client) for _ in range(20)} == {(0, 0)}

    # One forced-answer queue: armed for FORCED calls, it fires exactly FORCED times across
    # the workers, and the fault list (read from any worker) agrees.
    body = {"operation": "getLoad", "code": "UNKNOWN_ERROR", "count": FORCED}
    assert post_json(f"{base}/_mock/faults", body)[0] == 201
    answers = spread_calls(base, key, password)
    unknown = ResponseCode.UNKNOWN_ERROR.code
    assert len(answers) == 4 * FORCED
    assert Counter(answers) == {unknown: FORCED, ResponseCode.OK.code: 3 * FORCED}
    listed = get_json(f"{base}/_mock/faults")
    assert isinstance(listed, list) and len(listed) == 1
    assert (listed[0]["fired"], listed[0]["count"]) == (FORCED, 0)

    # One journal: since the reset it lists exactly the SOAP calls this test sent.
    journal = get_json(f"{base}/_mock/journal")
    assert isinstance(journal, list)
    assert Counter(entry["operation"] for entry in journal) == {
        "getLoad": 20 + 4 * FORCED
    }
    assert Counter(entry["responseCode"] for entry in journal) == {
        unknown: FORCED, ResponseCode.OK.code: 20 + 3 * FORCED
    }
    assert len({entry["id"] for entry in journal}) == len(journal)
