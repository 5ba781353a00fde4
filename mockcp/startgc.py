"""Python's cyclic garbage collector during a start (issue 18: start to ready).

A start allocates about 120,000 long-lived objects (modules, classes, tables, the SOAP
application, the world's reference data) and almost no cyclic garbage (0.2 MB on the minimal
world, 0.4 MB on the demo world, measured). The collector scans the young objects again and
again while they pile up: about 100 ms of a minimal world's 0.7 s start and 0.7 s of the
demo world's, spent finding nothing. So ``mockcp serve`` starts with the collector off; when
the world is ready, every object the start made is moved to the collector's permanent
generation (``gc.freeze``), which later collections never scan, and the collector is switched
on before the first request is taken. The first request thus pays no deferred collection of
the start's heap, and each later full collection scans only what serving made since. The
start's own cyclic garbage stays with the frozen objects: a bounded, one-off amount. Any
later build of a world (a reset to a new start, a sandbox's template, a test's world in
process) runs with the collector paused, not frozen (``collector_paused``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def collector_after_start() -> Iterator[Callable[[], None]]:
    """The collector off until the yielded ``ready()`` is called (freeze, then on); at the
    end the collector is as the caller had it: on or off, and what this froze thawed (a
    caller that had frozen objects itself keeps them frozen)."""
    enabled = gc.isenabled()
    froze = False

    def ready() -> None:
        nonlocal froze
        if not froze and gc.get_freeze_count() == 0:
            gc.freeze()
            froze = True
        if enabled:
            gc.enable()

    gc.disable()
    try:
        yield ready
    finally:
        if froze:
            gc.unfreeze()
        if enabled:
            gc.enable()
        else:
            gc.disable()


def built_for_good(build: Callable[[], T]) -> T:
    """``build()`` with the collector off, then the heap frozen and the collector back as it
    was, for good: for a process that serves what it built until it exits (a gunicorn
    worker, or its master before it forks: frozen objects are not written to by collections,
    so the workers keep sharing their pages)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        built = build()
        gc.freeze()
        return built
    finally:
        if enabled:
            gc.enable()


class _Pauses:
    """The builds running now in this process, and whether the collector ran before the
    first of them (under ``lock``)."""

    lock = threading.Lock()
    running = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off while a world is built in a process that may already serve (a reset
    to a new start, a sandbox's template, an in-process test world): a build makes tens of
    thousands of objects that live on and almost no cyclic garbage, and the collector's
    scans of them cost 15 % of a demo build (6 % of a minimal one). Builds in several threads
    at once share one pause: the collector comes back as it was when the last one ends. It
    is not frozen: the world a reset replaces must still be collectable."""
    with _Pauses.lock:
        if _Pauses.running == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.running += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.running -= 1
            if _Pauses.running == 0 and _Pauses.was_enabled:
                gc.enable()
