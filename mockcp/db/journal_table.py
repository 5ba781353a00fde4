"""The request journal's table, in a metadata of its own (``JOURNAL``): the journal is kept
in a database beside the world's on SQLite (``mockcp.db.journal_store``), so it is not one of
the world's tables (``Base.metadata``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import cast

from sqlalchemy import (
    JSON,
    Connection,
    Delete,
    Insert,
    String,
    Table,
    Text,
    Update,
    bindparam,
    delete,
    insert,
    null,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mockcp.db.models import UtcDateTime


class JournalBase(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime}


JOURNAL = JournalBase.metadata


class JournalEntry(JournalBase):
    """One SOAP call as the control plane reports it (bounded request journal, every process).

    ``at`` is the simulated time, ``wall_at`` the real one; ``params`` the request body as
    JSON named as in the WSDL; the raw XML only when the server keeps it (``journal_xml``).
    """

    __tablename__ = "journal_entry"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused after a clear
    id: Mapped[int] = mapped_column(primary_key=True)
    operation: Mapped[str | None] = mapped_column(String(80))
    org_id: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[datetime]
    wall_at: Mapped[datetime | None]
    version: Mapped[str | None] = mapped_column(String(10))
    http_status: Mapped[int | None]
    response_code: Mapped[str | None] = mapped_column(String(10))
    fault: Mapped[str | None] = mapped_column(String(80))
    duration_ms: Mapped[float | None]
    params: Mapped[object | None] = mapped_column(JSON)
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    request_xml: Mapped[str | None] = mapped_column(Text)
    response_xml: Mapped[str | None] = mapped_column(Text)


# The statements of one call's row, the same on every path (``insert_row`` below on a
# SQLAlchemy connection; ``db.journal_rows`` compiles these very statements once for SQLite).
TABLE = cast(Table, JournalEntry.__table__)
COLUMNS = tuple(column.name for column in TABLE.columns if column.name != "id")
INSERT: Insert = insert(TABLE)
TRIM: Delete = delete(TABLE).where(TABLE.c.id <= bindparam("upto"))
SWEEP: Update = (
    update(TABLE)
    .where(TABLE.c.id <= bindparam("last"), TABLE.c.id > bindparam("after"))
    .where(TABLE.c.request_xml.is_not(None) | TABLE.c.response_xml.is_not(None))
    .values(request_xml=null(), response_xml=null())
)
XML_SWEEP = 100  # every this many ids, older calls' XML beyond the newest kept is dropped


def upkeep(new_id: int, limit: int, xml_calls: int) -> list[tuple[Delete | Update, dict[str, int]]]:
    """What follows the insert of entry ``new_id`` in the same transaction: the oldest beyond
    ``limit`` dropped; with ``xml_calls``, every ``XML_SWEEP`` ids, the XML of the calls older
    than the newest ``xml_calls`` dropped (the last few sweeps' worth, in one statement)."""
    after: list[tuple[Delete | Update, dict[str, int]]] = []
    if new_id > limit:
        after.append((TRIM, {"upto": new_id - max(limit, 1)}))
    if xml_calls > 0 and new_id % XML_SWEEP == 0 and new_id > xml_calls:
        last = new_id - xml_calls
        after.append((SWEEP, {"last": last, "after": last - 4 * XML_SWEEP}))
    return after


def insert_row(conn: Connection, values: Mapping[str, object], limit: int, xml_calls: int) -> int:
    """Append one row (``values`` by column name) and keep the journal within its bounds, on
    ``conn``'s transaction (or, on PostgreSQL's lent gate connection, each statement committed
    alone: ``db/journal_store.py``); returns the new entry's id."""
    new_id = conn.execute(INSERT.returning(TABLE.c.id), dict(values)).scalar()
    if new_id is None:
        raise RuntimeError("the journal insert returned no id")
    for statement, params in upkeep(int(new_id), limit, xml_calls):
        conn.execute(statement, params)
    return int(new_id)
