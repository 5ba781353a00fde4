"""One paging convention for every listing operation (architecture 1.4; real-interface 3.7).

``startRecord`` is 1-based; each row carries its absolute ``recordNumber``; the more-flag is 1
only when rows follow the page. Rows come in a stable order (the caller's ``order_by`` ends
with a primary key), so the three ways real clients page (next = start + rows received,
next = start + fixed page size, next = last recordNumber + 1) each see every row once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from mockcp.codes import ResponseCode
from mockcp.errors import CPError

T = TypeVar("T")
U = TypeVar("U")
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class PageLimit:
    """Default page size, hard cap, and the code answered past the cap (None: clamp)."""

    default: int
    cap: int
    over_cap: ResponseCode | None = None


# Guide 6.1 (sessions: 100 a call), 6.3 (transactions: default 100, max 500 -> 198),
# 7.1-7.2 (stations: 500 -> 189), 7.6 (rights: 100), 9.1 (users: 500), 10.4-10.5 (fleet:
# "100 ... if numRecords is not specified"; the guide names no maximum and no code for one,
# so mockcp serves up to 500, the largest page any other operation allows, and clamps past it).
PAGE_LIMITS: dict[str, PageLimit] = {
    "getStations": PageLimit(500, 500, ResponseCode.PAGE_SIZE_EXCEEDED),
    "getStationStatus": PageLimit(500, 500, ResponseCode.PAGE_SIZE_EXCEEDED),
    "getPublicStations": PageLimit(500, 500, ResponseCode.PAGE_SIZE_EXCEEDED),
    "getCustomGroupStations": PageLimit(500, 500, ResponseCode.PAGE_SIZE_EXCEEDED),
    "getStationRights": PageLimit(100, 100),
    "getChargingSessionData": PageLimit(100, 100),
    "getTransactionData": PageLimit(100, 500, ResponseCode.TRANSACTIONS_OVER_500),
    "getAlarms": PageLimit(100, 100),
    "getUsers": PageLimit(500, 500),
    "getFleetVehicles": PageLimit(100, 500),
    "getFleetUsageData": PageLimit(100, 500),
}


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which rows a call asks for: from ``start_record`` (1-based), at most ``size``."""

    start_record: int
    size: int

    @classmethod
    def for_operation(
        cls, operation: str, start_record: int | None, requested: int | None
    ) -> PageRequest:
        """The page a call asks for under its operation's limits.

        Raises: the operation's over-cap code (189 with the maximum, 198) past the cap.
        """
        limit = PAGE_LIMITS[operation]
        size = limit.default if requested is None or requested <= 0 else requested
        if size > limit.cap:
            if limit.over_cap is not None:
                raise CPError(limit.over_cap, maximum=limit.cap)
            size = limit.cap
        return cls(max(start_record or 1, 1), size)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page: rows with their absolute record numbers, and whether more follow."""

    rows: tuple[tuple[int, T], ...]
    more: bool

    @property
    def more_flag(self) -> int:
        return 1 if self.more else 0

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with each row converted (record numbers kept)."""
        return Page(tuple((number, convert(row)) for number, row in self.rows), self.more)


def page_of(rows: Sequence[T], request: PageRequest) -> Page[T]:
    """A page cut from an already ordered sequence."""
    first = request.start_record - 1
    chunk = rows[first : first + request.size]
    numbered = tuple((first + offset + 1, row) for offset, row in enumerate(chunk))
    return Page(numbered, first + request.size < len(rows))


def nonempty(page: Page[T], empty: ResponseCode) -> Page[T]:
    """``page`` itself, or ``empty`` (the operation's "none found" code: 153, 160, ...) raised
    when it has no row."""
    if not page.rows:
        raise CPError(empty)
    return page


def filtered_page(
    views: Iterable[T], keep: Callable[[T], bool], request: PageRequest, empty: ResponseCode
) -> Page[T]:
    """The page of the ``views`` that ``keep`` accepts (filters SQL cannot say), or ``empty``
    raised when that page has no row: the shape of the fleet, vehicle and user listings."""
    return nonempty(page_of([view for view in views if keep(view)], request), empty)


def page_rows(db: Session, statement: AnySelect, request: PageRequest) -> Page[Any]:
    """A page of result rows of an ordered ``select()``, cut in SQL: one extra row tells
    whether more follow, so the cost does not grow with the rows before or after."""
    first = request.start_record - 1
    rows = db.execute(statement.offset(first).limit(request.size + 1)).all()
    numbered = tuple((first + offset + 1, row) for offset, row in enumerate(rows[: request.size]))
    return Page(numbered, len(rows) > request.size)


def page_query(db: Session, statement: AnySelect, request: PageRequest) -> Page[Any]:
    """Like ``page_rows`` for a one-column ``select()``: the rows are its values."""
    return page_rows(db, statement, request).map(lambda row: row[0])
