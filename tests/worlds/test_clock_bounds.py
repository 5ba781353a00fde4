"""The clock's bounds: absurd paces, moves and dates are a JSON 400 that changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from mockcp.clock import (
    MAX_SPAN,
    MAX_STEP,
    ClockState,
    ManualClock,
    parse_duration,
    parse_mode,
)
from mockcp.testing import MockChargePoint
from tests.conftest import START

UNCHANGED = {"now": "2024-03-12T17:00:00Z", "mode": "frozen"}


def clock_call(mock: MockChargePoint, body: object | None = None) -> tuple[int, object]:
    client = Client(mock.wsgi)
    reply = client.get("/_mock/clock") if body is None else client.post("/_mock/clock", json=body)
    assert reply.headers["Content-Type"] == "application/json"
    return reply.status_code, json.loads(reply.get_data())


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"advance": "P99999999999W"}, "duration 'P99999999999W' is longer than 366 days"),
        ({"advance": "P367D"}, "duration 'P367D' is longer than 366 days"),
        ({"advance": "PT" + "9" * 400 + "S"}, None),
        ({"mode": "xinf"}, "unknown clock mode 'xinf' (frozen, realtime or xN with N > 0)"),
        ({"mode": "xnan"}, "unknown clock mode 'xnan' (frozen, realtime or xN with N > 0)"),
        ({"mode": "x1e308"}, "clock mode 'x1e308' is too fast: at most x100000"),
        ({"mode": "x100001"}, "clock mode 'x100001' is too fast: at most x100000"),
        (
            {"set": "9999-12-31T00:00:00Z"},
            "the clock must lie between 1990-01-01 and 2200-01-01 (got 9999-12-31)",
        ),
        ({"set": "2026-03-12T17:00:00Z"}, "one clock move may be at most 366 days"),
    ],
)
def test_out_of_bounds_commands_are_json_400_and_change_nothing(
    mock: MockChargePoint, body: dict[str, str], error: str | None
) -> None:
    status, answer = clock_call(mock, body)
    assert status == 400
    assert isinstance(answer, dict)
    if error is not None:
        assert answer == {"error": error}
    else:
        assert answer["error"].startswith("duration 'PT999")
    assert clock_call(mock) == (200, UNCHANGED)


def test_the_fastest_allowed_pace_is_accepted(mock: MockChargePoint) -> None:
    status, answer = clock_call(mock, {"mode": "x100000"})
    assert (status, answer["mode"]) == (200, "x100000")  # type: ignore[index]


def test_the_clock_runs_at_most_the_span_past_the_start(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    steps = MAX_SPAN // MAX_STEP  # 10 moves of 366 days fit in 3660 days
    for _ in range(steps):  # (the clock itself: a control-plane move plans its year)
        clock.advance(MAX_STEP)
    status, answer = clock_call(mock, {"advance": "PT1S"})
    assert (status, answer) == (
        400,
        {"error": "the clock may run at most 3660 days past the world's start"},
    )
    ceiling = (START + MAX_SPAN).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert clock_call(mock)[1] == {"now": ceiling, "mode": "frozen"}


def test_a_fast_clock_stops_at_the_ceiling() -> None:
    state = ClockState(START, START, 0.0, 100_000.0)
    assert state.now(60.0) == START + timedelta(seconds=6_000_000)
    assert state.now(10.0**9) == START + MAX_SPAN
    assert state.now(10.0**300) == START + MAX_SPAN


def test_a_clock_refuses_a_start_outside_the_calendar_bounds() -> None:
    with pytest.raises(ValueError, match="the clock's start must lie between 1990-01-01"):
        ManualClock(datetime(9999, 1, 1, tzinfo=UTC))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_any_duration_text_parses_within_bounds_or_is_refused(text: str) -> None:
    try:
        delta = parse_duration(text)
    except ValueError:
        return
    assert timedelta(0) <= delta <= MAX_STEP


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=20), st.floats().map(lambda f: f"x{f}")))
def test_any_mode_text_is_a_bounded_finite_pace_or_refused(text: str) -> None:
    try:
        factor = parse_mode(text)
    except ValueError:
        return
    assert 0 <= factor <= 100_000
