"""A built world, once per test run, copied for every test that wants it fresh.

Building the demo world (loading it and planning its history up to the start) costs seconds
of CPU; several test modules each want it at the same start. ``fresh_world`` builds it once
per run into a SQLite file (under the run's base temporary folder, which every pytest-xdist
worker of the run shares: a file lock makes exactly one of them build it) and gives each
caller its own copy of that file. ``MockChargePoint`` on the copy finds the world it wants
already stored (same fixture, seed and schema) and builds nothing: the copy holds exactly
what a build would have written, start image and clock row included, since the build is
deterministic (the same worlds the resets and sandboxes are copied from).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.workers import worker_name


def _images(factory: pytest.TempPathFactory) -> Path:
    """The folder of this run's images: shared by the run's xdist workers."""
    base = factory.getbasetemp()
    folder = (base.parent if worker_name() else base) / "world-images"
    folder.mkdir(exist_ok=True)
    return folder


def world_image(factory: pytest.TempPathFactory, fixture: str, start: datetime) -> Path:
    """The SQLite file of ``fixture`` built with its clock at ``start`` (built on first use)."""
    folder = _images(factory)
    name = f"{fixture}-{start.strftime('%Y%m%dT%H%M%S%z')}.sqlite3"
    image = folder / name
    with (folder / f"{name}.building").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not image.exists():
            partial = folder / f"{name}.{os.getpid()}.part"
            settings = Settings(database_url=f"sqlite:///{partial}", fixture=fixture)
            with MockChargePoint(settings, ManualClock(start)):
                pass  # closing disposes the engine: the WAL is folded into the file
            os.replace(partial, image)
    return image


def fresh_world(
    factory: pytest.TempPathFactory, fixture: str, start: datetime
) -> Settings:
    """Settings of a SQLite file of its own holding ``fixture`` as built at ``start``."""
    copy = factory.mktemp(f"{fixture}-world") / "world.sqlite3"
    shutil.copyfile(world_image(factory, fixture, start), copy)
    return Settings(database_url=f"sqlite:///{copy}", fixture=fixture)
