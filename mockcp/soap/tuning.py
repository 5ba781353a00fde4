"""spyne's per-request overheads that mockcp has no use for, switched off once (issue 18).

1. spyne's ``MethodContext.close`` runs a full ``gc.collect()`` at most once a second
   (``spyne.const.MIN_GC_INTERVAL``) so that file descriptors of uploaded attachments are
   released promptly. mockcp takes no attachments and keeps no reference cycles per request,
   so that collection only stalls the request that happens to trigger it (about 8 % of a
   100-row page's CPU in the issue's profile); CPython's own generational collector still
   runs on its usual allocation thresholds.
2. ``ComplexModelBase.__init__`` walks every field of the type through four helper calls
   (defaults, read-only properties, SQLAlchemy arrays) on each instance: about half the CPU of
   a 500-row getStations page. mockcp's own types (``soap/types``) are plain: no properties, no
   SQLAlchemy, no XmlData. For them the same result (each field its default or None, then the
   keyword arguments naming a field) comes from a plan computed once per class. A class that is
   not plain keeps spyne's constructor; ``tests/soap/test_lean_path.py`` compares the answers of
   both constructors byte for byte.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from spyne import Array, ComplexModelBase, const

STOCK_INIT: Callable[..., None] = ComplexModelBase.__init__

# Per class: (defaults, factories, writable fields), or None when spyne's own init must run.
InitPlan = tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...], frozenset[str]]
_PLANS: dict[type, InitPlan | None] = {}


def disable_periodic_gc() -> None:
    """Make spyne's once-a-second ``gc.collect()`` never due (idempotent, process-wide)."""
    const.MIN_GC_INTERVAL = math.inf


def _init_plan(cls: Any) -> InitPlan | None:
    if (
        cls.__orig__ is not None
        or cls.Attributes._xml_tag_body_as is not None
        or hasattr(cls, "_sa_class_manager")
    ):
        return None
    defaults: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    writable: set[str] = set()
    for key, member in cls.get_flat_type_info(cls).items():
        attr = member.Attributes
        stored_array = issubclass(member, Array) and getattr(attr, "store_as", None) is not None
        if getattr(cls, key, None) is not None or stored_array:
            return None  # a class attribute (a property?) or a stored array: spyne's rules apply
        if attr.default_factory is not None:
            factories.append((key, attr.default_factory))
        else:
            defaults[key] = attr.default
        if not attr.read_only:
            writable.add(key)
    return defaults, tuple(factories), frozenset(writable)


def plain_init(self: Any, *args: Any, **kwargs: Any) -> None:
    """``ComplexModelBase.__init__``'s result for a plain class, from its cached plan."""
    cls = type(self)
    try:
        plan = _PLANS[cls]
    except KeyError:
        plan = _PLANS[cls] = _init_plan(cls)
    if plan is None or args:
        STOCK_INIT(self, *args, **kwargs)
        return
    defaults, factories, writable = plan
    state = self.__dict__
    for key, value in defaults.items():
        state.setdefault(key, value)
    for key, factory in factories:
        if key not in state:
            state[key] = factory()
    for key, value in kwargs.items():
        if key in writable:
            state[key] = value


def install_plain_init(modules: Iterable[Any]) -> None:
    """Give every ComplexModel class declared in ``modules`` the planned constructor."""
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, ComplexModelBase)
                and value.__module__ == module.__name__
            ):
                setattr(value, "__init__", plain_init)  # noqa: B010  (a class, not an instance)


def uninstall_plain_init(modules: Iterable[Any]) -> None:
    """Back to spyne's constructor (the byte-identity test runs both)."""
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and value.__dict__.get("__init__") is plain_init:
                delattr(value, "__init__")  # noqa: B043
