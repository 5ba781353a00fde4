"""mockcp's own data, shipped inside the package: the worlds, the scenario files, and (from
the realism work) the figures ``mockcp realism`` checks against.

Everything here is found through ``importlib.resources``, never relative to a source tree, so
an installed wheel holds all it needs. ``mockcp.data`` imports nothing beyond the standard
library.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

DATA: Traversable = files(__name__)
FIXTURES: Traversable = DATA / "fixtures"
SCENARIOS: Traversable = DATA / "scenarios"


def names(folder: Traversable) -> list[str]:
    """The packaged ``*.yaml`` files of ``folder``, by name without the suffix, sorted."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".yaml")
    )


def find(folder: Traversable, name_or_path: str) -> Traversable | None:
    """A packaged file by name (``demo``), else an existing file path, else a packaged file
    by its file name (``demo.yaml``); None when it is none of those."""
    packaged = names(folder)
    if name_or_path in packaged:
        return folder / f"{name_or_path}.yaml"
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    if name_or_path.removesuffix(".yaml") in packaged:
        return folder / name_or_path
    return None
