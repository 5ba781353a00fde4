"""The stores a world test runs on: a SQLite file, and PostgreSQL when one is given."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from sqlalchemy import MetaData, text

from mockcp.db.engine import make_engine


def postgres_url() -> str:
    """``MOCKCP_TEST_POSTGRES_URL``, emptied of every table; skip (fail in CI) without one."""
    url = os.environ.get("MOCKCP_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("MOCKCP_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against")
    assert url != "unavailable", "CI could not start PostgreSQL (see .ci/postgres.sh output)"
    wipe(url)
    return url


def wipe(url: str) -> None:
    """Drop every table of the database (world, images, registry)."""
    engine = make_engine(url)
    try:
        found = MetaData()
        with warnings.catch_warnings():  # an expression index is not reflected: not needed
            warnings.filterwarnings("ignore", "Skipped unsupported reflection")
            found.reflect(engine)
        found.drop_all(engine)
        if engine.dialect.name == "postgresql":  # the schemas of sandboxes
            with engine.begin() as conn:
                schemas = conn.execute(
                    text(
                        "SELECT nspname FROM pg_namespace"
                        " WHERE nspname LIKE 'mockcp_sb_%' OR nspname LIKE 'mockcp_tpl_%'"
                    )
                ).scalars()
                for schema in list(schemas):
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        engine.dispose()


def store_url(kind: str, directory: Path) -> str:
    if kind == "postgres":
        return postgres_url()
    return f"sqlite:///{directory / 'world.sqlite3'}"
