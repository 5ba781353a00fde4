"""Images of the world: every table of the metadata copied aside, and copied back.

An image is a set of plain tables ``mockcp_img_<tag>__<table>`` beside the world's own,
made with CREATE TABLE ... AS SELECT and restored with DELETE + INSERT ... SELECT in one
transaction, on SQLite and PostgreSQL alike. Because it walks ``Base.metadata``, any table
a later change adds (forced answers) is saved and restored with the rest. The request journal
has a metadata of its own (``db.journal_table``): its images are taken in the journal's
database with the same functions, given its tables (``db.journal_store``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Table, inspect

from mockcp.db.models import Base

PREFIX = "mockcp_img_"
_TAG = re.compile(r"^[a-z0-9_]{1,24}$")


def world_tables() -> list[Table]:
    """The world's tables, parents before children."""
    return list(Base.metadata.sorted_tables)


def _image_table(tag: str, table: Table) -> str:
    if not _TAG.match(tag):
        raise ValueError(f"bad image tag {tag!r}")
    return f"{PREFIX}{tag}__{table.name}"


@contextmanager
def write_transaction(engine: Engine, check_keys: bool = True) -> Iterator[Connection]:
    """One transaction that holds the write lock from its first statement (SQLite:
    BEGIN IMMEDIATE, so DDL and DML commit or roll back together; PostgreSQL: a plain
    transaction, DDL included). ``check_keys=False``: a SQLite file's foreign keys are not
    checked row by row, for copying back a whole image that was consistent when taken
    (DELETE can then truncate; a third less time for the demo world's reset)."""
    if not check_keys and engine.dialect.name == "sqlite" and engine.url.database not in {
        None, "", ":memory:"
    }:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no effect inside a transaction
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
            finally:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")  # the pool gets it back as it was
                conn.commit()
        return
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            # pysqlite opens no transaction before DDL: open it ourselves, write-locked.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


def save_image(conn: Connection, tag: str, tables: Sequence[Table] | None = None) -> None:
    """Copy every world table (or ``tables``) aside under ``tag`` (replacing an older image
    of that tag)."""
    quote = conn.dialect.identifier_preparer.quote
    for table in world_tables() if tables is None else tables:
        name = quote(_image_table(tag, table))
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE TABLE {name} AS SELECT * FROM {quote(table.name)}")


def restore_image(conn: Connection, tag: str, tables: Sequence[Table] | None = None) -> None:
    """Replace the contents of every world table (or ``tables``) by the image ``tag`` (one
    transaction: a concurrent reader sees the old world or the new one)."""
    quote = conn.dialect.identifier_preparer.quote
    tables = world_tables() if tables is None else tables
    for table in reversed(tables):
        conn.exec_driver_sql(f"DELETE FROM {quote(table.name)}")
    for table in tables:
        columns = ", ".join(quote(column.name) for column in table.columns)
        conn.exec_driver_sql(
            f"INSERT INTO {quote(table.name)} ({columns}) "
            f"SELECT {columns} FROM {quote(_image_table(tag, table))}"
        )


def drop_image(conn: Connection, tag: str, tables: Sequence[Table] | None = None) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table in world_tables() if tables is None else tables:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(_image_table(tag, table))}")


def has_image(conn: Connection, tag: str, tables: Sequence[Table] | None = None) -> bool:
    """Whether a complete image ``tag`` exists (one table per world table, or per ``tables``)."""
    names = set(inspect(conn).get_table_names())
    return all(
        _image_table(tag, table) in names
        for table in (world_tables() if tables is None else tables)
    )


def drop_all_images(conn: Connection) -> None:
    """Remove every image (before the schema is rebuilt for another world)."""
    quote = conn.dialect.identifier_preparer.quote
    for name in inspect(conn).get_table_names():
        if name.startswith(PREFIX):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(name)}")
