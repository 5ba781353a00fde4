"""A per-process credential cache that cannot be stale across processes (issue 18).

Looking the caller up (``domain.principal.lookup``: a join built and loaded through the ORM)
was the largest single cost of a small call. A hit here costs one indexed read of the
credentials stamp (``db/stamps.py``), which every writer of credentials updates: a process
whose stamp differs from the stored one forgets everything it knew. Only successful lookups
are kept (a wrong password always goes to the database), at most ``MAX_ENTRIES`` of them.
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from mockcp.db.stamps import read_credentials_stamp
from mockcp.domain.principal import Principal, lookup

MAX_ENTRIES = 1024


class Unread:
    """The credentials stamp was not read yet (None is a stamp: "the world has none")."""


UNREAD = Unread()


class CredentialCache:
    """Principals by (licence key, password), valid under one credentials stamp."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._stamp: str | None = None
        self._known: dict[tuple[str, str], Principal] = {}
        self._max = max_entries

    def known(self, license_key: str, password: str, stamp: str | None) -> Principal | None:
        """The cached principal when ``stamp`` (read in this call) is the one it was learned
        under, else None: a hit needs no database session at all."""
        if stamp is None:
            return None
        with self._lock:
            if stamp != self._stamp:
                return None
            return self._known.get((license_key, password))

    def principal(
        self, db: Session, license_key: str, password: str, stamp: str | None | Unread = UNREAD
    ) -> Principal | None:
        """What ``lookup`` answers for these credentials, from memory when provably current.

        ``stamp``: the stored stamp when the caller read it already in this call (its one read
        of the store, ``db/callstate.py``); read here otherwise."""
        if isinstance(stamp, Unread):
            stamp = read_credentials_stamp(db)
        key = (license_key, password)
        with self._lock:
            if stamp != self._stamp:
                self._known.clear()
                self._stamp = stamp
            hit = self._known.get(key) if stamp is not None else None
        if hit is not None:
            return hit
        found = lookup(db, license_key, password)
        if found is not None and stamp is not None:
            with self._lock:
                if self._stamp == stamp and len(self._known) < self._max:
                    self._known[key] = found
        return found
