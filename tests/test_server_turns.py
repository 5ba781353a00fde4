"""Turns among waitress's workers (``mockcp.server.Admission``): at most ``running`` requests
run the app at once, a stuck one never holds the others, and the queue warning is quiet."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from mockcp.server import Admission, ServerLimits, running

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


def test_no_slots_means_no_turns() -> None:
    admission = Admission(0, 1.0)
    with admission.turn() as first, admission.turn() as second:
        assert (first, second) == (False, False)
        assert admission.running == 0


def test_a_turn_waits_for_the_running_one_and_then_runs() -> None:
    admission = Admission(1, 3600.0, Hand())
    order: list[str] = []
    entered = threading.Event()

    def second() -> None:
        with admission.turn() as took:
            order.append(f"second ran in a turn: {took}")
            entered.set()

    with admission.turn() as took:
        assert took
        waiter = threading.Thread(target=second)
        waiter.start()
        assert _until(lambda: admission.waiting == 1), "the second request never queued"
        order.append("first done")
    assert entered.wait(WAIT)
    waiter.join(WAIT)
    assert order == ["first done", "second ran in a turn: True"]
    assert admission.running == 0


def test_a_stuck_turn_lets_the_next_request_run_beside_it() -> None:
    clock = Hand()
    admission = Admission(1, 0.5, clock)
    with admission.turn() as first:
        clock.at = 0.5  # the running request has held its turn for stuck_after
        with admission.turn() as second:
            assert (first, second) == (True, False)
            assert admission.running == 1  # the second is not counted: it holds no turn
    assert admission.running == 0


def test_a_waiting_request_goes_when_the_running_one_gets_stuck() -> None:
    admission = Admission(1, 0.05)  # the real clock: the first never ends while we wait
    went: list[bool] = []
    with admission.turn():

        def second() -> None:
            with admission.turn() as took:
                went.append(took)

        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(WAIT)
        assert went == [False]  # it ran beside the stuck one, without a turn


def test_never_more_than_the_slots_run_at_once() -> None:
    admission = Admission(2, 3600.0, Hand())
    lock = threading.Lock()
    now = [0]
    most = [0]

    def work() -> None:
        for _ in range(200):
            with admission.turn() as took:
                assert took
                with lock:
                    now[0] += 1
                    most[0] = max(most[0], now[0])
                with lock:
                    now[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    assert 1 <= most[0] <= 2
    assert admission.running == 0


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


def test_the_queue_warning_is_quiet_while_serving_and_back_after() -> None:
    queue = logging.getLogger("waitress.queue")
    before = queue.level

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]

    with running(app) as url:
        assert requests.get(url, timeout=WAIT).status_code == 200
        assert queue.level == logging.ERROR
    assert queue.level == before
