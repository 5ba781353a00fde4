"""The difference between two published WSDLs, in the terms of mockcp's version table.

``delta(base, older)`` reads what ``mockcp.soap.versions`` must hold for ``older`` when
mockcp's types declare ``base``: the operations, the fields each type lacks, the fields it
has that ``base`` moved elsewhere, and the fields whose type changed. Inline types are
named as mockcp names them (``parent_field``). ``python -m tests.soap.wsdl_delta`` prints it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from tests.soap import wsdl_shape


@dataclass(frozen=True)
class Delta:
    operations: tuple[str, ...]
    absent: dict[str, frozenset[str]]
    extra: dict[str, tuple[tuple[str, str, str], ...]]  # type -> (field, xsd type, after)
    retyped: dict[tuple[str, str], str]


def named_shapes(shape: wsdl_shape.WsdlShape) -> dict[str, wsdl_shape.Shape]:
    """Every complex type, named or inline (``parent_field``), by mockcp's type name."""
    found: dict[str, wsdl_shape.Shape] = {}

    def visit(name: str, node: wsdl_shape.Shape) -> None:
        found[name] = node
        for field in node.fields:
            if isinstance(field.type, wsdl_shape.Shape) and field.type.compositor != "restriction":
                visit(f"{name}_{field.name}", field.type)

    for name, node in shape.types.items():
        if node.compositor != "restriction":
            visit(name, node)
    for name, node in shape.elements.items():
        visit(name, node)
    return found


def delta(base: wsdl_shape.WsdlShape, older: wsdl_shape.WsdlShape) -> Delta:
    new, old = named_shapes(base), named_shapes(older)
    absent: dict[str, frozenset[str]] = {}
    extra: dict[str, tuple[tuple[str, str, str], ...]] = {}
    retyped: dict[tuple[str, str], str] = {}
    for name in sorted(set(new) & set(old)):
        new_fields = {field.name: field for field in new[name].fields}
        old_fields = [field.name for field in old[name].fields]
        missing = frozenset(new_fields) - set(old_fields)
        if missing:
            absent[name] = missing
        added = tuple(
            (field.name, str(field.type), old_fields[at - 1] if at else "")
            for at, field in enumerate(old[name].fields)
            if field.name not in new_fields
        )
        if added:
            extra[name] = added
        for field in old[name].fields:
            was = new_fields.get(field.name)
            if was is not None and isinstance(field.type, str) and field.type != was.type:
                retyped[(name, field.name)] = field.type.split(":")[-1]
    return Delta(tuple(older.operations), absent, extra, retyped)


def main() -> None:
    base, older = (wsdl_shape.read(Path(arg).read_bytes()) for arg in sys.argv[1:3])
    found = delta(base, older)
    print("operations:", found.operations)
    for name, fields in found.absent.items():
        print(f"    {name!r}: frozenset({sorted(fields)!r}),")
    print("extra:", found.extra)
    print("retyped:", found.retyped)


if __name__ == "__main__":
    main()
