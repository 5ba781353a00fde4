"""The paging convention: every client algorithm sees every row exactly once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mockcp.codes import ResponseCode
from mockcp.db.engine import create_schema, make_engine, make_sessionmaker
from mockcp.db.models import CpnInstance
from mockcp.domain.paging import (
    PAGE_LIMITS,
    Page,
    PageRequest,
    filtered_page,
    page_of,
    page_query,
)
from mockcp.errors import CPError

Fetch = Callable[[int, int], Page[int]]


def walk(fetch: Fetch, size: int, next_start: Callable[[int, Page[int]], int]) -> list[Page[int]]:
    pages, start = [], 1
    for _ in range(10_000):
        page = fetch(start, size)
        pages.append(page)
        if page.more_flag != 1:
            return pages
        assert page.rows, "a page with the flag set must not be empty"
        start = next_start(start, page)
    raise AssertionError("paging did not terminate")


ALGORITHMS: dict[str, Callable[[int, int], Callable[[int, Page[int]], int]]] = {
    "start+received": lambda size, cap: lambda start, page: start + len(page.rows),
    "start+fixed": lambda size, cap: lambda start, page: start + min(size, cap),
    "last+1": lambda size, cap: lambda start, page: page.rows[-1][0] + 1,
}


@settings(max_examples=60, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=1200),
    size=st.integers(min_value=1, max_value=600),
    operation=st.sampled_from(["getChargingSessionData", "getStationRights", "getUsers"]),
    algorithm=st.sampled_from(sorted(ALGORITHMS)),
)
def test_every_client_algorithm_gets_every_row_once(
    total: int, size: int, operation: str, algorithm: str
) -> None:
    rows = list(range(1000, 1000 + total))
    cap = PAGE_LIMITS[operation].cap

    def fetch(start: int, requested: int) -> Page[int]:
        return page_of(rows, PageRequest.for_operation(operation, start, requested))

    pages = walk(fetch, size, ALGORITHMS[algorithm](size, cap))
    seen = [row for page in pages for _, row in page.rows]
    assert seen == rows
    numbers = [number for page in pages for number, _ in page.rows]
    assert numbers == list(range(1, total + 1))
    assert [page.more_flag for page in pages] == [1] * (len(pages) - 1) + [0]


@given(size=st.integers(min_value=501, max_value=10_000))
def test_station_page_over_500_answers_189_with_the_maximum(size: int) -> None:
    with pytest.raises(CPError) as raised:
        PageRequest.for_operation("getStations", 1, size)
    assert raised.value.code is ResponseCode.PAGE_SIZE_EXCEEDED
    assert raised.value.text == "The value of <numStations> exceeded the maximum of 500"


def test_transactions_over_500_answer_198() -> None:
    with pytest.raises(CPError) as raised:
        PageRequest.for_operation("getTransactionData", 1, 501)
    assert (raised.value.code.code, raised.value.text) == (
        "198",
        "Max transactions value cannot exceed 500",
    )
    assert PageRequest.for_operation("getTransactionData", None, None) == PageRequest(1, 100)


def test_start_record_below_one_starts_at_one() -> None:
    assert PageRequest.for_operation("getChargingSessionData", 0, None) == PageRequest(1, 100)


@settings(max_examples=25, deadline=None)
@given(total=st.integers(min_value=0, max_value=40), size=st.integers(min_value=1, max_value=15))
def test_page_query_matches_page_of(total: int, size: int) -> None:
    engine = make_engine("sqlite://")
    create_schema(engine)
    with make_sessionmaker(engine)() as db:
        db.add_all(CpnInstance(id=n, name=f"N{n}", description="x") for n in range(1, total + 1))
        db.flush()
        statement = select(CpnInstance.id).order_by(CpnInstance.id)
        for start in range(1, total + 2):
            request = PageRequest(start, size)
            assert page_query(db, statement, request) == page_of(list(range(1, total + 1)), request)
    engine.dispose()


@given(
    st.lists(st.integers(0, 50), max_size=60), st.integers(0, 50), st.integers(1, 70),
    st.integers(1, 20),
)
def test_filtered_page_is_the_page_of_the_kept_rows(
    values: list[int], floor: int, start: int, size: int
) -> None:
    """The listings' shared shape (fleet usage, vehicles, users): filter, cut, none -> code."""
    request = PageRequest(start, size)
    kept = [v for v in values if v >= floor]
    expected = page_of(kept, request)
    if not expected.rows:
        with pytest.raises(CPError) as raised:
            filtered_page(values, lambda v: v >= floor, request, ResponseCode.NO_DATA_FOUND)
        assert raised.value.code is ResponseCode.NO_DATA_FOUND
        assert raised.value.text == ResponseCode.NO_DATA_FOUND.render()
    else:
        got = filtered_page(values, lambda v: v >= floor, request, ResponseCode.NO_DATA_FOUND)
        assert got == expected
        assert all(v >= floor for _, v in got.rows)
