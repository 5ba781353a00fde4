"""Realms kept per process, valid under one layout stamp (issue 18).

Computing a realm costs a handful of queries per request; the realm of one organisation
changes only when the world's layout does (``db/layout_stamp.py``: only the loader writes
ownership, groups, memberships and grants, and records their digest). A hit costs one indexed
read of that stamp, so a reset, a restore or another process loading another world is never
missed. Keys carry the stamp itself (a content digest), so apps of different worlds in one
process share the cache safely. Worlds without a stamp are never cached.
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from mockcp.db.layout_stamp import read_layout_stamp
from mockcp.domain.principal import Principal
from mockcp.domain.realm import Realm, realm_of

MAX_ENTRIES = 4096


class RealmCache:
    """Realms by (layout stamp, organisation pk); at most ``max_entries`` of them."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple[str, int], Realm] = {}
        self._max = max_entries

    def realm(self, db: Session, principal: Principal) -> Realm:
        """What ``realm_of`` answers for ``principal``, from memory when provably current."""
        stamp = read_layout_stamp(db)
        if stamp is None:
            return realm_of(db, principal)
        key = (stamp, principal.org_pk)
        with self._lock:
            hit = self._known.get(key)
        if hit is not None:
            return hit
        found = realm_of(db, principal)
        with self._lock:
            if len(self._known) >= self._max:
                self._known.clear()
            self._known[key] = found
        return found

    def clear(self) -> None:
        with self._lock:
            self._known.clear()


REALMS = RealmCache()
