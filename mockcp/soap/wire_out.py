"""The output half of ChargePoint's dialect: how values are printed, and in which shape.

Real-interface 3.2, 3.3: int flags ``0``/``1``, booleans ``1``/``0``, UTC ``Z``
timestamps, loads with three decimals and energy with six. Rows are built straight
with lxml from a plan computed once per type and API version (``soap/versions.py``):
what a version lacks is never printed, what it moved is printed where it had it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal as PyDecimal
from typing import Any

from lxml import etree
from spyne import ComplexModelBase
from spyne.model.primitive import Boolean, Date, DateTime, Decimal, Double, Float, Integer, Time

from mockcp.clock import utc
from mockcp.soap.types import MODULES
from mockcp.soap.versions import V5_1, ApiVersion

# Fields whose decimals follow real responses (real-interface 3.3); others use repr.
DECIMAL_PLACES = {
    "stationLoad": 3,
    "portLoad": 3,
    "allowedLoad": 3,
    "allowedLoadPerStation": 3,
    "allowedLoadPerPort": 3,
    "Energy": 6,
    "energyConsumed": 6,
    "estimatedCost": 2,
    "peakPower": 4,
    "rollingPowerAvg": 4,
}


Formatter = Callable[[Any], str]


# Printed as the guide's samples print them: whole numbers without a fraction (getLoad 5.3.5
# ``<lastBatteryPercent>0</lastBatteryPercent>``, getFleetUsageData 10.5.5 ``<startSOC>0``,
# ``<Fee>0``, ``<Odometer>0``); other values as they are. (estimatedCost keeps the ``0.00``
# real responses print, real-interface 3.3, over the 7.1.7 sample's ``0``.)
PLAIN_NUMBERS = frozenset({"lastBatteryPercent", "startSOC", "endSOC", "Fee", "Odometer"})


def plain_number(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def formatter_for(name: str, cls: Any) -> Formatter:
    """How one simple field is printed, chosen once per field (real-interface 3.2, 3.3)."""
    # spyne: Date < DateTime and Integer, Double, Float < Decimal, so subclasses go first.
    if issubclass(cls, Boolean):
        return lambda value: "1" if value else "0"
    if issubclass(cls, Date):
        return lambda value: value.isoformat() if isinstance(value, date) else str(value)
    if issubclass(cls, DateTime):
        return lambda value: utc(value).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    if issubclass(cls, Time):
        return lambda value: value.strftime("%H:%M:%S") if isinstance(value, time) else str(value)
    if issubclass(cls, Integer):
        return lambda value: str(int(value))
    if issubclass(cls, Double | Float):
        places = DECIMAL_PLACES.get(name)
        if name in PLAIN_NUMBERS:
            return plain_number
        if places is None:
            return lambda value: repr(float(value))
        spec = f".{places}f"
        return lambda value: format(float(value), spec)
    if issubclass(cls, Decimal):
        spec = f".{DECIMAL_PLACES.get(name, 3)}f"
        return lambda value: format(PyDecimal(str(value)), spec)
    return str


def format_value(name: str, cls: Any, value: Any) -> str:
    """One simple value as ChargePoint prints it."""
    return formatter_for(name, cls)(value)


# Per field: (name, complex member or None, is-repeated, formatter, printed from the enclosing
# row), computed once per type and version.
Plan = list[tuple[str, Any, bool, Formatter, bool]]
_PLANS: dict[tuple[type, str], Plan] = {}
_TYPES: dict[str, Any] = {
    value.get_type_name(): value  # type: ignore[attr-defined]
    for module in MODULES
    for value in vars(module).values()
    if isinstance(value, type)
    and issubclass(value, ComplexModelBase)
    and value.__module__ == module.__name__
}


def _lineage(cls: Any) -> list[str]:
    """``cls``'s type name and those of the types it extends (a field belongs to one of them)."""
    names: list[str] = []
    current: Any = cls
    while isinstance(current, type) and issubclass(current, ComplexModelBase):
        names.append(str(current.get_type_name()))  # type: ignore[attr-defined]
        current = getattr(current, "__extends__", None)
    return names


def _plan(cls: type[ComplexModelBase], version: ApiVersion) -> Plan:
    plan = _PLANS.get((cls, version.name))
    if plan is not None:
        return plan
    plan = []
    lineage = _lineage(cls)
    own = lineage[0]
    extras = version.extra.get(own, ())
    for name, member in cls.get_flat_type_info(cls).items():
        if any(version.lacks(type_name, name) for type_name in lineage):
            continue
        retyped = version.retyped.get((own, name))
        if retyped is not None:
            member = _TYPES[retyped].customize(max_occurs=member.Attributes.max_occurs)
        is_complex = issubclass(member, ComplexModelBase)
        renderer = str if is_complex else formatter_for(name, member)
        plan.append(
            (
                name,
                member if is_complex else None,
                member.Attributes.max_occurs > 1,
                renderer,
                False,
            )
        )
        plan.extend((extra.name, None, False, str, True) for extra in extras if extra.after == name)
    _PLANS[(cls, version.name)] = plan
    return plan


# A compiled row builder: (parent element, row, enclosing row) -> None.
Builder = Callable[[etree._Element, Any, Any], None]
_BUILDERS: dict[tuple[type, str], Builder] = {}

# Tests only: build with the per-field loop the compiled builders replaced, to compare bytes.
REFERENCE = False


def build_children(
    parent: etree._Element,
    cls: type[ComplexModelBase],
    obj: Any,
    version: ApiVersion = V5_1,
    outer: Any = None,
) -> None:
    """Append ``obj``'s fields to ``parent`` as unqualified elements, in ``version``'s order.

    A field ``version`` has and 5.1 moved up (5.0's port-level ``stationName``) is printed
    from ``outer``, the row enclosing ``obj``. ``obj`` is an instance of ``cls`` or a plain
    dict of its field values (the lean rows of large pages, ``soap/mapping/stations.py``):
    both print the same, since only the fields ``cls`` declares are read.
    """
    if REFERENCE:
        _reference_children(parent, cls, obj, version, outer)
    else:
        builder(cls, version)(parent, obj, outer)


def builder(cls: type[ComplexModelBase], version: ApiVersion) -> Builder:
    """The compiled builder of ``cls`` rows in ``version`` (compiled once, then cached)."""
    found = _BUILDERS.get((cls, version.name))
    if found is None:
        found = _BUILDERS[(cls, version.name)] = _compile(cls, version)
    return found


def _compile(cls: type[ComplexModelBase], version: ApiVersion) -> Builder:
    """``_plan`` as straight-line Python: one ``if`` per field, no loop over the plan, no
    per-field unpacking (issue 18: the 500-row page). Each field is read once; an absent
    (None) field or item prints nothing; a complex field is built by its own type's builder,
    looked up when first used (so mutually nested types compile lazily)."""
    names: dict[str, Any] = {"sub": etree.SubElement, "outer_field": _field}
    lines = ["def build(parent, obj, outer):",
             "    get = obj.get if type(obj) is dict else obj.__dict__.get"]  # fmt: skip
    for i, (name, member, repeated, render, from_outer) in enumerate(_plan(cls, version)):
        key = repr(name)
        read = f"outer_field(outer, {key})" if from_outer else f"get({key})"
        if member is not None:
            names[f"nested{i}"] = _Nested(member, version)
            put = f"nested{i}(sub(parent, {key}), {{item}}, obj)"
        else:
            names[f"render{i}"] = render
            put = f"sub(parent, {key}).text = render{i}({{item}})"
        lines += [f"    value = {read}", "    if value is not None:"]
        if repeated:
            lines += ["        for item in value:", "            if item is not None:",
                      "                " + put.format(item="item")]  # fmt: skip
        else:
            lines.append("        " + put.format(item="value"))
    exec(compile("\n".join(lines), f"<builder {cls.__name__} {version.name}>", "exec"), names)  # noqa: S102
    return names["build"]  # type: ignore[no-any-return]


class _Nested:
    """A complex field's builder, compiled on its first row."""

    __slots__ = ("cls", "version", "built")

    def __init__(self, cls: type[ComplexModelBase], version: ApiVersion) -> None:
        self.cls, self.version = cls, version
        self.built: Builder | None = None

    def __call__(self, parent: etree._Element, obj: Any, outer: Any) -> None:
        if self.built is None:
            self.built = builder(self.cls, self.version)
        self.built(parent, obj, outer)


def _reference_children(
    parent: etree._Element,
    cls: type[ComplexModelBase],
    obj: Any,
    version: ApiVersion,
    outer: Any,
) -> None:
    """The per-field loop the compiled builders replaced (kept to compare their bytes)."""
    sub = etree.SubElement
    values = obj if type(obj) is dict else obj.__dict__
    for name, complex_member, repeated, render, from_outer in _plan(cls, version):
        value = values.get(name) if not from_outer else _field(outer, name)
        if value is None:
            continue
        for item in value if repeated else (value,):
            if item is None:
                continue
            if complex_member is not None:
                _reference_children(sub(parent, name), complex_member, item, version, obj)
            else:
                sub(parent, name).text = render(item)


def _field(row: Any, name: str) -> Any:
    return row.get(name) if type(row) is dict else getattr(row, name, None)
