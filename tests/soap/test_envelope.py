"""An answer's envelope from its template is the bytes lxml writes for the whole tree (#18)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from mockcp.soap.envelope import envelope_bytes, response_envelope, timestamp_strings
from mockcp.soap.wire import TNS

# Text lxml can hold: XML characters (no controls, no surrogates), escapes included.
TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
    ) | st.sampled_from("<>&\"'\t\n\r"),
    max_size=12,
)
NAMES = st.sampled_from(["CPN", "cpnID", "responseCode", "stationData", "Port", "x"])
ROWS = st.lists(st.tuples(NAMES, st.lists(st.tuples(NAMES, TEXT), max_size=4)), max_size=4)
INSTANTS = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 50), timezones=st.just(UTC)
)


def body_of(operation: str, rows: list[tuple[str, list[tuple[str, str]]]]) -> etree._Element:
    """A body element as ``wire.serialize`` builds it: ``ns1`` declared, children unqualified."""
    wrapper = etree.Element(f"{{{TNS}}}{operation}", nsmap={"ns1": TNS})
    for name, fields in rows:
        row = etree.SubElement(wrapper, name)
        for field, text in fields:
            etree.SubElement(row, field).text = text
    return wrapper


def whole_tree(now: datetime, body: etree._Element) -> bytes:
    """What spyne's protocol wrote: the whole envelope tree, serialised by lxml."""
    tree = response_envelope(now, body)
    return bytes(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))


@settings(max_examples=60, deadline=None)
@given(now=INSTANTS, operation=st.sampled_from(["getCPNInstancesResponse", "x"]), rows=ROWS)
def test_the_template_writes_the_bytes_of_the_whole_tree(
    now: datetime, operation: str, rows: list[tuple[str, list[tuple[str, str]]]]
) -> None:
    lean = envelope_bytes(*timestamp_strings(now), body_of(operation, rows))
    assert lean == whole_tree(now, body_of(operation, rows))


def test_an_answer_names_its_instant_and_parses() -> None:
    now = datetime(2024, 3, 12, 17, 0, 0, 123456, tzinfo=UTC)
    lean = envelope_bytes(*timestamp_strings(now), body_of("getCPNInstancesResponse", []))
    root = etree.fromstring(lean)
    assert b'wsu:Id="Timestamp-20240312170000123456"' in lean
    assert b"<wsu:Created>2024-03-12T17:00:00.123Z</wsu:Created>" in lean
    assert b"<wsu:Expires>2024-03-12T17:05:00.123Z</wsu:Expires>" in lean
    assert root[1][0].tag == f"{{{TNS}}}getCPNInstancesResponse"
