"""Settings: one frozen dataclass, built explicitly or from ``MOCKCP_*`` variables."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

DEFAULT_DB = "sqlite:///mockcp.sqlite3"

# The command-line flag names, as environment variables (``--seed`` is ``MOCKCP_SEED``).
FLAG_NAMES: dict[str, str] = {
    "db": "database_url",
    "seed": "root_seed",
    "clock": "clock_mode",
    "start": "clock_start",
}
# MOCKCP_* variables read elsewhere than Settings (the CLI, run.py, the test suite's knobs).
OTHER_VARIABLES = frozenset(
    {
        "PROGRESS",
        "VENV",
        "ADMIN_TOKEN",
        "TEST_POSTGRES_URL",
        "SHARED",
        "HYPOTHESIS",
        "LOAD_SECONDS",
        "FUZZ_EXAMPLES",
        "TEST_WORKERS",
        "URL",
    }
)


class ConfigError(ValueError):
    """A setting that cannot be used as given (a user mistake, reported in one line)."""


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
    trusted_hosts: str = ""  # comma-separated Host names the served WSDL may echo
    max_body_bytes: int = 2 * 1024 * 1024
    max_depth: int = 64
    request_time_limit: float = 60.0  # seconds one SOAP call may spend (0: no limit)
    log_level: str = "WARNING"
    journal_limit: int = 10_000  # entries the request journal keeps (the oldest go first)
    # Each call's request and response XML in the journal (the dashboard shows it a click
    # away): on by default, bounded to the first ``journal_xml_bytes`` of each message (cut
    # with a marker) and to the newest ``journal_xml_calls`` calls; MOCKCP_JOURNAL_XML=false
    # or ``mockcp serve --no-journal-xml`` turns it off.
    journal_xml: bool = True
    journal_xml_bytes: int = 32_768
    journal_xml_calls: int = 1_000
    # Repeated identical reads that never asked for the time answered from memory while the
    # world's file is unchanged (mockcp/answers.py); MOCKCP_ANSWER_CACHE=off computes every call.
    answer_cache: bool = True
    # What reads learn of the world (station indexes, realms, watermarks, each call's state)
    # kept while the world's file is unchanged (mockcp/domain/kept.py);
    # MOCKCP_KEPT_READS=off reads everything on every call.
    kept_reads: bool = True
    # A fresh SQLite file store copies a kept planned image of its world (fixture, seed,
    # start, pace, schema, planner code) instead of planning its history again
    # (mockcp/planned_images.py); MOCKCP_PLANNED_CACHE=off always builds. Images live in
    # ``cache_dir`` (MOCKCP_CACHE_DIR; default $XDG_CACHE_HOME/mockcp or ~/.cache/mockcp).
    planned_cache: bool = True
    cache_dir: str = ""

    @classmethod
    def from_env(
        cls, prefix: str = "MOCKCP_", environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Defaults, then ``MOCKCP_<FLAG>`` or ``MOCKCP_<FIELD>`` variables, then overrides.

        The flag names (``MOCKCP_DB``, ``MOCKCP_SEED``, ``MOCKCP_CLOCK``, ``MOCKCP_START``,
        ``MOCKCP_FIXTURE``, ``MOCKCP_PORT``, ``MOCKCP_HOST``) and the field names
        (``MOCKCP_DATABASE_URL``, ``MOCKCP_ROOT_SEED``...) both work. A value that cannot be
        used raises ``ConfigError`` naming the variable.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        names = {field.name for field in dataclasses.fields(cls)}
        for key, raw in env.items():
            if not key.startswith(prefix):
                continue
            name = key[len(prefix) :].lower()
            name = FLAG_NAMES.get(name, name)
            if name in names:
                values[name] = decode(name, raw, key)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def unknown_variables(
    prefix: str = "MOCKCP_", environ: Mapping[str, str] | None = None
) -> list[str]:
    """The ``MOCKCP_*`` variables nothing reads (a typo, or an old name), sorted."""
    env = os.environ if environ is None else environ
    fields = {field.name for field in dataclasses.fields(Settings)}
    known = {n.upper() for n in (*fields, *FLAG_NAMES)} | OTHER_VARIABLES
    return sorted(k for k in env if k.startswith(prefix) and k[len(prefix) :] not in known)


def parse_start(text: str, source: str = "--start") -> datetime:
    """An ISO-8601 instant (``Z`` or an offset; a naive time is taken as UTC)."""
    try:
        found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"{source}: {text!r} is not an ISO-8601 time (e.g. 2024-03-12T17:00:00Z)"
        ) from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def decode(name: str, raw: str, source: str) -> Any:
    """The value of field ``name`` from text (an environment variable's), by the field's type:
    whole numbers, booleans (true/false/1/0/yes/no), an ISO-8601 time, else the text itself."""
    kind = str(FIELD_TYPES[name]).replace(" | None", "")
    if kind == "datetime":
        return parse_start(raw, source)
    if kind == "bool":
        text = raw.strip().lower()
        if text not in BOOLEANS:
            raise ConfigError(f"{source}: {raw!r} is not true or false (or on/off)")
        return BOOLEANS[text]
    if kind == "int":
        try:
            return int(raw.strip())
        except ValueError:
            raise ConfigError(f"{source}: {raw!r} is not a whole number") from None
    if kind == "float":
        try:
            return float(raw.strip())
        except ValueError:
            raise ConfigError(f"{source}: {raw!r} is not a number") from None
    return raw


FIELD_TYPES = {field.name: field.type for field in dataclasses.fields(Settings)}
BOOLEANS = {
    "true": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "no": False,
    "off": False,
}
