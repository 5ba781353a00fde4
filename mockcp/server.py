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
may hand it to another worker, and waitress wakes a sleeping worker for every request. So
the pool here (``SteadyDispatcher``) lets one worker run requests back to back while it
keeps up, and sends the next request to another worker only when every running one has run
longer than ``ServerLimits.stuck_after`` (a long page, a forced hang, a wait on a lock):
nobody waits behind a stuck request for longer than that. Measured with
bench/bench_serving.py (BENCHMARKS.md, lead, fifth session).
"""

from __future__ import annotations

import resource
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
from waitress.task import ThreadedTaskDispatcher, WSGITask

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
    running: int = 1  # requests that run the app at once, unless every one of them is stuck
    stuck_after: float = 0.02  # seconds: a request running longer no longer holds the others

    def adjustments(self) -> dict[str, int]:
        return {
            "threads": self.threads,
            "channel_timeout": self.channel_timeout,
            "connection_limit": self.connection_limit,
            "cleanup_interval": self.cleanup_interval,
            "channel_request_lookahead": self.channel_request_lookahead,
            # poll(2), not select(2): the loop must watch sockets numbered 1024 and up, which
            # a server with many sandboxes has (raise_open_files); select() refuses them, and
            # its ValueError ended waitress's loop.
            "asyncore_use_poll": True,
        }


class SteadyDispatcher(ThreadedTaskDispatcher):
    """waitress's worker pool, where one worker keeps running while it keeps up.

    A request goes to an idle worker only while fewer than ``slots`` run, or when every
    running one has run for ``stuck_after`` seconds or more (a long page, a forced hang, a
    wait on a lock: a watcher thread lets the next one go then). Otherwise it waits in the
    queue, and the worker that finishes next takes it without sleeping: no hand-off between
    threads, no wake-up, one warm thread. waitress alone wakes the longest-idle worker for
    every request, so its eight workers take turns at the GIL (issue 18: at 16 clients
    that ran 0.6-0.86x as fast as one client; with this pool 1.0-1.2x). It changes only
    which thread runs a request and when, never what the request does."""

    def __init__(
        self, slots: int, stuck_after: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.slots = slots
        self.stuck_after = stuck_after
        self._now = now
        self._since: dict[int, float] = {}  # a running worker: when its request began
        self._watch = threading.Condition(self.lock)
        self._asleep = False  # the watcher waits for no deadline: it must be woken to watch
        self._closed = False
        threading.Thread(target=self._watcher, name="mockcp-stuck-watch", daemon=True).start()

    def _may_start(self) -> bool:
        """(Under the lock.) Whether an idle worker may take a queued request now."""
        if self.slots <= 0 or len(self._since) < self.slots:  # 0: no limit, as waitress
            return True
        return max(self._since.values()) + self.stuck_after <= self._now()

    @property
    def running(self) -> int:
        with self.lock:
            return len(self._since)

    def add_task(self, task: Any) -> None:
        with self.lock:
            self.queue.append(task)
            if self._may_start():
                self.queue_cv.notify()
            elif self._asleep:  # the running worker takes it when done, or the watcher lets
                self._watch.notify()  # another go (a watcher awake keeps its own time)

    def handler_thread(self, thread_no: int) -> None:
        while True:
            with self.lock:
                while (not self.queue or not self._may_start()) and self.stop_count == 0:
                    self.active_count -= 1
                    self.queue_cv.wait()
                    self.active_count += 1
                if self.stop_count > 0:
                    self.active_count -= 1
                    self.stop_count -= 1
                    self.threads.discard(thread_no)
                    self.thread_exit_cv.notify()
                    return
                task = self.queue.popleft()
                self._since[thread_no] = self._now()
                if self.queue and self._asleep:  # others wait behind this one: watch it
                    self._watch.notify()
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)
            finally:
                with self.lock:
                    del self._since[thread_no]

    def _watcher(self) -> None:
        """Lets an idle worker go when requests wait and every running one is stuck."""
        with self.lock:
            while not self._closed:
                if not self.queue or not self._since:
                    self._asleep = True  # until a request waits behind a running one
                    self._watch.wait()
                    self._asleep = False
                    continue
                left = max(self._since.values()) + self.stuck_after - self._now()
                if left > 0:
                    self._watch.wait(left)
                    continue
                self.queue_cv.notify()  # an idle worker, if any, takes the next request
                self._watch.wait(self.stuck_after)  # then the one it took is the newest

    def shutdown(self, cancel_pending: bool = True, timeout: int = 5) -> bool:
        with self.lock:
            self._closed = True
            self._watch.notify()
        done: bool = super().shutdown(cancel_pending, timeout)
        return done


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
        try:
            super().execute()
        except ConnectionAbort as abort:
            self.aborted = abort.kind
            self.close_on_finish = True
            sock = self.channel.socket
            if abort.kind == "reset" and sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def finish(self) -> None:
        if self.aborted is None:
            super().finish()


DISCONNECTED = "waitress.client_disconnected"


def client_gone(sock: socket.socket | None) -> bool:
    """Whether the peer of ``sock`` closed the connection: the socket reads as at its end
    (peeked, so a request the client already sent stays to be read)."""
    if sock is None:
        return True
    try:  # poll, not select: select refuses a descriptor of 1024 or more (raise_open_files)
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        readable = poller.poll(0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):  # reset, or closed under us
        return True


class _Channel(HTTPChannel):
    task_class = _AbortableTask


OPEN_FILES = 65536  # the soft limit of open files a server asks for (at most its hard limit)


def raise_open_files() -> int:
    """Raise this process's soft limit of open files toward its hard limit (at most
    ``OPEN_FILES``), never lower it; the soft limit in force. A sandbox keeps about 13
    descriptors open at rest (its pooled connections, its journal's, its lock files) and two
    more for each worker thread that served it, so Linux's usual 1024 (macOS: 256) would end
    a server with a few dozen sandboxes in "Too many open files"."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(hard, OPEN_FILES)
    for target in (wanted, 10240):  # macOS refuses more than kern.maxfilesperproc (10240)
        if soft >= target:
            return soft
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            continue
        return target
    return soft


def make_server(app: Any, host: str, port: int, limits: ServerLimits | None = None) -> Any:
    """A waitress server for ``app`` bound to host:port (0: a free port), not yet running;
    the process may open as many files as its hard limit allows (``raise_open_files``)."""
    raise_open_files()
    adjustments: dict[str, Any] = {"host": host, "port": port, "ident": "mockcp"}
    limits = limits or ServerLimits()
    adjustments.update(limits.adjustments())
    dispatcher = SteadyDispatcher(limits.running, limits.stuck_after)
    dispatcher.set_thread_count(limits.threads)
    try:
        server: Any = create_server(app, map={}, _dispatcher=dispatcher, **adjustments)
    except BaseException:  # the port is taken, say: the pool's threads end with it
        dispatcher.shutdown()
        raise
    server.channel_class = _Channel
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


def serve_forever(app: Any, host: str, port: int, limits: ServerLimits | None = None) -> None:
    """Run the production server until interrupted (``mockcp serve``)."""
    make_server(app, host, port, limits).run()


@contextmanager
def running(
    app: Any, host: str = "127.0.0.1", port: int = 0, limits: ServerLimits | None = None
) -> Iterator[str]:
    """The production server in a background thread; yields its base URL, stops on exit."""
    server = make_server(app, host, port, limits)
    thread = threading.Thread(target=server.run, name="mockcp-waitress", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.effective_port}"
    finally:
        stop(server)
        thread.join(timeout=10)
