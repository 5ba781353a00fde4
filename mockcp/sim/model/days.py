"""A port's local days: the one place local midnight is computed (local = UTC + offset)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def local_midnight(day: date, offset_minutes: int) -> datetime:
    """The UTC instant at which local ``day`` begins for a port ``offset_minutes`` from UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(minutes=offset_minutes)


def local_day(instant: datetime, offset_minutes: int) -> date:
    """The local date of ``instant`` for a port ``offset_minutes`` from UTC."""
    return (instant + timedelta(minutes=offset_minutes)).date()
