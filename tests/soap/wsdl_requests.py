"""Request trees read from a WSDL: every element of every request, with its type and occurrence.

Tests build envelopes from these trees (never from a hand list of elements): one element
empty, one missing, or any mix of absent/empty/valued optional elements.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"

# A schema-valid sample value per XSD simple type (one that every operation can read).
SAMPLES = {
    "string": "1",
    "int": "1",
    "integer": "1",
    "long": "1",
    "short": "1",
    "double": "1.5",
    "float": "1.5",
    "decimal": "1.5",
    "boolean": "1",
    "dateTime": "2024-03-12T10:00:00Z",
    "date": "2024-03-12",
    "time": "10:00:00",
}


@dataclass(frozen=True)
class Node:
    """One element declaration: simple (``xsd`` type name, enumeration) or complex (children)."""

    name: str
    xsd: str | None  # simple type's XSD base ("int", "string"...); None for a complex type
    min_occurs: int
    repeated: bool
    children: tuple[Node, ...] = ()
    enumeration: tuple[str, ...] = ()

    @property
    def optional(self) -> bool:
        return self.min_occurs == 0

    def sample(self) -> str:
        return self.enumeration[0] if self.enumeration else SAMPLES[self.xsd or "string"]


def _local(value: str) -> str:
    return value.rpartition(":")[2]


class _Schema:
    def __init__(self, schema: etree._Element) -> None:
        self.named = {
            node.get("name"): node
            for node in schema
            if isinstance(node.tag, str) and node.get("name") is not None
        }
        self.tops = {node.get("name"): node for node in schema.iterchildren(f"{{{XS}}}element")}

    def node(
        self, element: etree._Element, depth: int = 0, body: etree._Element | None = None
    ) -> Node:
        if depth > 12:
            raise ValueError(f"schema nesting too deep at {element.get('name')}")
        name = element.get("name") or ""
        low = int(element.get("minOccurs", "1"))
        repeated = element.get("maxOccurs", "1") != "1"
        type_name = element.get("type")
        if body is not None:
            pass
        elif type_name is not None:
            prefix, _, local = type_name.rpartition(":")
            if prefix in {"xs", "xsd"}:
                return Node(name, local, low, repeated)
            body = self.named[local]
        else:
            body = element.find(f"{{{XS}}}complexType")
            if body is None:
                body = element.find(f"{{{XS}}}simpleType")
        if body is None:
            return Node(name, "string", low, repeated)
        if etree.QName(body).localname == "simpleType":
            restriction = body.find(f"{{{XS}}}restriction")
            assert restriction is not None
            enumeration = tuple(
                str(item.get("value")) for item in restriction.iterchildren(f"{{{XS}}}enumeration")
            )
            return Node(
                name, _local(restriction.get("base") or "string"), low, repeated, (), enumeration
            )
        inherited: tuple[Node, ...] = ()
        extension = body.find(f"{{{XS}}}complexContent/{{{XS}}}extension")
        if extension is not None:
            base = self.named[_local(str(extension.get("base")))]
            inherited = self.node(
                etree.Element(f"{{{XS}}}element", type="tns:x"), depth + 1, base
            ).children
        own = tuple(
            self.node(child, depth + 1)
            for child in body.iter(f"{{{XS}}}element")
            if _owner(child) is body
        )
        return Node(name, None, low, repeated, inherited + own)


def _owner(element: etree._Element) -> etree._Element | None:
    """The complexType an element declaration belongs to (skipping compositors)."""
    parent = element.getparent()
    skip = {"sequence", "all", "choice", "extension", "complexContent"}
    while parent is not None and etree.QName(parent).localname in skip:
        parent = parent.getparent()
    return parent


def requests(wsdl: Path) -> dict[str, Node]:
    """Every portType operation's request element, by operation name, in portType order."""
    root = etree.parse(str(wsdl)).getroot()
    schema = root.find(f"{{{WSDL}}}types/{{{XS}}}schema")
    assert schema is not None
    read = _Schema(schema)
    messages = {
        message.get("name"): _local(str(message.find(f"{{{WSDL}}}part").get("element")))  # type: ignore[union-attr]
        for message in root.iterchildren(f"{{{WSDL}}}message")
    }
    port_type = root.find(f"{{{WSDL}}}portType")
    assert port_type is not None
    found: dict[str, Node] = {}
    for operation in port_type.iterchildren(f"{{{WSDL}}}operation"):
        message = _local(str(operation.find(f"{{{WSDL}}}input").get("message")))  # type: ignore[union-attr]
        found[str(operation.get("name"))] = read.node(read.tops[messages[message]])
    return found


Path_ = tuple[str, ...]


def paths(node: Node, prefix: Path_ = ()) -> Iterator[tuple[Path_, Node]]:
    """Every element below ``node`` (not ``node`` itself), depth first, with its path."""
    for child in node.children:
        path = (*prefix, child.name)
        yield path, child
        yield from paths(child, path)


# What to do with an element: absent, empty, or a sample value (complex: built recursively).
ABSENT, EMPTY, VALUE = "absent", "empty", "value"


def render(node: Node, choices: Mapping[Path_, str] | None = None, prefix: Path_ = ()) -> str:
    """``node``'s children as unqualified XML: required ones valued, the rest as ``choices`` say."""
    choices = choices or {}
    parts: list[str] = []
    for child in node.children:
        path = (*prefix, child.name)
        choice = choices.get(path, ABSENT if child.optional else VALUE)
        if choice == ABSENT:
            continue
        if choice == EMPTY:
            parts.append(f"<{child.name}/>")
        elif child.xsd is None:
            parts.append(f"<{child.name}>{render(child, choices, path)}</{child.name}>")
        else:
            parts.append(f"<{child.name}>{child.sample()}</{child.name}>")
    return "".join(parts)


def with_ancestors(path: Path_, choice: str) -> dict[Path_, str]:
    """``choice`` for ``path`` and VALUE for each of its ancestors (so the element is reached)."""
    chosen = {path[:depth]: VALUE for depth in range(1, len(path))}
    chosen[path] = choice
    return chosen


def node_at(root: Node, path: Path_) -> Node:
    node = root
    for name in path:
        node = next(child for child in node.children if child.name == name)
    return node


def blank_optional_ancestor(root: Node, path: Path_, choices: Mapping[Path_, str]) -> Path_ | None:
    """The outermost optional complex ancestor of ``path`` rendered without any text, if any.

    Such a placeholder (``<Geo><Lat/></Geo>`` with nothing else) is absent as a whole.
    """
    for depth in range(1, len(path)):
        ancestor = node_at(root, path[:depth])
        if ancestor.optional and ancestor.xsd is None:
            xml = f"<x>{render(ancestor, choices, path[:depth])}</x>"
            if not "".join(etree.fromstring(xml).itertext()).strip():
                return path[:depth]
    return None


# Other schema-valid values a property test may pick (edge values a client can send).
MORE_VALUES = {
    "string": ("1", "x", "1:ORG00001", "Ünïcode & <escaped>"),
    "int": ("0", "-1", "1", "1001", "2147483647"),
    "long": ("0", "-1", "1", "9223372036854775807"),
    "double": ("0", "-1.5", "1e3", "37.4"),
    "decimal": ("0", "-1.5", "12.125"),
    "boolean": ("0", "1", "true", "false"),
    "dateTime": ("2024-03-12T10:00:00Z", "2024-03-12T10:00:00+02:00", "1970-01-01T00:00:00"),
    "date": ("2024-03-12", "1999-12-31"),
    "time": ("10:00:00", "23:59:59", "00:00:00"),
}


def values_for(node: Node) -> tuple[str, ...]:
    if node.enumeration:
        return node.enumeration
    return MORE_VALUES.get(node.xsd or "string", (node.sample(),))


def render_values(
    node: Node,
    choices: Mapping[Path_, str],
    values: Mapping[Path_, str],
    prefix: Path_ = (),
) -> str:
    """As ``render``, with the value of each valued simple element taken from ``values``."""
    parts: list[str] = []
    for child in node.children:
        path = (*prefix, child.name)
        choice = choices.get(path, ABSENT if child.optional else VALUE)
        if choice == ABSENT:
            continue
        if choice == EMPTY:
            parts.append(f"<{child.name}/>")
        elif child.xsd is None:
            inner = render_values(child, choices, values, path)
            parts.append(f"<{child.name}>{inner}</{child.name}>")
        else:
            text = values.get(path, child.sample())
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append(f"<{child.name}>{escaped}</{child.name}>")
    return "".join(parts)
