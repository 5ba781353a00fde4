"""The response-code catalogue (guide 3): complete, unique, exact texts, formattable."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from mockcp.cli import main
from mockcp.codes import UNREACHABLE, ResponseCode, by_code, catalogue_table
from mockcp.errors import CPError
from tests.conftest import GUIDE, require_shared

PACKAGE = Path(__file__).resolve().parents[1] / "mockcp"
DOCS_CODES = Path(__file__).resolve().parents[1] / "docs" / "response-codes.md"
# Texts that real responses print differently from the guide (real-interface 3.5).
REAL_TEXTS = {"100", "160", "172", "182", "184"}
# Guide placeholders that the catalogue turns into template fields.
TEMPLATED = {"171", "177", "189", "192"}


def guide_codes() -> dict[str, str]:
    text = require_shared(GUIDE).read_text(encoding="utf-8")
    section = text[text.index("\n3 Response Codes") : text.index("\n4 Common API")]
    return dict(re.findall(r"^- (\d{3}) (.+)$", section, flags=re.MULTILINE))


def test_catalogue_has_every_guide_code() -> None:
    guide = guide_codes()
    assert len(guide) == 95
    assert sorted(member.code for member in ResponseCode) == sorted(guide)


def test_catalogue_codes_are_unique() -> None:
    codes = [member.code for member in ResponseCode]
    assert len(codes) == len(set(codes)) == 95


REWORDED = {"182", "184"}  # checked against the recorded real texts below


@pytest.mark.parametrize(
    "member", [m for m in ResponseCode if m.code not in REWORDED], ids=lambda m: m.code
)
def test_catalogue_text_is_the_guides(member: ResponseCode) -> None:
    guide = guide_codes()[member.code].strip()
    if member.code in REAL_TEXTS:
        assert member.text == guide.rstrip(".") + "."
    elif member.code in TEMPLATED:
        literal = member.text.split("{")[0]
        assert guide.startswith(literal.rstrip()), (guide, member.text)
    else:
        assert member.text == guide


def test_catalogue_real_texts_are_the_recorded_ones() -> None:
    assert by_code("100").text == "API input request executed successfully."
    assert by_code("160").text == "No data found for given criteria."
    assert by_code("172").text == "Please provide all the mandatory fields to make this call."
    assert by_code("182").text == "Search by either sgID, sessionID or stationID"
    assert by_code("184").text == "Enter either sgid or stationID"


@pytest.mark.parametrize("member", list(ResponseCode), ids=lambda m: m.code)
def test_catalogue_member_is_well_formed(member: ResponseCode) -> None:
    assert re.fullmatch(r"[A-Z][A-Z0-9_]+", member.name)
    assert member.code not in member.name
    assert member.kind in {"ok", "client", "auth", "server"}
    fields = {name for _, name, _, _ in string.Formatter().parse(member.text) if name}
    assert CPError(member, **{f: "X" for f in fields}).text == member.text.format(
        **{f: "X" for f in fields}
    )


def raise_sites() -> list[tuple[str, set[str]]]:
    sites = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "CPError"
                and node.args
            ):
                first = node.args[0]
                if (
                    isinstance(first, ast.Attribute)
                    and getattr(first.value, "id", "") == "ResponseCode"
                ):
                    sites.append((first.attr, {kw.arg for kw in node.keywords if kw.arg}))
    return sites


def test_every_raise_site_passes_the_template_fields() -> None:
    for name, passed in raise_sites():
        member = ResponseCode[name]
        needed = {f for _, f, _, _ in string.Formatter().parse(member.text) if f}
        assert needed == passed, (name, needed, passed)


def test_no_response_code_literals_outside_codes() -> None:
    for path in PACKAGE.rglob("*.py"):
        if path.name == "codes.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert "executed successfully" not in source, path
        assert not re.search(r"responseCode\s*=\s*[\"']\d{3}", source), path


def test_cperror_str_is_code_and_text() -> None:
    error = CPError(ResponseCode.PAGE_SIZE_EXCEEDED, maximum=500)
    assert str(error) == "189: The value of <numStations> exceeded the maximum of 500"


def test_codes_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codes"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == catalogue_table()
    assert out.count("\n") == 97


def test_docs_response_codes_is_the_generated_page(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/response-codes.md is ``mockcp codes --markdown``, byte for byte: regenerate it
    with ``mockcp codes --markdown > docs/response-codes.md`` when the catalogue changes."""
    assert main(["codes", "--markdown"]) == 0
    page = capsys.readouterr().out
    assert page == DOCS_CODES.read_text(encoding="utf-8")
    assert catalogue_table().splitlines()[2:] == [
        row.rsplit(" | ", 1)[0] + " |" for row in page.split("\n\n")[-1].strip().splitlines()[2:]
    ]  # the same rows as ``mockcp codes``, one column more


def test_every_member_is_answered_somewhere_or_listed_unreachable_with_a_reason() -> None:
    """Architecture 1.3: a member no code path raises is in UNREACHABLE, with its reason."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name != "codes.py":
            used |= set(re.findall(r"ResponseCode\.([A-Z_0-9]+)", path.read_text("utf-8")))
    for member in ResponseCode:
        listed = member in UNREACHABLE
        assert listed != (member.name in used), (member.code, member.name, listed)
        assert not listed or len(UNREACHABLE[member]) > 20
