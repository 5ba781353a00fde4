"""The request journal's table, in a metadata of its own (``JOURNAL``): the journal is kept
in a database beside the world's on SQLite (``mockcp.db.journal_store``), so it is not one of
the world's tables (``Base.metadata``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text
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
