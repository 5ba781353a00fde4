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
start's own cyclic garbage stays with the frozen objects: a bounded, one-off amount.
"""

from __future__ import annotations

import gc
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
