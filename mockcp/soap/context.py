"""What a request handler gets: its database session, the clock, the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from mockcp.clock import Clock
from mockcp.config import Settings
from mockcp.domain.context import World
from mockcp.domain.kept import KeptReads
from mockcp.domain.principal import Principal


@dataclass(slots=True)
class Runtime:
    """Long-lived server state shared by every request of one app."""

    sessions: sessionmaker[Session]
    clock: Clock
    settings: Settings
    reads: KeptReads | None = None  # what reads learn of an unchanged world (SQLite file)


@dataclass(slots=True)
class ReadOnce:
    """A request's clock: the shared clock read at most once, so a request has one instant
    (and a clock kept in the store costs one query per request, not one per use)."""

    source: Clock
    at: datetime | None = None

    def now(self) -> datetime:
        if self.at is None:
            self.at = self.source.now()
        return self.at


@dataclass(slots=True)
class RequestContext:
    """Per-request state, stored on spyne's ``ctx.udc``."""

    runtime: Runtime
    principal: Principal
    db: Session | None = None
    details: dict[str, str] = field(default_factory=dict)
    reading: ReadOnce | None = None
    scope: World | None = None
    # Set when the call asked for the time (its clock or its World): an answer computed
    # without it is a function of the stored world alone (mockcp/answers.py may keep it).
    timed: bool = False

    @property
    def clock(self) -> Clock:
        self.timed = True
        if self.reading is None:
            self.reading = ReadOnce(self.runtime.clock)
        return self.reading

    def _now(self) -> datetime:
        return self.clock.now()

    def stamp_instant(self) -> datetime:
        """The call's instant for its answer's envelope, which is no input of the answer:
        reading it here leaves ``timed`` as it was."""
        timed = self.timed
        now = self.clock.now()
        self.timed = timed
        return now

    def session(self) -> Session:
        """The request's database session (opened on first use)."""
        if self.db is None:
            self.db = self.runtime.sessions()
        return self.db

    def world(self) -> World:
        """The call's request-scoped world (built on first use, once per SOAP call)."""
        if self.scope is None:  # the instant is read (and the call timed) on first use
            self.scope = World(
                self.session(), self.principal, self.runtime.settings.root_seed, self._now,
                self.runtime.reads,
            )
        return self.scope
