"""Helpers of bench_anchors.py: servers as child processes, a keep-alive load generator,
CPU time read from /proc, the pure-lxml floor, and the anchors that live outside Python.

Nothing here is imported by mockcp or its tests except through bench_anchors.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import tarfile
import threading
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import etree

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"  # gitignored: the WireMock jar and moto's throwaway venv
ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:urn="urn:dictionary:com.chargepoint.webservices"><soapenv:Header>'
    '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-'
    'secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>{key}</wsse:Username>'
    "<wsse:Password>{password}</wsse:Password></wsse:UsernameToken></wsse:Security>"
    "</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (and its reaped children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12))  # utime, stime (fields 14, 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and of its living children (a gunicorn master's workers,
    whose CPU /proc/<pid>/stat counts only once they are reaped)."""
    total = cpu_seconds(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            try:
                total += cpu_seconds(int(child))
            except OSError:
                continue
    return total


def wait_http(url: str, body: bytes | None, timeout: float) -> float:
    """Seconds until ``url`` answers (any HTTP status), polling every 10 ms."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            request = urllib.request.Request(url, data=body, method="POST" if body else "GET")
            with urllib.request.urlopen(request, timeout=5) as reply:
                reply.read()
            return time.perf_counter() - start
        except urllib.error.HTTPError:
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.01)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A served child's environment: ours with ``extra`` over it, and bytecode caches on (no
    ``PYTHONDONTWRITEBYTECODE``), as an installed package has them: a start that compiles
    every module from source is not a start a user sees (about 0.1 s for mockcp's)."""
    merged = {**os.environ, **(extra or {})}
    merged.pop("PYTHONDONTWRITEBYTECODE", None)
    return merged


class Server:
    """A child process serving HTTP on ``port``; ``ready`` is the spawn-to-first-answer time."""

    def __init__(
        self,
        argv: Sequence[str],
        port: int,
        probe: str,
        body: bytes | None,
        timeout: float = 180.0,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        start = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=child_environment(env),
        )
        try:
            wait_http(self.url + probe, body, timeout)
        except TimeoutError:
            self.stop()
            raise
        self.ready = time.perf_counter() - start

    def cpu(self) -> float:
        """CPU of the server and of its living children (gunicorn's workers), from /proc."""
        return tree_cpu(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _client(
    host: str, port: int, path: str, body: bytes, stop_at: float, counts: list[int], slot: int
) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    done = 0
    while time.perf_counter() < stop_at:
        conn.request("POST", path, body, headers)
        reply = conn.getresponse()
        reply.read()
        if reply.status != 200:
            raise RuntimeError(f"HTTP {reply.status} from {host}:{port}{path}")
        done += 1
    conn.close()
    counts[slot] = done


def _load_process(
    port: int, path: str, body: bytes, clients: int, seconds: float,
    out: multiprocessing.Queue[object],
) -> None:
    counts = [0] * clients
    stop_at = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=_client, args=("127.0.0.1", port, path, body, stop_at, counts, i))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(sum(counts))


def load(
    server: Server, path: str, body: bytes, clients: int, seconds: float
) -> tuple[float, float]:
    """(requests per second, server CPU ms per request) with ``clients`` keep-alive clients.

    The clients run in a process of their own so they do not share the bench's GIL.
    """
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    cpu_before = server.cpu()
    proc = ctx.Process(target=_load_process, args=(server.port, path, body, clients, seconds, out))
    start = time.perf_counter()
    proc.start()
    total = out.get(timeout=seconds + 120)
    proc.join()
    elapsed = time.perf_counter() - start
    cpu = server.cpu() - cpu_before
    return total / elapsed, 1000 * cpu / max(total, 1)


# ------------------------------------------------------------------ the pure-lxml floor


Row = tuple[str, str | None, tuple["Row", ...]]


def rows_of(answer: bytes, row_tag: str) -> tuple[list[Row], etree._Element]:
    """The rows of a recorded answer as plain nested tuples (tag, text, children)."""

    def plain(element: etree._Element) -> Row:
        return (str(element.tag), element.text, tuple(plain(child) for child in element))

    root = etree.fromstring(answer)
    body = root[-1][0]
    return [plain(row) for row in body.iter(row_tag)], body


def render_floor(
    tag: str, nsmap: dict[str | None, str], head: Sequence[Row], rows: Sequence[Row]
) -> bytes:
    """The same page rendered by lxml alone from tuples: what the format itself costs."""
    sub = etree.SubElement

    def put(parent: etree._Element, row: Row) -> None:
        element = sub(parent, row[0])
        if row[1] is not None:
            element.text = row[1]
        for child in row[2]:
            put(element, child)

    wrapper = etree.Element(tag, nsmap=nsmap)  # type: ignore[arg-type]  # lxml-stubs: no None key
    for row in head:
        put(wrapper, row)
    for row in rows:
        put(wrapper, row)
    return bytes(etree.tostring(wrapper))


# ------------------------------------------------------------------ anchors outside Python


def wiremock_jar() -> Path | str:
    """The standalone jar of the npm package ``wiremock`` (fetched once into bench/.cache),
    or the reason it cannot be had."""
    jar = next(CACHE.glob("wiremock/package/build/wiremock-standalone-*.jar"), None)
    if jar is not None:
        return jar
    if shutil.which("java") is None:
        return "no java on PATH"
    if shutil.which("npm") is None:
        return "no npm on PATH (the jar comes from the npm package wiremock)"
    target = CACHE / "wiremock"
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["npm", "pack", "wiremock", "--silent"],
        cwd=target,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    tgz = next(target.glob("wiremock-*.tgz"), None)
    if done.returncode != 0 or tgz is None:
        return f"npm pack wiremock failed: {done.stderr.strip()[-200:]}"
    with tarfile.open(tgz) as archive:
        archive.extractall(target, filter="data")
    jar = next(target.glob("package/build/wiremock-standalone-*.jar"), None)
    return jar if jar is not None else "the npm package wiremock holds no standalone jar"


def wiremock_root(recordings: dict[str, bytes], path: str) -> Path:
    """A WireMock root whose stubs answer each operation's recorded bytes."""
    root = CACHE / "wiremock-root"
    shutil.rmtree(root, ignore_errors=True)
    (root / "mappings").mkdir(parents=True)
    (root / "__files").mkdir()
    for name, answer in recordings.items():
        (root / "__files" / f"{name}.xml").write_bytes(answer)
        stub = {
            "request": {"method": "POST", "url": path, "bodyPatterns": [{"contains": f"{name}"}]},
            "response": {
                "status": 200,
                "bodyFileName": f"{name}.xml",
                "headers": {"Content-Type": "text/xml; charset=utf-8"},
            },
        }
        (root / "mappings" / f"{name}.json").write_text(json.dumps(stub))
    return root


def moto_server() -> Path | str:
    """moto_server from a throwaway venv in bench/.cache (never a project dependency)."""
    venv = CACHE / "moto"
    exe = venv / "bin" / "moto_server"
    if exe.exists():
        return exe
    made = subprocess.run(
        ["python3", "-m", "venv", str(venv)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        return f"python3 -m venv failed: {made.stderr.strip()[-200:]}"
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "moto[server]"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if pip.returncode != 0 or not exe.exists():
        return f"pip install moto[server] failed: {pip.stderr.strip()[-200:]}"
    return exe


def banner_credentials(server: Server) -> tuple[str, str]:
    """The first tenant's licence key and password, read from the banner ``mockcp serve``
    prints on its stdout (a server started with ``stdout`` piped)."""
    assert server.proc.stdout is not None
    key = password = ""
    for line in server.proc.stdout:
        if "licence key" in line:
            key = line.split()[-1]
        elif "password" in line:
            password = line.split()[-1]
            break
    return key, password
