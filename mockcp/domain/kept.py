"""What a read learns of the world, kept per app while the world's file is unchanged (issue 18).

A station search (getStations, getStationStatus, getCustomGroupStations, getPublicStations,
getAlarms, getStationRights, getChargingSessionData's station filters) first reads the
caller's stations with their ports, owners, groups and memberships: the station index,
about half of a one-station getStationStatus. Every read also asks how far
the world is planned (the watermarks), and the caller's realm, the named stations' keys and a
page's pricing cost a query each. Between two polls of the same caller nothing of it changes
unless something wrote to the world: a shed, an event, a clock move that planned further, a
reset, another process. ``KeptReads`` keeps each of them (the station index of a caller's
organisation or of the public, the realm, the watermarks, named stations, a page's pricing:
``domain/stations/search.py``, ``domain/context.py``; and every call's state:
``answers.call_state``) under the world file's epoch
(``db/world_version.py``, read through ``version``: it moves on at every commit to the file by
any connection of any process, and at this process's own rebuilds and restores), so a poll
in the same epoch reads them from memory.

Why a kept index is the index the request would read:

- the epoch is read just before the index is used or built, and every statement of the
  build runs after it (on SQLite a read outside a write transaction sees the last commit when
  it starts), so an index kept under epoch E holds at least every commit E stands for; any
  later commit moves the epoch on before anyone reads E again. **Precondition:** the
  request's session holds no partly read result when a value is built (the domain reads its
  results whole: ``all()``, ``one()``, ``scalars()`` consumed): an open statement pins the
  connection's snapshot, which ``writing`` cannot see, and a build on it would read the world
  before the epoch it is kept under (the review of this module showed it with a Core result
  left half read). Likewise a build's inputs are read after the epoch, except what the same
  request read before it: the realm a station index is built from, ORM objects already in the
  session's identity map (a query does not refresh them). Only a write outside a request (the
  loader, a reset, a restore: each holds the gate alone, so none lands inside a request) or
  a foreign process writing the tables directly changes those;
- a request that has written and not committed (its SQLite connection is in a transaction)
  neither reads nor keeps one: it must see its own writes, which may yet be rolled back;
- what is kept is plain: rows as named tuples, organisations, groups and pricing rules as
  copies attached to no session, so nothing expires or loads lazily after the request that
  built it ends; nobody writes through them.

On PostgreSQL the epoch is ``db/store_epoch.py``'s (``looks``: read on the request's own
session, together with whether that session wrote; ``writes``: whether it wrote since); the
same argument holds there per statement (READ COMMITTED: each statement sees every commit
made before it starts, and every commit that writes the world moves the epoch): see that
module. An in-memory store (``version`` absent, or ``None`` from it) always reads the index.
Memory: entries of one epoch at a time, at most ``max_entries``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_ENTRIES = 256  # per epoch: a few per caller (its index, realm, named stations, pages)


class KeptReads:
    """Values by key, valid in one epoch of the world's file (see the module docstring)."""

    def __init__(
        self,
        version: Callable[[], int | None],
        max_entries: int = MAX_ENTRIES,
        looks: Callable[[Session], int | None] | None = None,
        writes: Callable[[Session], bool] | None = None,
    ) -> None:
        self._version = version
        self._looks = looks  # the epoch read on the request's session, None when it wrote
        self._writes = writes or writing
        self._max = max_entries
        self._lock = threading.Lock()
        self._epoch: int | None = None
        self._kept: dict[Hashable, object] = {}
        self.served = 0  # values given from memory (tests read it)

    def get(
        self, db: Session | None, key: Hashable, build: Callable[[], T], kind: type[T]
    ) -> T:
        """The value of ``key`` in the current epoch, built (and kept) on a miss; ``db``: the
        request's session (None: the build reads on a connection of its own, outside any
        write of the request)."""
        epoch = self._epoch_for(db)
        if epoch is None:
            return build()
        with self._lock:
            hit = self._kept.get(key) if epoch == self._epoch else None
        if isinstance(hit, kind):
            with self._lock:
                self.served += 1
            return hit
        value = build()
        if db is not None and self._writes(db):  # the build itself wrote: keep nothing
            return value
        with self._lock:
            if self._epoch is None or epoch > self._epoch:  # a newer epoch: the rest is stale
                self._epoch = epoch
                self._kept.clear()
            if epoch == self._epoch:  # (a slower request of an older epoch keeps nothing)
                if len(self._kept) >= self._max:
                    self._kept.clear()
                self._kept[key] = value
        return value

    def _epoch_for(self, db: Session | None) -> int | None:
        """The epoch a value for ``db`` may be served or kept under; None: neither."""
        if db is None:
            return self._version()
        if self._looks is not None:
            return self._looks(db)
        return None if writing(db) else self._version()

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._epoch = None


def writing(db: Session) -> bool:
    """Whether ``db``'s connection holds uncommitted writes (anything but a SQLite
    connection outside a write transaction counts as writing: nothing is kept for it)."""
    driver = db.connection().connection.driver_connection
    return bool(getattr(driver, "in_transaction", True))
