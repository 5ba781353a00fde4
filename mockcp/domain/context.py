"""The request-scoped world: one caller's view of the store at one instant.

Every domain entry point takes a ``World`` first instead of the ``(db, principal, seed,
now)`` quartet. It is built once per SOAP call (``soap.context.RequestContext.world``) and
by the other callers of the domain (the dashboard). ``ensure_simulated`` brings the
simulation up to ``now`` (idempotent: the second call in a request costs one read);
``realm`` is the caller's realm, computed on first use and kept for the request (the
simulation never changes ownership, groups or grants, so it cannot go stale within one).

(The store-wide ``mockcp.worlds.WorldStore`` is another thing: the start image,
snapshots and the clock of a whole store.)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from mockcp.domain import realm_cache
from mockcp.domain.kept import KeptReads
from mockcp.domain.principal import Principal
from mockcp.domain.realm import Realm
from mockcp.sim.store.engine import behind, materialize, watermarks

T = TypeVar("T")


@dataclass(slots=True)
class World:
    """What one domain call sees: the session, the caller, the root seed, the instant."""

    db: Session
    caller: Principal
    seed: int
    # The instant, or how to read it on first use: a call that never asks for the time never
    # reads the clock (the SOAP edge then knows its answer is timeless, mockcp/answers.py).
    instant: datetime | Callable[[], datetime]
    # What the app's reads keep while the world's file is unchanged (None: read each time).
    reads: KeptReads | None = field(default=None, repr=False)
    _realm: Realm | None = field(default=None, repr=False)

    @property
    def now(self) -> datetime:
        if not isinstance(self.instant, datetime):
            self.instant = self.instant()
        return self.instant

    @property
    def realm(self) -> Realm:
        """The caller's realm (once per world; across requests while the layout stamp holds)."""
        if self._realm is None:  # (kept: without reading the layout stamp)
            self._realm = self.kept(
                ("realm", self.caller.org_pk),
                lambda: realm_cache.REALMS.realm(self.db, self.caller), Realm,
            )  # fmt: skip
        return self._realm

    def kept(
        self,
        key: Hashable,
        build: Callable[[], T],
        kind: type[T],
        detach: Callable[[T], T] | None = None,
    ) -> T:
        """``build()``, or what the app kept of it under ``key`` while the world's file is
        unchanged (``domain/kept.py``); ``detach`` turns a value to be kept into one that
        outlives this request's session (applied only when it is kept)."""
        if self.reads is None:
            return build()
        keep = build if detach is None else lambda: detach(build())
        return self.reads.get(self.db, key, keep, kind)

    def ensure_simulated(self, until: datetime | None = None) -> None:
        """Plan the simulation through ``until`` (default: now) and bring statuses there."""
        until = self.now if until is None else until
        if self.reads is not None:  # the watermarks of an unchanged world, from memory
            meta = self.kept(("watermarks",), lambda: watermarks(self.db), dict)
            if not behind(meta, until):
                return  # what materialize would find: nothing to do
        materialize(self.db, self.seed, until)
