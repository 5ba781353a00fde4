"""The smallest request each operation's schema accepts, for ``mockcp coverage``.

Only the elements the request type requires (minOccurs >= 1), each with the plainest value
of its type: the answer then comes from the handler (a catalogue code), never from schema
validation, so the coverage table can tell an operation that answers from one that does not.
"""

from __future__ import annotations

from typing import Any

from spyne import Boolean, ComplexModelBase, Date, DateTime, Decimal, Double, Float, Integer
from spyne.model.enum import EnumBase

from mockcp.soap.application import SERVICES

PLAIN = "2024-03-12T17:00:00Z"


def _value(kind: Any) -> str:
    if issubclass(kind, EnumBase):
        return str(kind.__values__[0])
    if issubclass(kind, Boolean):
        return "false"
    if issubclass(kind, Integer | Decimal | Double | Float):
        return "1"
    if issubclass(kind, DateTime):
        return PLAIN
    if issubclass(kind, Date):
        return PLAIN[:10]
    return "1"


def _required(kind: Any) -> str:
    parts = []
    for name, child in kind.get_flat_type_info(kind).items():
        if child.Attributes.min_occurs < 1:
            continue
        inner = _required(child) if issubclass(child, ComplexModelBase) else _value(child)
        parts.append(f"<{name}>{inner}</{name}>")
    return "".join(parts)


def minimal_requests() -> dict[str, str]:
    """operation -> the body element of its smallest valid request (children unqualified)."""
    return {
        name: f"<urn:{name}>{_required(method.in_message)}</urn:{name}>"
        for service in SERVICES
        for name, method in service.public_methods.items()
    }
