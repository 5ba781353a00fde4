"""What each pytest-xdist worker owns: its own PostgreSQL database.

Under ``pytest -n N`` every worker (``gw0``, ``gw1``...) runs in its own process. Tests that
empty PostgreSQL (``drop_schema``, ``tests/worlds/stores.wipe``) must only ever empty their
worker's database, so at start-up each worker derives ``<database>_<worker>`` from
``MOCKCP_TEST_POSTGRES_URL``, creates it when missing (the ``mockcp`` role is a superuser,
``.ci/postgres.sh``) and points ``MOCKCP_TEST_POSTGRES_URL`` at it for the whole worker
(servers it starts inherit it). A serial run (no worker) keeps the given database.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import create_engine, make_url, text

POSTGRES_VARIABLE = "MOCKCP_TEST_POSTGRES_URL"


def worker_name() -> str | None:
    """``gw0``, ``gw1``... inside an xdist worker; None in a serial run or the controller."""
    return os.environ.get("PYTEST_XDIST_WORKER") or None


def worker_database_url(url: str, worker: str) -> str:
    """``url`` with its database renamed ``<database>_<worker>`` (options and host kept)."""
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(
        hide_password=False
    )


def create_database(url: str, attempts: int = 5) -> None:
    """Create the database ``url`` names, through the server's ``postgres`` database, unless
    it exists. Two workers creating theirs at once may find template1 busy: retry."""
    parsed = make_url(url)
    name = parsed.database
    assert name and name.replace("_", "").isalnum(), f"unexpected database name {name!r}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(attempts):
            try:
                with admin.connect() as conn:
                    found = conn.execute(
                        text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                    ).first()
                    if found is None:
                        conn.execute(text(f'CREATE DATABASE "{name}"'))
                return
            except Exception:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5 * (attempt + 1))
    finally:
        admin.dispose()


def isolate_postgres() -> None:
    """Inside an xdist worker, give it a database of its own (see the module's docstring)."""
    worker = worker_name()
    url = os.environ.get(POSTGRES_VARIABLE)
    if worker is None or not url or url == "unavailable":
        return
    if str(make_url(url).database).endswith(f"_{worker}"):  # already this worker's
        return
    own = worker_database_url(url, worker)
    create_database(own)
    os.environ[POSTGRES_VARIABLE] = own
