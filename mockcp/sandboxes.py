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

import hashlib
import re
import secrets
import sqlite3
import threading
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
    Integer,
    String,
    Table,
    delete,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from mockcp.clock import parse_mode, wall_seconds
from mockcp.config import Settings
from mockcp.db.engine import create_schema, make_engine
from mockcp.db.images import PREFIX, world_tables, write_transaction
from mockcp.db.models import UtcDateTime
from mockcp.db.storegate import GATE_SUFFIXES
from mockcp.db.worldlock import world_lock, world_lock_file
from mockcp.seed.world import SCHEMA_VERSION
from mockcp.worlds import REGISTRY, new_start

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
MAX_SANDBOXES = 100
_ID = re.compile(r"^sb[0-9a-f]{8}$")
_KEY = re.compile(rb"<(?:[\w.-]+:)?Username\b[^>]*>\s*[^<@\s]+@(sb[0-9a-f]{8})\s*</")


class SandboxApp(Protocol):
    """What a sandbox is served by: a whole mockcp app on its own store."""

    engine: Engine

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
        self._apps: dict[str, SandboxApp] = {}
        self._templates: set[str] = set()
        self._template_lock = threading.Lock()  # one template build at a time in a process

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
        copied = self._copy_template(settings)
        app = self._build(settings, sandbox_id)
        if copied:
            app.reset()  # the template's start, its clock anchored now
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
        with self._lock:
            self._apps[sandbox_id] = app
        return self.describe(sandbox_id)

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

    def _copy_template(self, settings: Settings) -> bool:
        """Fill a sandbox's new SQLite file with a copy of a template world of the same
        fixture, seed and start (built once, beside it): milliseconds instead of a build.
        False where there is no template to copy (PostgreSQL, in memory, no fixed start)."""
        where = make_url(settings.database_url)
        target = where.database
        if settings.clock_start is None or not target or target == ":memory:":
            return False
        spec = (
            f"{settings.fixture}|{settings.root_seed}|{settings.clock_start.isoformat()}"
            f"|{parse_mode(settings.clock_mode)}"
        )
        digest = hashlib.sha256(f"{spec}|{SCHEMA_VERSION}".encode()).hexdigest()[:16]
        if where.get_backend_name() == "postgresql":
            self._copy_schema(settings, f"mockcp_tpl_{digest}")
            return True
        if where.get_backend_name() != "sqlite":
            return False
        template = Path(target).with_name(f"template-{digest}.sqlite3")
        # built (or found built) once per process, and again when it has gone from the disk
        if str(template) not in self._templates or not template.is_file():
            url = f"sqlite:///{template}"
            self._build(replace(settings, database_url=url), "template").close()
            self._templates.add(str(template))
        source, copy = sqlite3.connect(template), sqlite3.connect(target)
        try:
            with world_lock_file(template):
                source.backup(copy)
        finally:
            source.close()
            copy.close()
        return True

    def _holds_world(self, schema: str) -> bool:
        """Whether the PostgreSQL schema ``schema`` holds a built world and its start image."""
        names = set(inspect(self._engine).get_table_names(schema=schema))
        return {table.name for table in world_tables()} <= names and any(
            name.startswith(PREFIX) for name in names
        )

    def _copy_schema(self, settings: Settings, template: str) -> None:
        """PostgreSQL: fill the sandbox's empty schema from a template schema (built once):
        the tables by the models, their rows, the start image and registry, the sequences."""
        parent = make_url(self._settings.database_url)
        # the process remembers a template it built, but the store decides: another process
        # (or a wipe) may have dropped the schema since, and a stale memory must not be used
        with self._template_lock:
            if template not in self._templates or not self._holds_world(template):
                try:
                    with self._engine.begin() as conn:
                        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{template}"'))
                except IntegrityError:  # another process created it at the same moment
                    pass
                url = parent.update_query_dict({"options": f"-csearch_path={template}"})
                built = self._build(
                    replace(settings, database_url=url.render_as_string(hide_password=False)),
                    "template",
                )
                built.close()
                self._templates.add(str(template))
        engine = make_engine(settings.database_url)
        try:
            create_schema(engine)
            REGISTRY.create_all(engine)
            images = [
                name
                for name in inspect(engine).get_table_names(schema=template)
                if name.startswith(PREFIX)
            ]
            with world_lock(engine), write_transaction(engine) as conn:
                for table in [*world_tables(), *REGISTRY.sorted_tables]:
                    columns = ", ".join(f'"{column.name}"' for column in table.columns)
                    conn.execute(
                        text(
                            f'INSERT INTO "{table.name}" ({columns}) '
                            f'SELECT {columns} FROM "{template}"."{table.name}"'
                        )
                    )
                    for column in table.primary_key.columns:
                        if not isinstance(column.type, Integer):
                            continue
                        conn.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', "
                                f"'{column.name}'), max(\"{column.name}\")) "
                                f'FROM "{table.name}" HAVING count(*) > 0'
                            )
                        )
                for name in images:
                    conn.execute(
                        text(f'CREATE TABLE "{name}" AS SELECT * FROM "{template}"."{name}"')
                    )
        finally:
            engine.dispose()

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
            if row is None:
                gone = self._apps.pop(sandbox_id, None)
                if gone is not None:
                    gone.close()
                return None
            if sandbox_id not in self._apps:
                start: datetime | None = row.start
                settings = replace(
                    self._settings, database_url=row.url, fixture=row.fixture,
                    root_seed=row.seed if row.seed is not None else self._settings.root_seed,
                    clock_start=start,
                )
                self._apps[sandbox_id] = self._build(settings, sandbox_id)
            return self._apps[sandbox_id]

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
        url = make_url(row.url)
        if url.get_backend_name() == "sqlite" and url.database:
            for suffix in ("", "-wal", "-shm", ".lock", *GATE_SUFFIXES):
                Path(f"{url.database}{suffix}").unlink(missing_ok=True)
        elif url.get_backend_name() != "sqlite":
            with self._engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "mockcp_sb_{sandbox_id}" CASCADE'))

    def close(self) -> None:
        with self._lock:
            for app in self._apps.values():
                app.close()
            self._apps.clear()
