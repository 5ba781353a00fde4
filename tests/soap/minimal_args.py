"""The smallest valid arguments zeep accepts for an operation (required elements only)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import zeep
from zeep.xsd import ComplexType

# Values for required simple elements whose type restricts them (enumerations).
ENUM_VALUES = {"associationType": "CONNECTION", "Status": "APPROVED"}
DUMMIES = {
    "string": "1",
    "int": 1,
    "long": 1,
    "boolean": True,
    "double": 1.0,
    "float": 1.0,
    "decimal": Decimal("1"),
    "dateTime": datetime(2024, 1, 1, tzinfo=UTC),
}


def minimal_value(name: str, xsd_type: Any) -> Any:
    if isinstance(xsd_type, ComplexType):
        return {
            child_name: minimal_value(child_name, child.type)
            for child_name, child in xsd_type.elements
            if child.min_occurs >= 1
        }
    if name in ENUM_VALUES:
        return ENUM_VALUES[name]
    base = xsd_type
    while getattr(base, "name", None) not in DUMMIES and getattr(base, "base_class", None):
        base = base.base_class
    return DUMMIES.get(getattr(base, "name", None), DUMMIES.get(getattr(xsd_type, "name", ""), "1"))


def minimal_args(client: zeep.Client, operation: str) -> dict[str, Any]:
    element = client.get_element(f"{{urn:dictionary:com.chargepoint.webservices}}{operation}")
    return minimal_value(operation, element.type)  # type: ignore[no-any-return]
