"""Choosing and loading a world: ``minimal``, ``demo`` or a fixture file path."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.data import FIXTURES, find
from mockcp.db.activity import WorldMeta
from mockcp.db.layout_stamp import record_layout
from mockcp.db.stamps import record_credentials


def resolve(fixture: str, seed: int | None) -> dict[str, Any]:
    """The fixture mapping for a fixture name or path (builder fixtures are built here)."""
    from mockcp.seed.loader import FixtureError, read_fixture  # (yaml: only a build reads one)

    path = find(FIXTURES, fixture)
    if path is None:
        raise FixtureError(f"no fixture named or at {fixture!r}")
    data = read_fixture(path)
    if data.get("builder") == "demo":
        from mockcp.seed.builder import WorldBuilder  # (faker: only a built world needs it)

        return WorldBuilder(seed if seed is not None else int(data["root_seed"]), data).build()
    return data


# Bumped whenever a table changes: a database written by another schema is rebuilt.
SCHEMA_VERSION = "7"  # 7: journal_entry columns, forced_fault (control plane)


def loaded_world(db: Session) -> tuple[str, str, str] | None:
    """The (fixture, seed, schema version) the database holds, or None when empty."""
    meta = {row.key: row.value for row in db.scalars(select(WorldMeta))}
    if "fixture" not in meta:
        return None
    return meta["fixture"], meta.get("seed", "None"), meta.get("schema", "1")


def is_loaded(db: Session, fixture: str, seed: int | None) -> bool:
    """Whether the database already holds exactly this world, in this schema."""
    return loaded_world(db) == (fixture, str(seed), SCHEMA_VERSION)


def load_world(db: Session, fixture: str, seed: int | None, epoch: datetime) -> None:
    """Load the world into an empty schema and record what was loaded."""
    from mockcp.seed.loader import load  # (a start that copies a kept image loads nothing)

    data = resolve(fixture, seed)
    load(db, data, epoch)
    history = epoch - timedelta(days=int(data.get("history_days", 7)))
    db.add(WorldMeta(key="history_start", value=history.isoformat()))
    db.add(WorldMeta(key="fixture", value=fixture))
    db.add(WorldMeta(key="seed", value=str(seed)))
    db.add(WorldMeta(key="schema", value=SCHEMA_VERSION))
    db.add(WorldMeta(key="epoch", value=epoch.isoformat()))
    record_credentials(db)  # the credentials stamp (db/stamps.py, soap/credentials.py)
    record_layout(db)  # the layout stamp (db/layout_stamp.py, domain/realm_cache.py)
