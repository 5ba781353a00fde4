"""The request journal as evidence: every SOAP call in the store, bounded, filterable.

WireMock's request journal is the model: a test asks "what did my client send" with a
matcher over the operation, the tenant, the outcome and the request's own parameters
(named as in the WSDL, as a dotted path: ``shedQuery.shedStation.stationID``). The rows
live in the store (in a database of their own beside a SQLite world, ``db.journal_store``), so
every server process records into and reads one journal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

from sqlalchemy import Connection, Select, delete, func, select
from sqlalchemy.orm import Session, defer

from mockcp.db.journal_table import XML_SWEEP, JournalEntry, insert_row

__all__ = [
    "XML_SWEEP", "Call", "JournalEntry", "Matcher", "Store", "append", "clear", "find", "record",
    "size",
]


class Store(Protocol):
    """Where the journal's rows are (``db.journal_store.JournalStore``: beside the world)."""

    def reading(self) -> AbstractContextManager[Session]: ...

    def writing(self) -> AbstractContextManager[Connection]: ...

    def append(self, values: Mapping[str, object], limit: int, xml_calls: int) -> int:
        """One row (``values`` by column name), bounded as ``record`` bounds it, committed."""
        ...


DEFAULT_LIMIT = 10_000
MAX_LISTED = 1_000_000


@dataclass(frozen=True, slots=True)
class Call:
    """What the SOAP edge knows about one finished call."""

    at: datetime
    wall_at: datetime
    version: str | None
    operation: str | None
    org_id: str | None
    http_status: int
    response_code: str | None
    fault: str | None
    duration_ms: float
    params: object | None
    details: Mapping[str, object] = field(default_factory=dict)
    request_xml: str | None = None
    response_xml: str | None = None


@dataclass(frozen=True, slots=True)
class Matcher:
    """Which journal entries a query or a verification means; every given part must hold.

    ``fault`` is a fault code (``soapenv:Server``, ``wsse:FailedAuthentication``) or a forced
    connection fault (``drop``, ``http503``...), or ``"*"`` for any fault; ``params`` maps a
    dotted WSDL path to the value it must hold (in a list: any element).
    """

    operation: str | None = None
    org_id: str | None = None
    response_code: str | None = None
    fault: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_id: int | None = None
    max_id: int | None = None
    params: tuple[tuple[str, str], ...] = ()



def clip_xml(data: bytes, limit: int) -> str:
    """A message's XML as the journal keeps it: whole up to ``limit`` bytes, else its first
    ``limit`` bytes and a marker saying how long it was."""
    if len(data) <= limit:
        return data.decode("utf-8", "replace")
    head = data[: max(limit, 0)].decode("utf-8", "ignore")  # (never half a character)
    return f"{head}\n<!-- mockcp: cut at {limit} of {len(data)} bytes -->"


def append(store: Store, call: Call, limit: int = DEFAULT_LIMIT, xml_calls: int = 0) -> None:
    """Keep one finished SOAP call in ``store``'s journal (its own short transaction, committed
    on return): the one way the SOAP edge writes a row, whichever path answered the call."""
    store.append(row_values(call), limit, xml_calls)


def record(
    db: Session | Connection, call: Call, limit: int = DEFAULT_LIMIT, xml_calls: int = 0
) -> int:
    """Append one call on ``db``'s transaction and drop the oldest beyond ``limit``; returns
    the new entry's id. With ``xml_calls``, the calls older than the newest ``xml_calls`` lose
    their XML (in batches, every ``XML_SWEEP`` ids): ``db.journal_table.upkeep``."""
    conn = db.connection() if isinstance(db, Session) else db
    return insert_row(conn, row_values(call), limit, xml_calls)


def row_values(call: Call) -> dict[str, object]:
    """The journal row of ``call``, by column name."""
    return {
        "operation": call.operation,
        "org_id": call.org_id,
        "at": call.at,
        "wall_at": call.wall_at,
        "version": call.version,
        "http_status": call.http_status,
        "response_code": call.response_code,
        "fault": call.fault,
        "duration_ms": round(call.duration_ms, 3),
        "params": call.params,
        "details": dict(call.details),
        "request_xml": call.request_xml,
        "response_xml": call.response_xml,
    }


def clear(db: Session | Connection) -> int:
    """Forget every entry; returns how many there were."""
    return int(db.execute(delete(JournalEntry)).rowcount)  # type: ignore[attr-defined]


def size(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(JournalEntry)) or 0)


def find(db: Session, matcher: Matcher, newest: int | None = None) -> list[JournalEntry]:
    """The entries ``matcher`` selects, oldest first; only the ``newest`` N when given.

    The raw XML columns load only when read (they can be large)."""
    wanted = MAX_LISTED if newest is None else min(newest, MAX_LISTED)
    if wanted <= 0:
        return []
    query = (
        _select(matcher)
        .options(defer(JournalEntry.request_xml), defer(JournalEntry.response_xml))
        .order_by(JournalEntry.id.desc())
    )
    found: list[JournalEntry] = []
    if not matcher.params:  # the database does all the work
        found = list(db.scalars(query.limit(wanted)))
    else:
        for row in db.scalars(query.execution_options(yield_per=500)):
            if all(matches_param(row.params, path, value) for path, value in matcher.params):
                found.append(row)
                if len(found) >= wanted:
                    break
    found.reverse()
    return found


def _select(matcher: Matcher) -> Select[JournalEntry]:
    query = select(JournalEntry)
    equal = (
        (JournalEntry.operation, matcher.operation),
        (JournalEntry.org_id, matcher.org_id),
        (JournalEntry.response_code, matcher.response_code),
    )
    for column, wanted in equal:
        if wanted is not None:
            query = query.where(column == wanted)
    if matcher.fault == "*":
        query = query.where(JournalEntry.fault.is_not(None))
    elif matcher.fault is not None:
        query = query.where(JournalEntry.fault == matcher.fault)
    if matcher.since is not None:
        query = query.where(JournalEntry.at >= matcher.since)
    if matcher.until is not None:
        query = query.where(JournalEntry.at <= matcher.until)
    if matcher.min_id is not None:
        query = query.where(JournalEntry.id >= matcher.min_id)
    if matcher.max_id is not None:
        query = query.where(JournalEntry.id <= matcher.max_id)
    return query


def matches_param(params: object, path: str, wanted: str) -> bool:
    """Whether the dotted ``path`` of ``params`` holds ``wanted`` (numbers compare by value;
    a list on the way matches when any of its elements does). A bare name (``stationID``)
    matches that element at any depth."""
    found = _anywhere(params, path) if "." not in path else _walk(params, path.split("."))
    return any(same_value(value, wanted) for value in found)


def _anywhere(node: object, name: str) -> Iterable[object]:
    if isinstance(node, list):
        for item in node:
            yield from _anywhere(item, name)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == name:
                yield from _walk(value, [])
            yield from _anywhere(value, name)


def _walk(node: object, steps: list[str]) -> Iterable[object]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, steps)
        return
    if not steps:
        yield node
        return
    if isinstance(node, dict) and steps[0] in node:
        yield from _walk(node[steps[0]], steps[1:])


def same_value(found: object, wanted: object) -> bool:
    if isinstance(found, dict | list) or found is None:
        return False
    left, right = str(found), str(wanted)
    if left == right:
        return True
    try:
        return Decimal(left) == Decimal(right)
    except (InvalidOperation, ValueError):
        return False
