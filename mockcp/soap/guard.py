"""The pre-parse guard: a request's shape is bounded before spyne sees the document.

spyne walks every attribute and element of a request in Python; 40,000 attributes on the
operation element held a server for seconds (issue 17). ``inspect`` parses the body once
with lxml's hardened parser (in C: no DTD loaded, no entity resolved, no network, no huge
trees) and refuses, with the reason a ``Client`` fault carries:

- a document type declaration, whatever the document's encoding (the parser reports it:
  no byte search that a UTF-16 document would pass);
- more than ``MAX_ELEMENTS`` elements, more than ``MAX_ATTRIBUTES`` attributes in all, or
  more than ``MAX_ELEMENT_ATTRIBUTES`` on one element.

The bounds are far above any real request (the largest, an addFleetVehicle with many
vehicles, has a few hundred elements and a handful of attributes) and documented in
docs/limits.md. Malformed XML is left to the protocol (wire.py), which names the error.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

MAX_ELEMENTS = 5_000
MAX_ATTRIBUTES = 2_000
MAX_ELEMENT_ATTRIBUTES = 32


@dataclass(frozen=True, slots=True)
class Shape:
    """What the guard counted in a document."""

    elements: int
    attributes: int
    widest: int  # the most attributes on one element


def safe_parser() -> etree.XMLParser:
    """The one way mockcp parses a request: no entities, network, DTD loading or huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def shape_of(root: etree._Element) -> Shape:
    """Count the elements and attributes under ``root`` (comments and PIs are removed)."""
    elements = attributes = widest = 0
    for element in root.iter():
        elements += 1
        count = len(element.attrib)
        attributes += count
        widest = max(widest, count)
    return Shape(elements, attributes, widest)


def has_dtd(root: etree._Element) -> bool:
    """Whether the parsed document declared a document type (internal or external)."""
    return bool(getattr(root.getroottree().docinfo, "doctype", ""))


PARSED = "mockcp.parsed"  # environ key: (body, tree) of a request the guard let through


def inspect(raw: bytes) -> str | None:
    """Why ``raw`` is refused before the SOAP engine sees it, or None to let it through."""
    return examine(raw)[0]


def examine(raw: bytes) -> tuple[str | None, etree._Element | None]:
    """Why ``raw`` is refused (or None), and the tree parsed from it when it is let through:
    the protocol reads that tree rather than parsing the same bytes again (``wire.py``)."""
    try:
        root = etree.fromstring(raw, safe_parser())
    except etree.XMLSyntaxError:
        return None, None  # the protocol parses again and names the syntax error
    if has_dtd(root):
        return "DTDs and entity declarations are not allowed in SOAP messages.", None
    shape = shape_of(root)
    if shape.elements > MAX_ELEMENTS:
        refusal = f"The request has {shape.elements} elements; at most {MAX_ELEMENTS} are allowed."
    elif shape.widest > MAX_ELEMENT_ATTRIBUTES:
        refusal = (
            f"An element of the request has {shape.widest} attributes; "
            f"at most {MAX_ELEMENT_ATTRIBUTES} are allowed on one element."
        )
    elif shape.attributes > MAX_ATTRIBUTES:
        refusal = (
            f"The request has {shape.attributes} attributes; at most {MAX_ATTRIBUTES} are allowed."
        )
    else:
        return None, root
    return refusal, None
