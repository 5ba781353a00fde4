"""The worker pool of ``mockcp serve`` (``mockcp.server.SteadyDispatcher``): one worker runs
requests back to back while it keeps up, another goes only when every running one is stuck,
nothing is lost or run twice, and the queue warning is quiet."""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from mockcp.server import ServerLimits, SteadyDispatcher, running

WAIT = 10.0  # seconds: only ever reached when the behaviour under test is broken


class Hand:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.at = 0.0

    def __call__(self) -> float:
        return self.at


def _until(check: Callable[[], bool]) -> bool:
    """Poll ``check`` until it holds (True) or WAIT passes (False)."""
    ends = time.monotonic() + WAIT
    while not check():
        if time.monotonic() > ends:
            return False
        time.sleep(0.001)
    return True


class Job:
    """A task as waitress hands it over: ``service()`` runs it (here: until released)."""

    def __init__(self, name: str, log: list[tuple[str, str]], hold: bool = False) -> None:
        self.name = name
        self.log = log
        self.release = threading.Event()
        self.started = threading.Event()
        if not hold:
            self.release.set()

    def service(self) -> None:
        self.started.set()
        self.release.wait(WAIT)
        self.log.append((self.name, threading.current_thread().name))


def _pool(
    slots: int, stuck_after: float, now: Callable[[], float], threads: int = 4
) -> SteadyDispatcher:
    pool = SteadyDispatcher(slots, stuck_after, now)
    pool.set_thread_count(threads)
    return pool


def test_no_slots_means_every_worker_runs_as_in_waitress() -> None:
    log: list[tuple[str, str]] = []
    pool = _pool(0, 3600.0, Hand())
    first, second = Job("first", log, hold=True), Job("second", log, hold=True)
    pool.add_task(first)
    pool.add_task(second)
    assert first.started.wait(WAIT) and second.started.wait(WAIT)  # both at once
    assert pool.running == 2
    first.release.set()
    second.release.set()
    assert _until(lambda: len(log) == 2)
    pool.shutdown()
    assert not pool.threads  # every worker ended


def test_a_request_waits_for_the_running_one_then_runs_on_the_same_worker() -> None:
    log: list[tuple[str, str]] = []
    pool = _pool(1, 3600.0, Hand())
    first, second, third = (Job(n, log, hold=n == "first") for n in ("first", "second", "third"))
    pool.add_task(first)
    assert first.started.wait(WAIT)
    pool.add_task(second)
    pool.add_task(third)
    time.sleep(0.05)  # time for a wrongly woken worker to take one (it must not)
    assert (second.started.is_set(), third.started.is_set(), pool.running) == (False, False, 1)
    first.release.set()
    assert _until(lambda: len(log) == 3)
    assert [name for name, _ in log] == ["first", "second", "third"]
    assert len({worker for _, worker in log}) == 1  # taken back to back, no hand-off
    pool.shutdown()
    assert not pool.threads  # every worker ended


def test_a_stuck_request_lets_the_next_one_go_at_once() -> None:
    log: list[tuple[str, str]] = []
    clock = Hand()
    pool = _pool(1, 0.5, clock)
    first = Job("first", log, hold=True)
    pool.add_task(first)
    assert first.started.wait(WAIT)
    clock.at = 0.5  # the running request has run for stuck_after
    second = Job("second", log)
    pool.add_task(second)
    assert _until(lambda: log == [("second", log[0][1])] if log else False)
    first.release.set()
    assert _until(lambda: len(log) == 2)
    assert log[0][1] != log[1][1]  # the second ran beside the stuck one, on another worker
    pool.shutdown()
    assert not pool.threads  # every worker ended


def test_a_queued_request_goes_when_the_running_one_gets_stuck() -> None:
    """The real clock: the request is queued while the first is fresh, and the watcher lets
    it go once the first has run for stuck_after."""
    log: list[tuple[str, str]] = []
    pool = _pool(1, 0.05, time.monotonic)
    first = Job("first", log, hold=True)
    pool.add_task(first)
    assert first.started.wait(WAIT)
    second = Job("second", log)
    pool.add_task(second)
    assert second.started.wait(WAIT), "the queued request stayed behind the stuck one"
    assert [name for name, _ in log] == ["second"]
    first.release.set()
    assert _until(lambda: len(log) == 2)
    pool.shutdown()
    assert not pool.threads  # every worker ended


def test_a_request_left_in_the_queue_when_a_worker_took_another_still_escapes_a_stuck_one() -> None:
    """Two requests queued while no worker runs (each add wakes a worker, not the watcher);
    the first taken gets stuck: the second still goes once the first has run stuck_after,
    rather than waiting for it to end."""
    log: list[tuple[str, str]] = []
    pool = SteadyDispatcher(1, 0.05)  # the real clock
    first, second = Job("first", log, hold=True), Job("second", log)
    pool.add_task(first)
    pool.add_task(second)
    pool.set_thread_count(2)  # the workers come after both adds: neither add woke anyone
    assert first.started.wait(WAIT) or second.started.wait(WAIT)
    stuck = first if first.started.is_set() else second
    assert stuck is first, "the queue is first come, first served"
    assert second.started.wait(WAIT), "the queued request waited for the stuck one to end"
    first.release.set()
    assert _until(lambda: len(log) == 2)
    pool.shutdown()
    assert not pool.threads  # every worker ended


@settings(max_examples=25, deadline=None)
@given(
    slots=st.integers(min_value=0, max_value=3),
    threads=st.integers(min_value=1, max_value=6),
    senders=st.integers(min_value=1, max_value=6),
    each=st.integers(min_value=1, max_value=40),
)
def test_every_request_runs_once_and_at_most_slots_run_at_once(
    slots: int, threads: int, senders: int, each: int
) -> None:
    """Requests added from many threads at once (as waitress's loop and the watcher do):
    each runs exactly once, and never more than ``slots`` at once (no request is stuck:
    the hand clock stands still)."""
    pool = _pool(slots, 3600.0, Hand(), threads)
    lock = threading.Lock()
    ran: list[str] = []
    now = [0]
    most = [0]

    class Count:
        def __init__(self, name: str) -> None:
            self.name = name

        def service(self) -> None:
            with lock:
                now[0] += 1
                most[0] = max(most[0], now[0])
            time.sleep(0)
            with lock:
                now[0] -= 1
                ran.append(self.name)

    def send(sender: int) -> None:
        for n in range(each):
            pool.add_task(Count(f"{sender}.{n}"))

    adders = [threading.Thread(target=send, args=(s,)) for s in range(senders)]
    for adder in adders:
        adder.start()
    for adder in adders:
        adder.join(WAIT)
    assert _until(lambda: len(ran) == senders * each)
    assert sorted(ran) == sorted(f"{s}.{n}" for s in range(senders) for n in range(each))
    assert most[0] <= (slots if slots > 0 else threads)
    assert pool.running == 0
    pool.shutdown()
    assert not pool.threads  # every worker ended


def test_a_request_stuck_in_the_app_does_not_hold_the_server() -> None:
    """One turn, and a request that blocks until released: another is answered meanwhile."""
    release = threading.Event()
    blocked = threading.Event()

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/block":
            blocked.set()
            release.wait(WAIT)
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    limits = ServerLimits(threads=4, running=1, stuck_after=0.05)
    with running(app, limits=limits) as url:
        stuck = threading.Thread(target=lambda: requests.get(f"{url}/block", timeout=WAIT))
        stuck.start()
        assert blocked.wait(WAIT)
        answered = requests.get(f"{url}/other", timeout=WAIT)
        still_blocked = not release.is_set()
        release.set()
        stuck.join(WAIT)
    assert (answered.status_code, answered.text, still_blocked) == (200, "ok", True)


def test_requests_that_wait_in_the_queue_write_no_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """waitress's own pool logs "Task queue depth is N" for every request that finds no
    idle worker (0.87 lines per request at 16 clients); with one warm worker most requests
    wait on purpose, and the pool says nothing of it."""
    import concurrent.futures

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        time.sleep(0.005)  # long enough for the others to queue behind it
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]

    with (
        caplog.at_level(logging.DEBUG, logger="waitress"),
        running(app) as url,
        concurrent.futures.ThreadPoolExecutor(16) as clients,
    ):
        codes = list(clients.map(lambda _: requests.get(url, timeout=WAIT).status_code,
                                 range(64)))  # fmt: skip
    assert codes == [200] * 64
    assert [r.getMessage() for r in caplog.records if "queue" in r.getMessage().lower()] == []


def test_a_server_raises_the_open_files_limit_toward_the_hard_one() -> None:
    """A process that starts with a low soft limit (macOS's 256) may open as many files as
    its hard limit allows once it makes a server; a high soft limit is never lowered."""
    script = (
        "import resource, sys\n"
        "_, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (int(sys.argv[1]) or hard, hard))\n"
        "from mockcp.server import OPEN_FILES, make_server\n"
        "server = make_server(lambda e, s: [], '127.0.0.1', 0)\n"
        "print(*resource.getrlimit(resource.RLIMIT_NOFILE), OPEN_FILES)\n"
        "server.close()\n"
    )
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for start in (256, 0):  # 0: the hard limit itself
        done = subprocess.run(
            [sys.executable, "-c", script, str(start)], capture_output=True, text=True,
            timeout=60, check=True,
        )  # fmt: skip
        soft, seen_hard, wanted = (int(x) for x in done.stdout.split())
        expected = max(start or hard, min(seen_hard, wanted))
        assert (soft, seen_hard) == (expected, hard), done.stdout


def test_a_server_with_over_1024_open_files_still_answers_and_sees_clients_leave() -> None:
    """Sockets numbered 1024 and up (a server with many sandboxes, now that it may open that
    many files): the loop keeps answering (select() refused them and ended the loop) and a
    forced hang still learns that its client is there, then gone (``client_gone``)."""
    script = (
        "import os, socket, urllib.request\n"
        "from mockcp.server import client_gone, running\n"
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Length', '2')])\n"
        "    return [b'ok']\n"
        "with running(app) as url:  # the server raises the limit of open files first\n"
        "    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]\n"
        "    answers = [urllib.request.urlopen(url, timeout=10).read() for _ in range(3)]\n"
        "    a, b = socket.socketpair()\n"
        "    here = client_gone(a)\n"
        "    b.close()\n"
        "    print(min(a.fileno(), *held) > 1023 or max(held) > 1023, answers, here,\n"
        "          client_gone(a))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split("\n")[0] == "True [b'ok', b'ok', b'ok'] False True", done.stdout


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_server_that_cannot_bind_leaves_no_worker_behind() -> None:
    """(waitress itself leaves the socket and the wake-up pipe it made before the bind to the
    garbage collector: those warnings are collected here, and are not ours.)"""
    import gc
    import socket

    from mockcp.server import make_server

    def ours() -> list[str]:
        return sorted(
            t.name for t in threading.enumerate()
            if t.name.startswith(("waitress-", "mockcp-stuck-watch"))
        )  # fmt: skip

    before = ours()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        try:
            make_server(lambda e, s: [], "127.0.0.1", port)
        except OSError as error:
            refused = str(error)
        else:
            refused = ""
    finally:
        taken.close()
    gc.collect()  # waitress's half-made server goes now, inside this test
    assert refused  # the port was taken
    assert _until(lambda: ours() == before), ours()
