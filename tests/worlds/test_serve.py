"""``mockcp serve`` as a user runs it: fresh by default, kept with --db (restart and kill -9
lose nothing acknowledged), and the control plane locked when bound beyond loopback."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import START
from tests.serving import free_port, wait_ready
from tests.worlds.stores import store_url

START_TEXT = "2024-03-12T17:00:00Z"


def call(url: str, body: object = None, token: str | None = None) -> tuple[int, object]:
    """GET (no body) or POST JSON; the status and the JSON answer, errors included."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        assert error.headers["Content-Type"] == "application/json"
        return error.code, json.load(error)


@contextmanager
def serving(
    *flags: str, host: str = "127.0.0.1"
) -> Iterator[tuple[str, list[str], subprocess.Popen[str]]]:
    """``mockcp serve`` on a free port; yields the base URL, the lines it printed, the process."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKCP_")}
    command = [sys.executable, "-m", "mockcp", "serve", "--host", host, "--port", str(port),
               "--fixture", "minimal", "--clock", "frozen", "--start", START_TEXT,
               *flags]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    lines: list[str] = []
    try:
        wait_ready(base, process)
        assert process.stdout is not None
        while not lines or not lines[-1].startswith("mockcp: world"):
            lines.append(process.stdout.readline().rstrip("\n"))
        lines.append(process.stdout.readline().rstrip("\n"))  # the token line, if any
        yield base, lines, process
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=30)


def now(base: str, token: str | None = None) -> str:
    status, answer = call(f"{base}/_mock/clock", token=token)
    assert status == 200 and isinstance(answer, dict)
    return str(answer["now"])


@pytest.mark.server
def test_serve_without_db_starts_fresh_and_removes_its_store_at_exit() -> None:
    with serving() as (base, lines, _):
        world = next(line for line in lines if line.startswith("mockcp: world"))
        found = re.search(r"sqlite:///(\S+)/world\.sqlite3 \(fresh, removed at exit", world)
        assert found, world
        directory = Path(found.group(1))
        assert (directory / "world.sqlite3").is_file()
        assert call(f"{base}/_mock/clock", {"advance": "P1D"})[0] == 200
    assert not directory.exists()
    with serving() as (base, _, _):
        assert now(base) == START_TEXT


@pytest.mark.server
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_serve_with_db_keeps_every_acknowledged_write_through_kill_9(
    kind: str, tmp_path: Path
) -> None:
    url = store_url(kind, tmp_path)
    acknowledged: list[int] = []
    with serving("--db", url) as (base, lines, process):
        assert any(line.endswith("(kept)") for line in lines), lines
        stop = threading.Event()

        def write_load() -> None:  # one-minute moves, each counted once answered 200
            while not stop.is_set():
                try:
                    if call(f"{base}/_mock/clock", {"advance": "PT1M"})[0] == 200:
                        acknowledged.append(1)
                except (OSError, http.client.HTTPException):  # the kill cut an answer short
                    return

        writer = threading.Thread(target=write_load)
        writer.start()
        while len(acknowledged) < 40 and writer.is_alive():
            time.sleep(0.02)
        assert len(acknowledged) >= 40
        os.kill(process.pid, signal.SIGKILL)
        stop.set()
        writer.join(timeout=30)
    done = len(acknowledged)
    with serving("--db", url) as (base, _, _):
        moved = now(base)
    low = (START + timedelta(minutes=done)).strftime("%Y-%m-%dT%H:%M:%SZ")
    high = (START + timedelta(minutes=done + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert low <= moved <= high  # every acknowledged move kept; at most the one in flight more


@pytest.mark.server
def test_control_plane_beyond_loopback_needs_the_printed_token() -> None:
    with serving(host="0.0.0.0") as (base, lines, _):
        line = next(line for line in lines if line.startswith("mockcp: control plane token"))
        token = line.split()[4]
        assert call(f"{base}/_mock/clock") == (
            401,
            {"error": "the control plane needs 'Authorization: Bearer <admin token>'"},
        )
        assert call(f"{base}/_mock/clock", {"advance": "P1D"}, token="wrong")[0] == 401
        assert call(f"{base}/_mock/health") == (200, {"status": "ready"})
        assert call(f"{base}/_mock/clock", {"advance": "P1D"}, token=token)[0] == 200
        assert now(base, token) == "2024-03-13T17:00:00Z"


@pytest.mark.server
def test_an_empty_admin_token_turns_the_protection_off_explicitly() -> None:
    with serving("--admin-token", "", host="0.0.0.0") as (base, lines, _):
        assert not any("token" in line for line in lines)
        assert now(base) == START_TEXT
