"""What a request handler gets: its database session, the clock, the caller."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from mockcp.clock import Clock
from mockcp.config import Settings
from mockcp.domain.principal import Principal


@dataclass(slots=True)
class Runtime:
    """Long-lived server state shared by every request of one app."""

    sessions: sessionmaker[Session]
    clock: Clock
    settings: Settings


@dataclass(slots=True)
class RequestContext:
    """Per-request state, stored on spyne's ``ctx.udc``."""

    runtime: Runtime
    principal: Principal
    db: Session | None = None
    details: dict[str, str] = field(default_factory=dict)

    @property
    def clock(self) -> Clock:
        return self.runtime.clock

    def session(self) -> Session:
        """The request's database session (opened on first use)."""
        if self.db is None:
            self.db = self.runtime.sessions()
        return self.db
