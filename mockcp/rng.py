"""Seeded, local randomness: one derived seed per entity, never a global seed."""

from __future__ import annotations

import hashlib
from random import Random

__all__ = ["Random", "derive_seed", "for_entity"]


def derive_seed(root: int, *parts: object) -> int:
    """A stable 64-bit seed from a root seed and any path of parts."""
    text = "/".join([str(root), *(str(part) for part in parts)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def for_entity(root: int, *parts: object) -> Random:
    """A private ``random.Random`` for one entity."""
    return Random(derive_seed(root, *parts))
