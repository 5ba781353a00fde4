"""Settings from the environment, the clocks and the 15-minute buckets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockcp.app import make_clock
from mockcp.clock import (
    BUCKET,
    ManualClock,
    SimClock,
    bucket_start,
    buckets_between,
    parse_duration,
    parse_mode,
)
from mockcp.config import DEFAULT_DB, Settings
from mockcp.rng import Random, derive_seed, for_entity


def test_settings_defaults_are_sqlite_demo_localhost() -> None:
    settings = Settings()
    assert (settings.database_url, settings.fixture, settings.host, settings.port) == (
        DEFAULT_DB,
        "demo",
        "127.0.0.1",
        8080,
    )


def test_settings_from_env_reads_prefixed_variables() -> None:
    env = {
        "MOCKCP_DB": "postgresql://u@h/db",
        "MOCKCP_PORT": "9090",
        "MOCKCP_ROOT_SEED": "5",
        "MOCKCP_CLOCK_START": "2024-01-01T00:00:00Z",
        "OTHER": "x",
    }
    settings = Settings.from_env(environ=env)
    assert settings.database_url == "postgresql://u@h/db"
    assert settings.port == 9090 and settings.root_seed == 5
    assert settings.clock_start == datetime(2024, 1, 1, tzinfo=UTC)


def test_settings_overrides_win_over_env_and_none_is_ignored() -> None:
    settings = Settings.from_env(environ={"MOCKCP_PORT": "9090"}, port=7000, host=None)
    assert (settings.port, settings.host) == (7000, "127.0.0.1")


def test_manual_clock_moves_only_forward() -> None:
    clock = ManualClock(datetime(2024, 1, 1, tzinfo=UTC))
    assert clock.advance(timedelta(minutes=15)) == datetime(2024, 1, 1, 0, 15, tzinfo=UTC)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.set(datetime(2023, 1, 1, tzinfo=UTC))


def test_make_clock_modes() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    frozen = make_clock(Settings(clock_mode="frozen", clock_start=start))
    assert (frozen.mode, frozen.now()) == ("frozen", start)
    fast = make_clock(Settings(clock_mode="x60", clock_start=start))
    assert (fast.mode, fast.factor) == ("x60", 60)
    assert make_clock(Settings(clock_mode="realtime")).mode == "realtime"
    with pytest.raises(ValueError, match="unknown clock mode"):
        make_clock(Settings(clock_mode="sometimes"))


@pytest.mark.parametrize("mode", ["x0", "x-2", "xfast", "slow"])
def test_parse_mode_rejects_nonsense(mode: str) -> None:
    with pytest.raises(ValueError, match="unknown clock mode"):
        parse_mode(mode)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT15M", timedelta(minutes=15)),
        ("P7D", timedelta(days=7)),
        ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)),
        ("PT0.5S", timedelta(seconds=0.5)),
        ("P2W", timedelta(weeks=2)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["P", "PT", "15M", "P1Y", "P1M", "PT1D", "P1DT"])
def test_parse_duration_rejects_what_it_cannot_mean(text: str) -> None:
    with pytest.raises(ValueError, match="not an ISO-8601 duration"):
        parse_duration(text)


def test_sim_clock_frozen_until_re_paced() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    clock = SimClock(start, 0.0)
    assert clock.now() == start
    clock.set_factor(3600.0)
    assert clock.now() > start
    clock.set_factor(0.0)
    paused = clock.now()
    assert clock.now() == paused
    assert clock.advance(timedelta(hours=1)) == paused + timedelta(hours=1)


@given(st.datetimes(timezones=st.just(UTC)))
def test_bucket_start_is_the_quarter_hour_at_or_before(instant: datetime) -> None:
    start = bucket_start(instant)
    assert start <= instant < start + BUCKET
    assert start.minute % 15 == 0 and start.second == 0 and start.microsecond == 0


@given(st.datetimes(timezones=st.just(UTC)), st.integers(min_value=0, max_value=500))
def test_buckets_between_cover_the_span_without_gaps(start: datetime, minutes: int) -> None:
    end = start + timedelta(minutes=minutes)
    buckets = list(buckets_between(start, end))
    assert all(b - a == BUCKET for a, b in zip(buckets, buckets[1:], strict=False))
    if minutes:
        assert buckets[0] <= start and buckets[-1] < end <= buckets[-1] + BUCKET


def test_derived_seeds_are_stable_across_processes() -> None:
    """Pinned: a change of the derivation would silently reshuffle every world."""
    assert derive_seed(20161107, "station-day", 7, "2024-03-12") == 18297369606686469027
    assert for_entity(20161107, "station-day", 7, "2024-03-12").random() == 0.7156464543899925


# "/" joins the parts of a path, so a kind holding one could alias another path.
KINDS = st.text(st.characters(codec="utf-8", exclude_characters="/"), max_size=10)


@given(st.integers(), KINDS, st.integers(), KINDS, st.integers(), st.integers(0, 50))
def test_derived_seeds_are_local(
    root: int, kind: str, number: int, other_kind: str, other: int, draws: int
) -> None:
    """An entity's stream depends on its own path only: not on which other entities drew
    before it, nor how much; another entity or another root seed gets another stream."""
    alone = for_entity(root, kind, number).random()
    neighbour = for_entity(root, other_kind, other)
    for _ in range(draws):
        neighbour.random()
    assert for_entity(root, kind, number).random() == alone
    if (other_kind, other) != (kind, number):
        assert derive_seed(root, other_kind, other) != derive_seed(root, kind, number)
    assert derive_seed(root + 1, kind, number) != derive_seed(root, kind, number)


@given(st.integers(), KINDS, st.integers(), st.integers(0, 30))
def test_an_entitys_generator_is_random_seeded_with_its_derived_seed(
    root: int, kind: str, number: int, draws: int
) -> None:
    """``for_entity`` skips ``Random.__init__``'s Python layers (mockcp/rng.py): it must stay
    exactly ``Random(derive_seed(...))``, state and every kind of draw, ``gauss``' kept
    second value included."""
    made, plain = for_entity(root, kind, number), Random(derive_seed(root, kind, number))
    assert made.getstate() == plain.getstate()
    for _ in range(draws):
        assert made.random() == plain.random()
    assert [made.gauss(0, 1) for _ in range(3)] == [plain.gauss(0, 1) for _ in range(3)]
    assert made.lognormvariate(1.8, 0.9) == plain.lognormvariate(1.8, 0.9)
    assert made.choices(range(24), weights=range(1, 25), k=5) == plain.choices(
        range(24), weights=range(1, 25), k=5
    )
    assert made.getstate() == plain.getstate()
