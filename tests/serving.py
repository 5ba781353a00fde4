"""Helpers for tests that start mockcp as a real process."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    """Poll ``/_mock/health`` until it says ready; fail with the process output if it died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the server exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{base}/_mock/health", timeout=2) as reply:
                if json.load(reply) == {"status": "ready"}:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{base} did not become ready in {seconds} s")


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return json.load(reply)
