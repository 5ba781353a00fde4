"""How the API compares text filters: trimmed, case-insensitive, an absent filter matches."""

from __future__ import annotations


def same_text(value: object, wanted: str | None) -> bool:
    """``value`` equals ``wanted`` ignoring case and surrounding blanks (``None`` or an empty
    value reads as ""); a filter that was not sent (``wanted`` is None) matches anything."""
    return wanted is None or str(value or "").strip().lower() == wanted.strip().lower()


def has_text(value: object, wanted: str) -> bool:
    """``wanted`` (trimmed) occurs in ``value`` ignoring case: the Address filter."""
    return wanted.strip().lower() in str(value or "").lower()
