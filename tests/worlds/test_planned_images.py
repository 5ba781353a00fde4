"""Kept planned images (mockcp/planned_images.py, issue 18): a fresh SQLite store copies the
image of its world's build instead of planning it again, and gets exactly what the build
would have written; any change of what decides the world builds; a damaged image is never
used; the cache stays bounded; off means off; two starts at once both come up."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from zeep.helpers import serialize_object

import mockcp.app as app_module
import mockcp.planned_images as planned
from mockcp.config import Settings
from mockcp.data import FIXTURES
from mockcp.db.images import PREFIX
from mockcp.db.journal_store import SUFFIX as JOURNAL
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.serving import free_port, wait_ready
from tests.worlds.helpers import Rows, admin, rows


def store(path: Path) -> Rows:
    """The world's file and its journal's."""
    world = rows(path)
    journal = {f"journal:{k}": v for k, v in rows(Path(f"{path}{JOURNAL}")).items()}
    return {**world, **journal}


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The worlds loaded from a fixture from now on (each load is a build, never a copy)."""
    loaded: list[str] = []
    real = app_module.load_world

    def counted(db: Any, fixture: str, *args: Any) -> None:
        loaded.append(fixture)
        real(db, fixture, *args)

    monkeypatch.setattr(app_module, "load_world", counted)
    return loaded


def settings_in(folder: Path, cache: Path, **changes: Any) -> Settings:
    folder.mkdir(parents=True, exist_ok=True)
    base = Settings(database_url=f"sqlite:///{folder / 'w.sqlite3'}", fixture="minimal",
                    clock_mode="frozen", clock_start=START, cache_dir=str(cache))
    return replace(base, **changes)


def start(settings: Settings) -> Path:
    """Build (or copy) the store of ``settings`` and close it; its file."""
    with MockChargePoint(settings):
        pass
    return Path(str(settings.database_url).removeprefix("sqlite:///"))


def reads(mock: MockChargePoint) -> list[object]:
    client = mock.client()
    return [
        serialize_object(client.service.getChargingSessionData(searchQuery={}), dict),
        serialize_object(client.service.getStations(searchQuery={}), dict),
        serialize_object(client.service.getStationStatus(searchQuery={}), dict),
    ]


def test_a_copy_of_the_kept_image_is_the_build_and_stays_so(
    tmp_path: Path, builds: list[str]
) -> None:
    cache = tmp_path / "cache"
    off = settings_in(tmp_path / "off", cache, planned_cache=False)
    built = start(off)
    kept = start(settings_in(tmp_path / "kept", cache))
    assert builds == ["minimal", "minimal"]  # off builds; on, the cold cache builds and keeps
    copy_settings = settings_in(tmp_path / "copy", cache)
    copied = start(copy_settings)
    assert builds == ["minimal", "minimal"]  # the copy loaded and planned nothing
    assert store(copied) == store(built) == store(kept)
    assert any(name.startswith(PREFIX + "start__") for name in store(copied))
    assert store(copied)["world_meta"] == store(built)["world_meta"]  # no key row left in it
    answers = []
    world_after = []
    for settings in (off, copy_settings):
        with MockChargePoint(settings) as mock:
            assert admin(mock.wsgi, "POST", "/clock", {"advance": "P2D"})[0] == 200
            answers.append(reads(mock))
            assert admin(mock.wsgi, "POST", "/reset") == (200, {"status": "reset"})
            answers.append(reads(mock))
        world_after.append(rows(Path(settings.database_url.removeprefix("sqlite:///"))))
    assert answers[0] == answers[2] and answers[1] == answers[3]
    assert answers[0][0]["ChargingSessionData"]  # sessions two days on: not an empty answer
    assert world_after[0] == world_after[1]


def fixed_now(monkeypatch: pytest.MonkeyPatch, instant: datetime) -> None:
    """The wall clock's reading for the default start (the one input a test cannot choose)."""
    monkeypatch.setattr(app_module, "wall_now", lambda: instant)


def test_the_default_start_is_built_at_its_utc_day_then_moved_to_now(
    tmp_path: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    fixed_now(monkeypatch, datetime(2024, 3, 12, 17, 23, 45, tzinfo=UTC))
    off = start(settings_in(tmp_path / "off", cache, clock_start=None, planned_cache=False))
    first = start(settings_in(tmp_path / "first", cache, clock_start=None))
    assert builds == ["minimal", "minimal"]
    fixed_now(monkeypatch, datetime(2024, 3, 12, 21, 5, tzinfo=UTC))  # later, the same day
    later = settings_in(tmp_path / "later", cache, clock_start=None)
    with MockChargePoint(later) as mock:
        assert builds == ["minimal", "minimal"]  # the same UTC day: copied, not built
        assert admin(mock.wsgi, "GET", "/clock")[1]["now"] == "2024-03-12T21:05:00Z"
        assert admin(mock.wsgi, "POST", "/clock", {"advance": "PT1H"})[0] == 200
        assert admin(mock.wsgi, "POST", "/reset")[0] == 200
        assert admin(mock.wsgi, "GET", "/clock")[1]["now"] == "2024-03-12T21:05:00Z"
    meta = dict(store(first)["world_meta"])  # type: ignore[arg-type]
    assert meta["epoch"] == "2024-03-12T00:00:00+00:00"  # the world's start: the UTC day
    assert store(off) == store(first)  # built with or without the cache: the same world
    fixed_now(monkeypatch, datetime(2024, 3, 13, 0, 0, 1, tzinfo=UTC))
    start(settings_in(tmp_path / "next-day", cache, clock_start=None))
    assert builds == ["minimal"] * 3  # another day: another image
    start(settings_in(tmp_path / "fixed", cache))
    assert builds == ["minimal"] * 4  # --start X means exactly X (its own key)


def test_a_sandbox_of_the_default_start_is_copied_from_the_servers_image(
    tmp_path: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed_now(monkeypatch, datetime(2024, 3, 12, 17, 23, 45, tzinfo=UTC))
    with MockChargePoint(settings_in(tmp_path / "server", tmp_path / "cache",
                                     clock_start=None)) as mock:  # fmt: skip
        status, made = admin(mock.wsgi, "POST", "/sandboxes", {})
        assert status == 201, made
        assert builds == ["minimal"]  # the server's build; its sandbox copied the image
        status, clock = admin(mock.wsgi, "GET", f"/sandboxes/{made['id']}/clock")
        assert (status, clock["now"]) == (200, "2024-03-12T17:23:45Z")
        status, tenants = admin(mock.wsgi, "GET", f"/sandboxes/{made['id']}/tenants")
        assert status == 200 and tenants


def test_the_demo_world_copied_is_the_demo_world_built(
    tmp_path: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed_now(monkeypatch, datetime(2024, 3, 12, 17, 23, 45, tzinfo=UTC))
    cache = tmp_path / "cache"
    demo = {"fixture": "demo", "clock_start": None, "clock_mode": "realtime"}
    built = start(settings_in(tmp_path / "built", cache, **demo))
    copied = start(settings_in(tmp_path / "copied", cache, **demo))
    assert builds == ["demo"]
    assert store(copied) == store(built)


def test_any_change_of_what_decides_the_world_builds_it_again(
    tmp_path: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    fixture = tmp_path / "mine.yaml"
    fixture.write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    base = {"fixture": str(fixture)}
    start(settings_in(tmp_path / "a", cache, **base))
    start(settings_in(tmp_path / "b", cache, **base))
    assert len(builds) == 1  # the same key: copied
    changes: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("seed", lambda: {"root_seed": 7}),
        ("start", lambda: {"clock_start": datetime(2024, 3, 13, 17, 0, tzinfo=UTC)}),
        ("pace", lambda: {"clock_mode": "x60"}),
        ("fixture", lambda: {"fixture": "minimal"}),  # other name, same bytes
    ]
    for number, (_, change) in enumerate(changes, start=2):
        start(settings_in(tmp_path / f"c{number}", cache, **{**base, **change()}))
        assert len(builds) == number
    with fixture.open("a") as handle:
        handle.write("# edited\n")  # the same name, other bytes
    start(settings_in(tmp_path / "edited", cache, **base))
    assert len(builds) == 6
    monkeypatch.setattr(planned, "code_digest", lambda: "another planner")
    start(settings_in(tmp_path / "code", cache, **base))
    assert len(builds) == 7  # other code: never an older planner's image
    start(settings_in(tmp_path / "code-again", cache, **base))
    assert len(builds) == 7
    monkeypatch.setattr(planned, "PLANNER", f"{planned.PLANNER}, drawn otherwise")  # same code
    start(settings_in(tmp_path / "planner", cache, **base))
    assert len(builds) == 8  # never the image of a planner that draws otherwise


def only_image(cache: Path) -> Path:
    (image,) = (cache / "planned").glob("*.sqlite3")
    return image


def sound(image: Path) -> bool:
    with sqlite3.connect(f"{image.as_uri()}?mode=ro", uri=True) as conn:
        return planned._sound(conn, image.stem)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign", "empty"])
def test_a_damaged_or_foreign_image_is_ignored_and_replaced(
    tmp_path: Path, builds: list[str], damage: str
) -> None:
    cache = tmp_path / "cache"
    start(settings_in(tmp_path / "a", cache))
    image = only_image(cache)
    if damage == "truncated":
        with image.open("r+b") as handle:
            handle.truncate(image.stat().st_size // 2)
    elif damage == "garbage":
        image.write_bytes(b"not a world " * 1000)
    elif damage == "empty":
        image.write_bytes(b"")
    else:  # a whole image, of another key
        other = cache / "other"
        start(settings_in(tmp_path / "seed7", other, root_seed=7))
        shutil.copyfile(only_image(other), image)
    assert not sound(image)
    start(settings_in(tmp_path / "b", cache))
    assert len(builds) == 2 + (damage == "foreign")  # built, not copied from the damage
    assert only_image(cache) == image and sound(image)  # replaced by a sound one
    start(settings_in(tmp_path / "c", cache))
    assert len(builds) == 2 + (damage == "foreign")  # which the next start copies


def test_the_cache_keeps_its_bound_least_recently_used_first(
    tmp_path: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setattr(planned, "IMAGES", 2)
    for seed in (1, 2):
        start(settings_in(tmp_path / f"s{seed}", cache, root_seed=seed))
    start(settings_in(tmp_path / "s1-again", cache, root_seed=1))  # used: now the most recent
    start(settings_in(tmp_path / "s3", cache, root_seed=3))
    assert len(builds) == 3 and len(list((cache / "planned").glob("*.sqlite3"))) == 2
    start(settings_in(tmp_path / "s1-third", cache, root_seed=1))
    assert len(builds) == 3  # seed 1 kept
    start(settings_in(tmp_path / "s2-again", cache, root_seed=2))
    assert len(builds) == 4  # seed 2, the least recently used, was removed
    size = only_size = max(p.stat().st_size for p in (cache / "planned").glob("*.sqlite3"))
    monkeypatch.setattr(planned, "BYTES", int(only_size * 1.5))
    start(settings_in(tmp_path / "s4", cache, root_seed=4))
    assert [p.stat().st_size <= size for p in (cache / "planned").glob("*.sqlite3")] == [True]
    stale = cache / "planned" / ".dead.1.2.part"
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))  # a writer that died long ago
    start(settings_in(tmp_path / "s5", cache, root_seed=5))
    assert not stale.exists()


def test_off_means_off(tmp_path: Path, builds: list[str]) -> None:
    cache = tmp_path / "cache"
    start(settings_in(tmp_path / "kept", cache))
    before = sorted(p.name for p in (cache / "planned").iterdir())
    start(settings_in(tmp_path / "off", cache, planned_cache=False))
    assert len(builds) == 2  # an image was there: not used
    assert sorted(p.name for p in (cache / "planned").iterdir()) == before
    start(settings_in(tmp_path / "off-2", tmp_path / "unused", planned_cache=False))
    assert not (tmp_path / "unused").exists()  # nor written
    assert Settings.from_env(environ={"MOCKCP_PLANNED_CACHE": "off"}).planned_cache is False


def test_the_variable_turns_it_off_for_settings_made_by_hand(
    tmp_path: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``MOCKCP_PLANNED_CACHE=off`` is the machine's, as ``MOCKCP_CACHE_DIR`` is: a world made
    from a ``Settings`` built in code (the Python API, a bench) neither reads nor writes."""
    cache = tmp_path / "cache"
    start(settings_in(tmp_path / "kept", cache))
    monkeypatch.setenv("MOCKCP_PLANNED_CACHE", "off")
    start(settings_in(tmp_path / "off", cache))
    assert len(builds) == 2  # the image was there: not used
    start(settings_in(tmp_path / "off-2", tmp_path / "unused"))
    assert not (tmp_path / "unused").exists()
    monkeypatch.setenv("MOCKCP_PLANNED_CACHE", "on")
    start(settings_in(tmp_path / "on", cache))
    assert len(builds) == 3  # copied again
    assert Settings.from_env(environ={"MOCKCP_CACHE_DIR": "/x"}).cache_dir == "/x"


def test_a_folder_that_cannot_be_written_never_fails_a_start(
    tmp_path: Path, builds: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for name in ("a", "b"):
        with MockChargePoint(settings_in(tmp_path / name, blocker / "cache")) as mock:
            assert mock.tenants()
    assert len(builds) == 2


def test_the_cache_folder_defaults_to_the_xdg_cache_home() -> None:
    home = Path.home() / ".cache" / "mockcp"
    assert planned.cache_root(Settings(), {}) == home
    assert planned.cache_root(Settings(), {"XDG_CACHE_HOME": "/c"}) == Path("/c/mockcp")
    assert planned.cache_root(Settings(), {"XDG_CACHE_HOME": "relative"}) == home
    assert planned.cache_root(Settings(cache_dir="/d"), {"XDG_CACHE_HOME": "/c"}) == Path("/d")
    variable = {"MOCKCP_CACHE_DIR": "/e", "XDG_CACHE_HOME": "/c"}
    assert planned.cache_root(Settings(), variable) == Path("/e")  # Settings() built by hand


def serve(folder: Path, cache: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKCP_")}
    env["MOCKCP_CACHE_DIR"] = str(cache)
    folder.mkdir()
    port = free_port()
    command = [sys.executable, "-m", "mockcp", "serve", "--port", str(port), "--fixture",
               "minimal", "--clock", "frozen", "--start", "2024-03-12T17:00:00Z",
               "--db", f"sqlite:///{folder / 'w.sqlite3'}"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    process.base = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    return process


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=30)


@pytest.mark.server
def test_two_servers_starting_at_once_on_an_empty_cache_serve_the_same_world(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    cache = tmp_path / "cache"
    processes += [serve(tmp_path / "one", cache), serve(tmp_path / "two", cache)]
    for process in processes:
        wait_ready(process.base, process)  # type: ignore[attr-defined]
    for process in processes:
        process.terminate()
        process.communicate(timeout=30)
    assert store(tmp_path / "one" / "w.sqlite3") == store(tmp_path / "two" / "w.sqlite3")
    assert sound(only_image(cache))  # both kept the same key's image; one is there, whole
    assert not list((cache / "planned").glob(".*"))  # no temporary file left


def test_a_store_that_held_another_world_keeps_its_sandboxes_and_takes_no_image(
    tmp_path: Path, builds: list[str]
) -> None:
    """A ``--db`` file rebuilt for another world keeps its sandbox registry: it builds (an
    image would replace the whole file, the registry with it) and keeps no image of itself
    (the registry's rows would go into every store later copied from it)."""
    cache = tmp_path / "cache"
    other = tmp_path / "other.yaml"
    other.write_bytes((FIXTURES / "minimal.yaml").read_bytes() + b"\n# another world\n")
    start(settings_in(tmp_path / "elsewhere", cache, fixture=str(other)))  # its image is kept
    assert builds == [str(other)]
    with MockChargePoint(settings_in(tmp_path / "store", cache)) as mock:
        status, made = admin(mock.wsgi, "POST", "/sandboxes", {"start": "2024-03-12T17:00:00Z"})
        assert status == 201, made
    images = sorted(p.name for p in (cache / "planned").iterdir())
    with MockChargePoint(settings_in(tmp_path / "store", cache, fixture=str(other))) as mock:
        assert builds[-1] == str(other)  # built again, not copied
        status, listed = admin(mock.wsgi, "GET", "/sandboxes")
        assert status == 200 and [s["id"] for s in listed] == [made["id"]], listed
        status, tenants = admin(mock.wsgi, "GET", f"/sandboxes/{made['id']}/tenants")
        assert status == 200 and tenants
    assert sorted(p.name for p in (cache / "planned").iterdir()) == images  # none kept
