"""Settings: one frozen dataclass, built explicitly or from ``MOCKCP_*`` variables."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

DEFAULT_DB = "sqlite:///mockcp.sqlite3"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a mockcp server needs to know; importing mockcp reads none of it."""

    database_url: str = DEFAULT_DB
    fixture: str = "demo"
    root_seed: int = 20161107
    clock_mode: str = "realtime"
    clock_start: datetime | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    wsdl_public_url: str | None = None
    max_body_bytes: int = 2 * 1024 * 1024
    max_depth: int = 64
    log_level: str = "WARNING"
    journal_limit: int = 10_000  # entries the request journal keeps (the oldest go first)
    journal_xml: bool = False  # keep each call's raw request and response XML in the journal

    @classmethod
    def from_env(
        cls, prefix: str = "MOCKCP_", environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Defaults, then ``MOCKCP_<FIELD>`` variables (JSON-decoded), then overrides.

        ``MOCKCP_DB`` is accepted as a short name for ``MOCKCP_DATABASE_URL``.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        names = {field.name for field in dataclasses.fields(cls)}
        for key, raw in env.items():
            if not key.startswith(prefix):
                continue
            name = key[len(prefix) :].lower()
            name = "database_url" if name == "db" else name
            if name in names:
                values[name] = _decode(name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _decode(name: str, raw: str) -> Any:
    if name == "clock_start":
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if name in {"database_url", "fixture", "clock_mode", "host", "log_level", "wsdl_public_url"}:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw
