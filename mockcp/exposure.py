"""Who may steer the world, and where the world is kept, when ``mockcp serve`` starts.

- The control plane (/_mock/...) is open on a loopback bind; bound to any other address it
  needs ``Authorization: Bearer <token>`` (``--admin-token`` / ``MOCKCP_ADMIN_TOKEN``; made
  up and printed when absent, as Jupyter does; ``''`` turns the check off on purpose).
  ``/_mock/health`` stays open for readiness probes.
- Without ``--db`` the world lives in a temporary directory removed at exit (fresh each
  start); with ``--db URL`` it is kept across restarts.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from typing import Any

TOKEN_VARIABLE = "MOCKCP_ADMIN_TOKEN"
OPEN_PATHS = frozenset({"/_mock/health"})


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` reaches only this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def admin_token(host: str, given: str | None) -> tuple[str | None, bool]:
    """The token the control plane needs (None: open) and whether it was made up here.

    ``given`` is the flag's value, else the environment's; ``''`` means no protection."""
    if given is None:
        given = os.environ.get(TOKEN_VARIABLE)
    if given is not None:
        return (given or None), False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(24), True


def authorised(environ: dict[str, Any], token: str | None) -> bool:
    """Whether a control-plane request may pass (constant-time comparison of the token)."""
    if token is None or environ.get("PATH_INFO", "") in OPEN_PATHS:
        return True
    header = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, sent = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(sent.strip().encode(), token.encode())


def refuse(start_response: Any) -> Iterable[bytes]:
    """The 401 of a control-plane call without the right token (JSON, never a page)."""
    body = json.dumps(
        {"error": "the control plane needs 'Authorization: Bearer <admin token>'"}
    ).encode()
    start_response(
        "401 Unauthorized",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("WWW-Authenticate", 'Bearer realm="mockcp"'),
        ],
    )
    return [body]


class FreshStore:
    """A temporary SQLite file for a world that is not kept: ``url``, then ``close()``."""

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="mockcp-world-")
        self.url = f"sqlite:///{self.directory}/world.sqlite3"

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
