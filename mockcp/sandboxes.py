"""Sandboxes: isolated worlds inside one running server, one per test worker.

``POST /_mock/sandboxes {"fixture", "seed", "start", "clock"}`` builds a world in storage of its own
(a SQLite file beside the parent's, an in-memory database beside an in-memory parent, a
schema ``mockcp_sb_<id>`` on PostgreSQL). Its licence keys end in ``@<id>``: the SOAP endpoint
hands a call to the sandbox its key names. Its control plane is the parent's, under
``/_mock/sandboxes/<id>/...``. The registry is a table of the parent's store, so every
process on it knows every sandbox; a process keeps an app per sandbox it has served and
checks the registry on every call, so a deleted sandbox is never answered from a stale copy.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    String,
    Table,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from mockcp.clock import parse_mode, wall_seconds
from mockcp.config import Settings
from mockcp.db.images import write_transaction
from mockcp.db.journal_store import FILE_SUFFIXES as JOURNAL_SUFFIXES
from mockcp.db.models import UtcDateTime
from mockcp.db.storegate import GATE_SUFFIXES
from mockcp.sandbox_templates import Templates
from mockcp.worlds import REGISTRY, WorldStore, new_start

SANDBOXES = Table(
    "mockcp_sandbox",
    REGISTRY,
    Column("id", String(16), primary_key=True),
    Column("fixture", String(40), nullable=False),
    Column("seed", BigInteger),
    Column("start", UtcDateTime),
    Column("url", String(600), nullable=False),
    Column("created_wall", Float, nullable=False),
)
log = logging.getLogger("mockcp.sandboxes")
MAX_SANDBOXES = 100
MAX_OPEN = 16  # sandbox apps (engines, pools) one process keeps open at a time
MEMORY = frozenset({None, "", ":memory:"})
_ID = re.compile(r"^sb[0-9a-f]{8}$")
_KEY = re.compile(rb"<(?:[\w.-]+:)?Username\b[^>]*>\s*[^<@\s]+@(sb[0-9a-f]{8})\s*</")


class SandboxApp(Protocol):
    """What a sandbox is served by: a whole mockcp app on its own store."""

    engine: Engine
    world: WorldStore

    def reset(self, body: object = None) -> None: ...

    def close(self) -> None: ...

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]: ...


class SandboxError(ValueError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def sandbox_key(license_key: str, sandbox_id: str) -> str:
    return f"{license_key}@{sandbox_id}"


def key_sandbox(body: bytes) -> str | None:
    """The sandbox a SOAP request's licence key names, if any (cheap: no XML parse)."""
    if b"@sb" not in body:
        return None
    found = _KEY.search(body)
    return found.group(1).decode() if found else None


class Sandboxes:
    """The sandboxes of the store behind ``engine`` (the parent world's)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        build: Callable[[Settings, str], SandboxApp],
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._build = build
        self._lock = threading.Lock()
        self._apps: OrderedDict[str, SandboxApp] = OrderedDict()  # the most recent last
        self.max_open = MAX_OPEN
        self.templates = Templates(engine, settings, build)
        self._open_lock = threading.Lock()

    def _storage(self, sandbox_id: str) -> str:
        url = make_url(self._settings.database_url)
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                return "sqlite://"
            folder = Path(f"{url.database}.sandboxes")
            folder.mkdir(exist_ok=True)
            return f"sqlite:///{folder / sandbox_id}.sqlite3"
        schema = f"mockcp_sb_{sandbox_id}"
        with self._engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )

    def create(self, body: object) -> dict[str, object]:
        """Build a sandbox world and register it; its description (with credentials)."""
        settings = self._settings_of(body)
        with self._engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(SANDBOXES)).scalar_one()
        if count >= MAX_SANDBOXES:
            raise SandboxError(f"at most {MAX_SANDBOXES} sandboxes; delete some first", 409)
        sandbox_id = f"sb{secrets.token_hex(4)}"
        url = self._storage(sandbox_id)
        settings = replace(settings, database_url=url)
        copied = self.templates.copy(settings, sandbox_id)
        app = self._build(settings, sandbox_id)
        if copied:
            app.world.anchor_start()  # the template's start, its clock anchored now
        # Its own credentials, in the live tables and in the start image alike.
        with write_transaction(app.engine) as conn:
            for table in ("api_credential", "mockcp_img_start__api_credential"):
                conn.execute(
                    text(f"UPDATE {table} SET license_key = license_key || :suffix"),
                    {"suffix": f"@{sandbox_id}"},
                )
        with self._engine.begin() as conn:
            conn.execute(
                SANDBOXES.insert().values(
                    id=sandbox_id, fixture=settings.fixture,
                    seed=settings.root_seed if settings.fixture == "demo" else None,
                    start=settings.clock_start, url=url, created_wall=wall_seconds(),
                )
            )
        self._keep(sandbox_id, app)
        return self.describe(sandbox_id)

    def _keep(self, sandbox_id: str, app: SandboxApp) -> None:
        """Remember an open sandbox app; beyond ``max_open`` stored ones the least recently
        used is closed (its pools disposed; a request still using it finishes, and the next one
        opens it again)."""
        with self._lock:
            self._apps[sandbox_id] = app
            self._apps.move_to_end(sandbox_id)
            # an in-memory sandbox lives only in its app: it is never closed to save room
            stored = [k for k, a in self._apps.items() if a.engine.url.database not in MEMORY]
            evicted = [self._apps.pop(k) for k in stored[: max(0, len(stored) - self.max_open)]]
        for old in evicted:
            old.close()

    def open_ids(self) -> list[str]:
        """The sandboxes this process holds open, least recently used first."""
        with self._lock:
            return list(self._apps)

    def _settings_of(self, body: object) -> Settings:
        """A new sandbox's settings: ``{"fixture", "seed", "start"}`` as a reset's, and
        ``"clock"`` (frozen, realtime or xN) its clock mode from the start."""
        fields = dict(body) if isinstance(body, dict) else body
        mode = fields.pop("clock", None) if isinstance(fields, dict) else None
        settings = new_start(self._settings, fields or {"fixture": self._settings.fixture})
        if mode is None:
            return settings
        if not isinstance(mode, str):
            raise ValueError('clock must be "frozen", "realtime" or "xN"')
        parse_mode(mode)  # ValueError saying what is wrong
        return replace(settings, clock_mode=mode)

    def describe(self, sandbox_id: str) -> dict[str, object]:
        row = self._row(sandbox_id)
        if row is None:
            raise SandboxError(f"no sandbox {sandbox_id!r}", 404)
        return {
            "id": row.id,
            "fixture": row.fixture,
            "seed": row.seed,
            "start": None if row.start is None else row.start.isoformat(),
            "controlPlane": f"/_mock/sandboxes/{row.id}/",
        }

    def list(self) -> list[dict[str, object]]:
        with self._engine.connect() as conn:
            ids = conn.execute(select(SANDBOXES.c.id).order_by(SANDBOXES.c.created_wall)).all()
        return [self.describe(row.id) for row in ids]

    def _row(self, sandbox_id: str) -> Any:
        if not _ID.match(sandbox_id):
            return None
        with self._engine.connect() as conn:
            return conn.execute(select(SANDBOXES).where(SANDBOXES.c.id == sandbox_id)).first()

    def app(self, sandbox_id: str) -> SandboxApp | None:
        """The app of a registered sandbox (opened in this process on first use)."""
        row = self._row(sandbox_id)
        with self._lock:
            found = self._apps.pop(sandbox_id, None) if row is None else self._apps.get(sandbox_id)
            if found is not None and row is not None:
                self._apps.move_to_end(sandbox_id)
                return found
        if row is None:
            if found is not None:
                found.close()
            return None
        start: datetime | None = row.start
        settings = replace(
            self._settings, database_url=row.url, fixture=row.fixture,
            root_seed=row.seed if row.seed is not None else self._settings.root_seed,
            clock_start=start,
        )
        with self._open_lock:  # one opening at a time: two threads never open it twice
            with self._lock:
                opened = self._apps.get(sandbox_id)
            if opened is None:
                opened = self._build(settings, sandbox_id)
                self._keep(sandbox_id, opened)
        return opened

    def delete(self, sandbox_id: str) -> None:
        row = self._row(sandbox_id)
        if row is None:
            raise SandboxError(f"no sandbox {sandbox_id!r}", 404)
        with self._engine.begin() as conn:
            conn.execute(delete(SANDBOXES).where(SANDBOXES.c.id == sandbox_id))
        with self._lock:
            app = self._apps.pop(sandbox_id, None)
        if app is not None:
            app.close()
        self.templates.release(sandbox_id)
        url = make_url(row.url)
        if url.get_backend_name() == "sqlite" and url.database:
            for suffix in ("", "-wal", "-shm", ".lock", *GATE_SUFFIXES, *JOURNAL_SUFFIXES):
                Path(f"{url.database}{suffix}").unlink(missing_ok=True)
        elif url.get_backend_name() != "sqlite":
            with self._engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "mockcp_sb_{sandbox_id}" CASCADE'))

    def close(self) -> None:
        """Close every sandbox app of this process and remove the templates no sandbox
        uses (shutdown)."""
        with self._lock:
            apps = list(self._apps.values())
            self._apps.clear()
        for app in apps:
            app.close()
        try:
            self.templates.collect()
        except (SQLAlchemyError, OSError):  # shutting down: the store may be gone already
            log.warning("could not remove unused sandbox templates", exc_info=True)
