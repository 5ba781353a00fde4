"""The one text matcher (domain/text.py): trimmed and case-insensitive, equal or contained."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mockcp.domain.text import has_text, same_text

TEXT = st.text(st.sampled_from("aAbB xyZ-"), max_size=8)


@given(TEXT, TEXT)
def test_same_text_ignores_case_and_outer_blanks(value: str, wanted: str) -> None:
    assert same_text(value, wanted) == (value.strip().casefold() == wanted.strip().casefold())
    assert same_text(f"  {value.upper()} ", wanted) == same_text(value, wanted.lower())
    assert same_text(value, None) and same_text(None, "") and not same_text(None, "a")


@given(TEXT, TEXT, TEXT)
def test_has_text_finds_the_trimmed_filter_anywhere(before: str, wanted: str, after: str) -> None:
    assert has_text(before + wanted.strip().upper() + after, f" {wanted} ")
    assert has_text(None, "   ") and not has_text(None, "x")
    assert has_text(before, wanted) == (wanted.strip().lower() in before.lower())
