"""The production HTTP server: mockcp under waitress.

waitress reads every request on its asynchronous main loop and hands only complete requests
to a bounded pool of worker threads, so a client that dribbles its request a byte at a time
holds a connection (closed after ``channel_timeout`` seconds of silence), never a worker: slow
clients cannot starve the others. Keep-alive is HTTP/1.1's default.

The control plane's connection faults (``domain.forced``: drop, reset, and the end of a hang)
need the server's help: the app raises ``ConnectionAbort`` before it starts a response, and
the task here closes the socket without writing a byte (for a reset, with SO_LINGER 0, so the
kernel sends a TCP RST).

One process runs Python one thread at a time (the GIL). With eight workers busy, every call
that lets the GIL go (each SQLite statement, the store gate's ``flock``, the socket write)
may hand it to another worker. ``ServerLimits.running`` > 0 makes the workers take turns
(``Admission``): that many run the app at once, the others wait, unless every running one has
run longer than ``stuck_after`` (a long page, a forced hang, a wait on a lock): then the next
goes too, so nobody waits behind a stuck request for longer than that. Measured under load
(bench/bench_serving.py; BENCHMARKS.md, y18c), turns cut the context switches per request at
16 clients by half or more but raised the main loop's CPU about as much, so they are off by
default until a run on a quiet machine shows them ahead.
"""

from __future__ import annotations

import logging
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import WSGITask

from mockcp.soap.recorder import ConnectionAbort


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """waitress adjustments: the worker pool, how long a silent connection lives, how many."""

    threads: int = 8
    channel_timeout: int = 30  # seconds without a byte either way before a connection closes
    connection_limit: int = 200
    cleanup_interval: int = 5
    # 0: a channel is not read while its request runs. With a lookahead, waitress's main loop
    # spent about 1 ms of CPU per small request polling the busy channel (more than mockcp's
    # own work on it: issue 18); a hang learns that its client left from the socket itself
    # (``client_gone`` below).
    channel_request_lookahead: int = 0
    running: int = 0  # requests that run the app at once (0: no turns, as waitress alone)
    stuck_after: float = 0.02  # seconds: a request running longer no longer holds the others

    def adjustments(self) -> dict[str, int]:
        return {
            "threads": self.threads,
            "channel_timeout": self.channel_timeout,
            "connection_limit": self.connection_limit,
            "cleanup_interval": self.cleanup_interval,
            "channel_request_lookahead": self.channel_request_lookahead,
        }


class Admission:
    """Turns among the worker threads: at most ``slots`` run at once; a waiting thread goes
    anyway when every running one has held its turn for ``stuck_after`` seconds or more, so
    a stuck request (a hang, a long page, a wait on a lock) delays the others by at most that.
    Turns change only who runs when, never what a request does."""

    def __init__(
        self, slots: int, stuck_after: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._slots = slots
        self._stuck_after = stuck_after
        self._now = now
        self._cond = threading.Condition(threading.Lock())
        self._since: dict[int, float] = {}  # a running turn's id: when it began
        self._turns = 0
        self._waiting = 0

    @contextmanager
    def turn(self) -> Iterator[bool]:
        """Run in a turn (yields True) or, when the running ones are stuck, beside them."""
        mine = self._enter() if self._slots > 0 else None
        try:
            yield mine is not None
        finally:
            if mine is not None:
                with self._cond:
                    del self._since[mine]
                    self._cond.notify()

    def _enter(self) -> int | None:
        with self._cond:
            while len(self._since) >= self._slots:
                wait = max(self._since.values()) + self._stuck_after - self._now()
                if wait <= 0:  # every running request is stuck: do not queue behind them
                    return None
                self._waiting += 1
                try:
                    self._cond.wait(wait)
                finally:
                    self._waiting -= 1
            self._turns += 1
            self._since[self._turns] = self._now()
            return self._turns

    @property
    def running(self) -> int:
        with self._cond:
            return len(self._since)

    @property
    def waiting(self) -> int:
        with self._cond:
            return self._waiting


NO_TURNS = Admission(0, 0.0)  # a server made without make_server: waitress alone


class _AbortableTask(WSGITask):
    """A waitress task that closes its connection unanswered on ``ConnectionAbort``, and
    tells the app whether its client left (``waitress.client_disconnected``: waitress's own
    check only works with a request lookahead)."""

    aborted: str | None = None

    def get_environment(self) -> Any:
        environ = super().get_environment()
        if not self.channel.adj.channel_request_lookahead:  # waitress's check would never see
            sock = self.channel.socket
            environ[DISCONNECTED] = lambda: client_gone(sock)
        return environ

    def execute(self) -> None:
        admission: Admission = getattr(self.channel.server, "admission", NO_TURNS)
        with admission.turn():
            self._execute()

    def _execute(self) -> None:
        try:
            super().execute()
        except ConnectionAbort as abort:
            self.aborted = abort.kind
            self.close_on_finish = True
            sock = self.channel.socket
            if abort.kind == "reset" and sock is not None:
                sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )

    def finish(self) -> None:
        if self.aborted is None:
            super().finish()


DISCONNECTED = "waitress.client_disconnected"


def client_gone(sock: socket.socket | None) -> bool:
    """Whether the peer of ``sock`` closed the connection: the socket reads as at its end
    (peeked, so a request the client already sent stays to be read)."""
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):  # reset, or closed under us
        return True


class _Channel(HTTPChannel):
    task_class = _AbortableTask


def make_server(app: Any, host: str, port: int, limits: ServerLimits | None = None) -> Any:
    """A waitress server for ``app`` bound to host:port (0: a free port), not yet running."""
    adjustments: dict[str, Any] = {"host": host, "port": port, "ident": "mockcp"}
    limits = limits or ServerLimits()
    adjustments.update(limits.adjustments())
    server: Any = create_server(app, map={}, **adjustments)
    server.channel_class = _Channel
    server.admission = Admission(limits.running, limits.stuck_after)
    return server


def stop(server: Any) -> None:
    """Stop a server started with ``run()`` in another thread: its workers, then its sockets,
    closed by its own loop (closed from here, a socket could vanish under the loop's select:
    EBADF in the server thread); directly if the loop does not answer."""
    server.task_dispatcher.shutdown()
    closed = threading.Event()

    def close_all() -> None:
        wasyncore.close_all(server._map)
        closed.set()

    server.trigger.pull_trigger(close_all)
    if not closed.wait(5):
        wasyncore.close_all(server._map)


@contextmanager
def quiet_queue() -> Iterator[None]:
    """waitress warns "Task queue depth is N" for each request that finds no idle worker: at
    16 clients that is a log line per request, written by the main loop every worker waits
    on (and with turns, most workers wait on purpose). Quiet while serving, then put back."""
    queue = logging.getLogger("waitress.queue")
    level = queue.level
    queue.setLevel(logging.ERROR)
    try:
        yield
    finally:
        queue.setLevel(level)


def serve_forever(app: Any, host: str, port: int, limits: ServerLimits | None = None) -> None:
    """Run the production server until interrupted (``mockcp serve``)."""
    with quiet_queue():
        make_server(app, host, port, limits).run()


@contextmanager
def running(
    app: Any, host: str = "127.0.0.1", port: int = 0, limits: ServerLimits | None = None
) -> Iterator[str]:
    """The production server in a background thread; yields its base URL, stops on exit."""
    server = make_server(app, host, port, limits)
    thread = threading.Thread(target=server.run, name="mockcp-waitress", daemon=True)
    with quiet_queue():
        thread.start()
        try:
            yield f"http://{host}:{server.effective_port}"
        finally:
            stop(server)
            thread.join(timeout=10)
