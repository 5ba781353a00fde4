"""Kept planned images: a world built once per key, copied into fresh SQLite stores (issue 18).

Building a world loads its fixture and plans its history up to the start: for the demo world
that is about 2.7 s of a 3.3 s start, the same work on every start. A SQLite file store
with no world yet (the fresh store of ``mockcp serve``, a ``--db`` file not made yet, a
sandbox's or a template's file) first looks for a kept image of the world it is about to
build and copies it with SQLite's backup API (about 20 ms for the demo world, 10 MB);
otherwise it builds as before and keeps a copy of what it built. PostgreSQL and in-memory
stores always build.

- **The key**: the fixture's name and a digest of its bytes (the packaged YAML, or the
  user's file: an edited file is another world), the root seed, the start instant, the
  clock's pace, the schema version, the planner's version (``rng.PLANNER``: how it
  draws from the seed), and ``code_digest`` (mockcp's sources and data, and the
  libraries that decide rows). A changed planner has another key: a store never gets the
  image of an older one.
- **Where**: ``<cache>/planned/<key>.sqlite3``; ``<cache>`` is ``MOCKCP_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/mockcp``, else ``~/.cache/mockcp``. ``MOCKCP_PLANNED_CACHE=off``: never
  read nor written.
- **Safe**: an image is written under a temporary name and ``os.replace``d, so a reader finds
  a whole image or none. It is used only if ``PRAGMA quick_check`` passes and the key stored
  inside it (a ``world_meta`` row only images have) is its own: a truncated, corrupt or
  foreign file is removed, and the store builds and keeps a new one. Two processes starting
  at once with the same key both build and both keep (the last replace wins; the images are
  equal): no lock across processes, which a stuck or killed one could hold and every later
  start would wait for; the cost is one more build, on a cold cache only.
- **Bounded**: at most ``IMAGES`` images and ``BYTES`` bytes; the least recently used go
  first (a copy touches its image).
- **Never a failed start**: a folder that cannot be made or written, a full disk, an image
  that cannot be read: the store builds as before (logged once at WARNING).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import sqlalchemy
from sqlalchemy import Engine

from mockcp.clock import wall_seconds
from mockcp.config import BOOLEANS, Settings
from mockcp.data import FIXTURES, find
from mockcp.db.engine import create_schema, drop_schema, release_connections
from mockcp.db.images import drop_all_images, write_transaction
from mockcp.rng import PLANNER
from mockcp.seed.world import SCHEMA_VERSION
from mockcp.version import __version__

log = logging.getLogger("mockcp.planned_images")

KEY_ROW = "planned_image"  # the world_meta row of an image (never of a store): its key
IMAGES = 8
BYTES = 200 * 1024 * 1024
SUFFIX = ".sqlite3"
PARTIAL = ".part"
STALE_SECONDS = 3600.0  # a temporary file this old was left by a writer that died
# What decides a world's rows: the model, the loader and builder, the planner, the store's
# tables, the clock and randomness, the build itself; and the packaged data.
DECIDING = ("sim", "seed", "db", "domain", "data")
DECIDING_FILES = ("__init__.py", "app.py", "worlds.py", "worldclock.py", "clock.py", "rng.py",
                  "planned_images.py")  # fmt: skip
MEMORY = frozenset({None, "", ":memory:"})


def cache_root(settings: Settings, environ: Mapping[str, str] | None = None) -> Path:
    """The cache folder: ``settings.cache_dir``, else ``MOCKCP_CACHE_DIR`` (also for settings
    built without the environment: where a cache lives is the machine's, not the world's),
    else the XDG cache home's ``mockcp``, else ``~/.cache/mockcp``."""
    env = os.environ if environ is None else environ
    chosen = settings.cache_dir or env.get("MOCKCP_CACHE_DIR", "")
    if chosen:
        return Path(chosen).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "mockcp"


@functools.cache
def code_digest() -> str:
    """A digest of what decides a world's rows besides its inputs: mockcp's version, the
    sources and data of ``DECIDING`` (read once per process: about 5 ms), faker (it names the
    demo world's people; its ``__init__`` holds its version), SQLAlchemy, SQLite and Python."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{__version__}|{sqlalchemy.__version__}|{sqlite3.sqlite_version}"
                            f"|{sys.version_info[:2]}".encode())  # fmt: skip
    paths = [root / name for name in DECIDING_FILES]
    for folder in DECIDING:
        paths += (p for p in (root / folder).rglob("*") if p.suffix in {".py", ".yaml", ".json"})
    for path in sorted(paths):
        digest.update(f"\n{path.relative_to(root)}\n".encode())
        digest.update(path.read_bytes())
    faker = importlib.util.find_spec("faker")
    origin = None if faker is None else faker.origin
    digest.update(Path(origin).read_bytes() if origin else b"no faker")
    return digest.hexdigest()


def image_key(
    settings: Settings, start: datetime, factor: float, seed: int | None, ahead: datetime | None
) -> str | None:
    """The key of the world ``settings`` builds at ``start`` with pace ``factor`` (``seed``:
    the loader's), planned on through ``ahead`` if given; None when its fixture cannot be
    read (the build will say why)."""
    found = find(FIXTURES, settings.fixture)
    try:
        content = None if found is None else found.read_bytes()
    except OSError:
        content = None
    if content is None:
        return None
    try:
        code = code_digest()
    except OSError:  # a source file that cannot be read: build, never fail a start
        return None
    parts = (
        settings.fixture, hashlib.sha256(content).hexdigest(), str(settings.root_seed), str(seed),
        start.isoformat(), repr(float(factor)), str(ahead), SCHEMA_VERSION, PLANNER, code,
    )  # fmt: skip
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


class PlannedImages:
    """The kept images in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._warned = threading.Event()

    @classmethod
    def for_store(cls, settings: Settings, engine: Engine) -> PlannedImages | None:
        """The kept images a store of ``engine`` uses; None: it always builds (the setting is
        off, or ``MOCKCP_PLANNED_CACHE`` is, also for settings built without the environment,
        as ``MOCKCP_CACHE_DIR`` is; or the store is not a SQLite file)."""
        switch = os.environ.get("MOCKCP_PLANNED_CACHE", "").strip().lower()
        if not settings.planned_cache or BOOLEANS.get(switch) is False:
            return None
        if engine.dialect.name != "sqlite":
            return None
        if engine.url.database in MEMORY:
            return None
        return cls(cache_root(settings) / "planned")

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def fetch(self, key: str, engine: Engine) -> bool:
        """Replace the whole content of ``engine``'s SQLite file (no world yet, under its world
        lock) by the image of ``key``; False, and the store as it was, when there is no usable
        image (an unusable one is removed)."""
        path = self.path(key)
        if not path.is_file():
            return False
        try:
            source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return False
        try:
            if not _sound(source, key):
                log.warning("mockcp: planned image %s is damaged or not its key's; rebuilt", path)
                path.unlink(missing_ok=True)
                return False
            release_connections(engine)  # nothing pooled holds the file while it is replaced
            return _copy_into(source, str(engine.url.database), engine)
        except OSError:
            return False
        finally:
            source.close()
            _touch(path)  # the least recently used go first

    def keep(self, key: str, engine: Engine) -> None:
        """Keep a copy of ``engine``'s SQLite file, a world just built for ``key`` (its
        transaction committed); a failure is logged, never raised."""
        partial = self.folder / f".{key}.{os.getpid()}.{threading.get_ident()}{PARTIAL}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            source, copy = sqlite3.connect(str(engine.url.database)), sqlite3.connect(partial)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one file; opened read-only later
                copy.execute("INSERT INTO world_meta (key, value) VALUES (?, ?)", (KEY_ROW, key))
                copy.commit()
            finally:
                copy.close()
                source.close()
            os.replace(partial, self.path(key))
        except (OSError, sqlite3.Error) as error:
            _forget(partial)
            if not self._warned.is_set():
                self._warned.set()
                log.warning("mockcp: no planned image kept in %s (%s)", self.folder, error)
            return
        self.prune()

    def images(self) -> list[Path]:
        """The kept images, most recently used first."""
        found = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            try:
                found.append((path.stat().st_mtime, path))
            except OSError:  # removed meanwhile
                continue
        return [path for _, path in sorted(found, reverse=True)]

    def prune(self) -> None:
        """At most ``IMAGES`` images and ``BYTES`` bytes (the least recently used go first);
        temporary files of writers that died go too."""
        for path in self.folder.glob(f".*{PARTIAL}"):
            try:
                if wall_seconds() - path.stat().st_mtime > STALE_SECONDS:
                    path.unlink()
            except OSError:
                continue
        total = 0
        for number, path in enumerate(self.images()):
            try:
                total += path.stat().st_size
                if number >= IMAGES or total > BYTES:
                    path.unlink()
            except OSError:
                continue


def _sound(source: sqlite3.Connection, key: str) -> bool:
    """Whether ``source`` is a whole SQLite image whose stored key is ``key``."""
    try:
        if source.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            return False
        row = source.execute("SELECT value FROM world_meta WHERE key = ?", (KEY_ROW,)).fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == key


def _copy_into(source: sqlite3.Connection, target: str, engine: Engine) -> bool:
    """The backup API: ``source`` page by page into ``target`` in one write transaction (a
    failure leaves the target as it was), then the image's own key row removed."""
    copy = sqlite3.connect(target)
    try:
        try:
            source.backup(copy)
        except sqlite3.Error:
            return False
        try:
            copy.execute("DELETE FROM world_meta WHERE key = ?", (KEY_ROW,))
            copy.commit()
        except sqlite3.Error:  # the image is in, its key row not out: empty the store again
            copy.close()
            with write_transaction(engine) as conn:
                drop_all_images(conn)
            drop_schema(engine)
            create_schema(engine)
            return False
    finally:
        copy.close()
    return True


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)


def _forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
