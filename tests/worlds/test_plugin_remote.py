"""The pytest plugin pointed at a running ``mockcp serve`` (``--mockcp-url``): a foreign suite
gets a sandbox per test (or per worker), moves clocks and sheds load in parallel xdist
workers without seeing each other or the server's own world, and leaves no sandbox behind."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import zeep
from zeep.wsse.username import UsernameToken

from tests.serving import free_port
from tests.test_pytest_plugin import run_pytest
from tests.worlds.test_serve import START_TEXT, now, serving

# One test of the foreign suite: its own clock move and shed, made while the other test
# (another xdist worker) makes its own, then read back again and again.
FOREIGN = '''
import json, time
from pathlib import Path

HOURS, PERCENT = {hours}, {percent}
MEET = Path({meet!r})


def meet(step):
    (MEET / f"{{step}}-{name}").touch()
    for _ in range(600):  # the other worker must be at the same step: the moves overlap
        if len(list(MEET.glob(f"{{step}}-*"))) == 2:
            return
        time.sleep(0.1)
    raise AssertionError(f"the other test never reached {{step}}")


def shed_state(client):
    reply = client.service.getLoad(searchQuery={{"stationID": "1:10002"}})
    port = reply.stationData[0].Port[0]
    return port.shedState, port.percentShed


def test_{name}(mockcp, mockcp_client, mockcp_server):
    assert mockcp.tenants()[0].license_key.endswith("@" + mockcp.id)
    assert mockcp.clock.now() == "2024-03-12T17:00:00Z"
    meet("start")
    mockcp.clock.advance(f"PT{{HOURS}}H")
    shed = {{"shedStation": {{"stationID": "1:10002", "percentShedPerStation": PERCENT}},
             "timeInterval": 0}}
    assert mockcp_client.service.shedLoad(shedQuery=shed).Success == 1
    meet("moved")
    for _ in range(10):
        assert mockcp.clock.now() == f"2024-03-12T{{17 + HOURS}}:00:00Z"
        assert shed_state(mockcp_client) == (1, PERCENT)
    assert len(mockcp.journal.calls("shedLoad")) == 1  # its own journal: one shed, not two
    (MEET / "{name}.json").write_text(json.dumps({{"id": mockcp.id, "url": mockcp_server}}))
    meet("done")
'''

# Per worker: one sandbox for the process, reset before each test; a marker asking for
# another start gets a sandbox of its own.
PER_WORKER = '''
import json
from pathlib import Path
import pytest

SEEN = Path({seen!r})


def test_a_moves_the_clock(mockcp):
    mockcp.clock.advance("PT5H")
    (SEEN / "a").write_text(mockcp.id)


def test_b_finds_the_start_again(mockcp):
    assert mockcp.clock.now() == "2024-03-12T17:00:00Z"
    (SEEN / "b").write_text(mockcp.id)


@pytest.mark.mockcp(start="2025-01-01T00:00:00Z")
def test_c_another_start_is_another_sandbox(mockcp):
    assert mockcp.clock.now() == "2025-01-01T00:00:00Z"
    (SEEN / "c").write_text(mockcp.id)
'''


def sandboxes(base: str) -> list[object]:
    with urllib.request.urlopen(f"{base}/_mock/sandboxes", timeout=30) as reply:
        listed = json.load(reply)
    assert isinstance(listed, list)
    return listed


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as (base, _, _):
        yield base


def parent_shed(base: str) -> tuple[int, int]:
    with urllib.request.urlopen(f"{base}/_mock/tenants", timeout=30) as reply:
        tenant = json.load(reply)[0]
    wsse = UsernameToken(tenant["licenseKey"], tenant["password"])
    client = zeep.Client(f"{base}/cp_api_5.1.wsdl", wsse=wsse)
    port = client.service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0].Port[0]
    return port.shedState, port.percentShed


@pytest.mark.server
def test_two_xdist_workers_each_get_a_sandbox_and_do_not_interfere(
    server: str, tmp_path: Path
) -> None:
    suite, meet = tmp_path / "suite", tmp_path / "meet"
    suite.mkdir()
    meet.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    for name, hours, percent in (("one", 2, 30), ("two", 5, 60)):
        (suite / f"test_{name}.py").write_text(
            FOREIGN.format(name=name, hours=hours, percent=percent, meet=str(meet))
        )
    done = run_pytest(suite, "-n", "2", "--dist", "loadfile", "--mockcp-url", server)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    seen = [json.loads((meet / f"{name}.json").read_text()) for name in ("one", "two")]
    assert seen[0]["id"] != seen[1]["id"]
    assert {s["url"] for s in seen} == {server}
    assert sandboxes(server) == []  # each deleted after its test
    assert now(server) == START_TEXT and parent_shed(server) == (0, 0)  # the server's own


@pytest.mark.server
def test_one_sandbox_per_worker_is_reset_before_each_test(server: str, tmp_path: Path) -> None:
    suite, seen = tmp_path / "suite", tmp_path / "seen"
    suite.mkdir()
    seen.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    (suite / "test_worker.py").write_text(PER_WORKER.format(seen=str(seen)))
    done = run_pytest(suite, "-p", "no:randomly", "--mockcp-url", server,
                      "--mockcp-sandbox", "worker")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
    ids = {name: (seen / name).read_text() for name in ("a", "b", "c")}
    assert ids["a"] == ids["b"] != ids["c"]
    assert sandboxes(server) == []
    assert now(server) == START_TEXT


def test_an_unreachable_url_fails_the_test_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test_x(mockcp):\n    pass\n")
    nobody = f"http://127.0.0.1:{free_port()}"  # bound and let go: nothing listens there
    done = run_pytest(tmp_path, "--mockcp-url", nobody)
    assert done.returncode == 1
    assert f"no mockcp answers at --mockcp-url {nobody}" in done.stdout
