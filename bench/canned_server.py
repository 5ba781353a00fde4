"""The ceiling anchor: a WSGI app on mockcp's own serving stack that replays recorded answers
(``mockcp.server`` when the package has it, else werkzeug's threaded server as ``mockcp serve``).

    python bench/canned_server.py PORT RECORDINGS.json [ROWS.sqlite3]

RECORDINGS maps an operation name to the response bytes mockcp gave (latin-1 text); a POST
is answered by the first operation whose name appears in its body, exactly as recorded. It
reads the whole body, as mockcp must, and does nothing else: whatever mockcp spends above
this is mockcp's own work. With ROWS, it also commits one row per call to that SQLite file
before it answers (``row_writer``): the least a journal that keeps every call costs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any


def row_writer(path: str) -> Callable[[str, bytes], None]:
    """One committed SQLite row per call in ``path`` before the answer (WAL, synchronous
    NORMAL, one connection per process, its threads in turn): what the journal's contract
    costs at the least, for a ceiling that keeps it (``canned-row``)."""
    import sqlite3
    import threading
    import time

    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS call (id INTEGER PRIMARY KEY, at REAL, name TEXT, body BLOB)"
    )
    lock = threading.Lock()

    def write(name: str, body: bytes) -> None:
        with lock:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO call (at, name, body) VALUES (?, ?, ?)", (time.time(), name, body)
            )
            db.execute("COMMIT")

    return write


def canned_app(
    recordings: dict[str, bytes], row: Callable[[str, bytes], None] | None = None
) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size)
        for name, answer in recordings.items():
            if name.encode() in body:
                if row is not None:
                    row(name, body)
                start_response(
                    "200 OK",
                    [
                        ("Content-Type", "text/xml; charset=utf-8"),
                        ("Content-Length", str(len(answer))),
                    ],
                )
                return [answer]
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]

    return app


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, encoding="utf-8") as handle:
        recordings = {k: v.encode("latin-1") for k, v in json.load(handle).items()}
    app = canned_app(recordings, row_writer(sys.argv[3]) if len(sys.argv) > 3 else None)
    try:  # the production server, where mockcp has one (mockcp/server.py: waitress)
        from mockcp.server import serve_forever
    except ImportError:  # else what ``mockcp serve`` runs: werkzeug's threaded server
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", port, app, threaded=True)
    else:
        serve_forever(app, "127.0.0.1", port)


if __name__ == "__main__":
    main()
