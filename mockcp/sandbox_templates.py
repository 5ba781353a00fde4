"""Template worlds that new sandboxes are copied from, and when they go away.

A template is a world of one (fixture, seed, start, clock mode, schema version), built once:
a ``template-<digest>.sqlite3`` file beside a SQLite parent's sandboxes, a ``mockcp_tpl_<digest>``
schema on PostgreSQL. The table ``mockcp_sandbox_template`` of the parent's store says which
sandbox was copied from which template. A template no sandbox was copied from any more is
removed: when its last sandbox is deleted, and at every reset and shutdown of the parent
(which also clears what a crash or an older version left). Copying, recording and removing
happen under one templates lock (a flock beside the sandboxes, or a PostgreSQL advisory
lock), so a template is never removed between the check that it exists and its copy.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from sqlalchemy import Column, Engine, Integer, String, Table, delete, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from mockcp.clock import parse_mode
from mockcp.config import Settings
from mockcp.db.engine import create_schema, make_engine
from mockcp.db.images import PREFIX, world_tables, write_transaction
from mockcp.db.journal_store import FILE_SUFFIXES as JOURNAL_SUFFIXES
from mockcp.db.storegate import GATE_SUFFIXES
from mockcp.db.worldlock import world_lock, world_lock_file
from mockcp.seed.world import SCHEMA_VERSION
from mockcp.worlds import REGISTRY

USES = Table(
    "mockcp_sandbox_template",
    REGISTRY,
    Column("sandbox_id", String(16), primary_key=True),
    Column("template", String(64), nullable=False),
)
TEMPLATES_KEY = 0x6D6F636B7470  # "mocktp"
SQLITE_SUFFIXES = ("", "-wal", "-shm", ".lock", *GATE_SUFFIXES, *JOURNAL_SUFFIXES)


class Built(Protocol):
    def close(self) -> None: ...


class Templates:
    """The templates of the store behind ``engine`` (a parent's), built with ``build``."""

    def __init__(
        self, engine: Engine, settings: Settings, build: Callable[[Settings, str], Built]
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._build = build
        self._known: set[str] = set()  # built by this process (the store still decides)
        self._threads = threading.Lock()
        parent = make_url(settings.database_url)
        self._postgres = parent.get_backend_name() == "postgresql"
        self._folder = (
            Path(f"{parent.database}.sandboxes")
            if not self._postgres and parent.database not in {None, "", ":memory:"}
            else None
        )

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """One process and thread at a time copies, records or removes templates."""
        with self._threads:
            if self._postgres:
                with self._engine.connect() as conn:
                    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": self._key()})
                    conn.commit()
                    try:
                        yield
                    finally:
                        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key()})
                        conn.commit()
            elif self._folder is not None:
                self._folder.mkdir(exist_ok=True)
                with world_lock_file(self._folder / "templates"):
                    yield
            else:
                yield

    def _key(self) -> int:
        return TEMPLATES_KEY + zlib.crc32(str(self._engine.url.query).encode())

    @staticmethod
    def name_of(settings: Settings) -> str | None:
        """The template a sandbox of ``settings`` is copied from (None: built, not copied:
        in memory, or no fixed start)."""
        target = make_url(settings.database_url).database
        if settings.clock_start is None or not target or target == ":memory:":
            return None
        spec = (
            f"{settings.fixture}|{settings.root_seed}|{settings.clock_start.isoformat()}"
            f"|{parse_mode(settings.clock_mode)}|{SCHEMA_VERSION}"
        )
        digest = hashlib.sha256(spec.encode()).hexdigest()[:16]
        postgres = make_url(settings.database_url).get_backend_name() == "postgresql"
        return f"mockcp_tpl_{digest}" if postgres else f"template-{digest}"

    def copy(self, settings: Settings, sandbox_id: str) -> bool:
        """Fill the sandbox's new storage from its template (built first when missing) and
        record the use; False when there is no template for it."""
        name = self.name_of(settings)
        if name is None:
            return False
        with self._lock():
            if self._postgres:
                self._copy_schema(settings, name)
            else:
                self._copy_file(settings, name)
            with self._engine.begin() as conn:
                REGISTRY.create_all(conn)
                conn.execute(USES.insert().values(sandbox_id=sandbox_id, template=name))
        return True

    def release(self, sandbox_id: str) -> None:
        """The sandbox is gone: forget its use, and remove its template if it was the last."""
        with self._lock(), self._engine.begin() as conn:
            REGISTRY.create_all(conn)
            conn.execute(delete(USES).where(USES.c.sandbox_id == sandbox_id))
        self.collect()

    def collect(self) -> list[str]:
        """Remove every template no sandbox uses; the names removed. A SQLite store that never
        had a sandbox has no templates folder, and gets none from this."""
        if not self._postgres and (self._folder is None or not self._folder.is_dir()):
            return []  # nothing to remove: no lock, so no folder made beside the user's file
        with self._lock():
            with self._engine.begin() as conn:
                REGISTRY.create_all(conn)
                used = set(conn.execute(select(USES.c.template)).scalars())
            removed = sorted(set(self.present()) - used)
            for name in removed:
                self._remove(name)
            return removed

    def present(self) -> list[str]:
        """The templates the store holds now."""
        if self._postgres:
            with self._engine.connect() as conn:
                found = conn.execute(
                    text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'mockcp\\_tpl\\_%'")
                ).scalars()
                return sorted(found)
        if self._folder is None or not self._folder.is_dir():
            return []
        return sorted(path.stem for path in self._folder.glob("template-*.sqlite3"))

    def _remove(self, name: str) -> None:
        self._known.discard(name)
        if self._postgres:
            with self._engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        elif self._folder is not None:
            for suffix in SQLITE_SUFFIXES:
                Path(f"{self._folder / name}.sqlite3{suffix}").unlink(missing_ok=True)

    def _copy_file(self, settings: Settings, name: str) -> None:
        """SQLite: the backup API copies the template file into the sandbox's."""
        target = str(make_url(settings.database_url).database)
        template = Path(target).with_name(f"{name}.sqlite3")
        # built once per process, and again when it has gone from the disk
        if name not in self._known or not template.is_file():
            url = f"sqlite:///{template}"
            self._build(replace(settings, database_url=url), "template").close()
            self._known.add(name)
        source, copy = sqlite3.connect(template), sqlite3.connect(target)
        try:
            with world_lock_file(template):
                source.backup(copy)
        finally:
            source.close()
            copy.close()

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
        if template not in self._known or not self._holds_world(template):
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
            self._known.add(template)
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
