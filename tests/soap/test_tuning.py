"""spyne's once-a-second gc.collect() is switched off for mockcp's requests (issue 18)."""

from __future__ import annotations

import types

import pytest
import spyne.context
import zeep
from spyne import const

from mockcp.soap import (
    application,  # noqa: F401  (importing it applies the tuning)
    envelope,
)


class CollectCounter:
    def __init__(self) -> None:
        self.calls = 0

    def collect(self) -> int:
        self.calls += 1
        return 0


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> CollectCounter:
    """Count spyne's own gc.collect() calls; make the last one look long ago."""
    found = CollectCounter()
    monkeypatch.setattr(spyne.context, "gc", types.SimpleNamespace(collect=found.collect))
    monkeypatch.setattr(spyne.context, "_LAST_GC_RUN", 0.0)
    return found


def test_request_runs_no_gc_collect_however_long_since_the_last(
    client: zeep.Client, counter: CollectCounter
) -> None:
    rows = client.service.getCPNInstances()
    client.service.getCPNInstances()
    assert len(rows) == 4
    assert counter.calls == 0


def test_spyne_default_interval_would_collect_on_that_request(
    client: zeep.Client, counter: CollectCounter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe above is live: with spyne's stock interval the same request collects, on
    spyne's own path (the lean path, ``soap/lean.py``, builds no ``MethodContext`` to close)."""
    monkeypatch.setattr(const, "MIN_GC_INTERVAL", 1.0)
    monkeypatch.setattr(envelope, "LEAN", False)
    client.service.getCPNInstances()
    assert counter.calls == 1
