"""Seeded, local randomness: one derived seed per entity, never a global seed."""

from __future__ import annotations

import hashlib
from random import Random

__all__ = ["PLANNER", "Random", "derive_seed", "for_entity"]

# How the planner draws a world from its seed: which generators, in what order (kept planned
# images' keys hold it, mockcp/planned_images.py, so that a store never gets the image of a
# planner that draws otherwise, whatever else the sources' digest sees). "port-day/1": one
# generator per port and local day, per session's driver, reservation and cancellation, and
# per station-day's alarms.
PLANNER = "port-day/1"

_SEED = super(Random, Random).seed  # the C generator's own seeding


def derive_seed(root: int, *parts: object) -> int:
    """A stable 64-bit seed from a root seed and any path of parts."""
    text = "/".join([str(root), *(str(part) for part in parts)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def for_entity(root: int, *parts: object) -> Random:
    """A private ``random.Random`` for one entity: exactly ``Random(derive_seed(...))``,
    made without ``Random.__init__``'s Python layers (``seed`` checks the type of an int it
    is given, then seeds the C generator: the planner makes one per port-day, ~40,000 for
    the demo world)."""
    rng = Random.__new__(Random)
    _SEED(rng, derive_seed(root, *parts))
    # (Random.seed sets it too: gauss() keeps its second value there)
    rng.gauss_next = None  # type: ignore[attr-defined]
    return rng
