"""/_mock/openapi.json: an OpenAPI 3.1 description of the control plane, one entry per route.

Add a route: add its ``Rule`` to ``admin.app.ROUTES`` (or ``admin.worlds.ROUTES`` for the
snapshot and sandbox routes) and one ``Doc`` per method here (the test
``tests/admin/test_openapi.py`` fails until both agree, and calls every documented route with
its ``example`` body, in this order, to check that it answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Doc:
    """One method of one route (``path`` as under /_mock, werkzeug syntax for variables)."""

    path: str  # variables as OpenAPI writes them: /stations/{station_id}/events
    method: str
    summary: str
    query: tuple[tuple[str, str], ...] = ()  # (name, description)
    example: Any = None  # a JSON request body that the route accepts
    answers: tuple[int, ...] = (200,)


MATCHER = (
    ("operation", "an operation name"),
    ("orgID", "the caller's orgID"),
    ("responseCode", "the responseCode answered"),
    ("fault", "a fault code (soapenv:Server, wsse:FailedAuthentication) or forced kind, or *"),
    ("since", "simulated time from, ISO-8601 with Z"),
    ("until", "simulated time to, ISO-8601 with Z"),
    ("minId", "the first entry id"),
    ("maxId", "the last entry id"),
)

DOCS: list[Doc] = [
    Doc("/health", "GET", "ready (200) or starting (503)", answers=(200, 503)),
    Doc("/tenants", "GET", "every organisation with its licence key and password"),
    Doc(
        "/reset",
        "POST",
        "back to the start: data, clock, journal and armed faults (a saved image); "
        'or {"start", "seed", "fixture"}: a new start',
        answers=(200, 400),
    ),
    Doc("/snapshots", "GET", "the saved snapshots (the start among them)"),
    Doc(
        "/snapshots",
        "POST",
        "save the whole state, clock included, under a name",
        example={"name": "openapi-doc"},
        answers=(201, 400, 409),
    ),
    Doc(
        "/snapshots/{name}/restore",
        "POST",
        "rewind the whole state, clock included, to a snapshot",
        answers=(200, 404),
    ),
    Doc("/snapshots/{name}", "DELETE", "forget a snapshot", answers=(200, 404)),
    Doc(
        "/sandboxes",
        "POST",
        "an isolated world (own credentials, clock, journal, faults, snapshots): "
        '{"fixture", "seed", "start"}',
        example={"fixture": "minimal"},
        answers=(201, 400),
    ),
    Doc("/sandboxes", "GET", "the sandboxes of this server"),
    Doc("/sandboxes/{sandbox_id}", "GET", "one sandbox: its tenants and start", answers=(200, 404)),
    Doc(
        "/sandboxes/{sandbox_id}/{rest}",
        "GET",
        "a sandbox's own control plane (any /_mock route below it; also POST and DELETE)",
        answers=(200, 404),
    ),
    Doc(
        "/sandboxes/{sandbox_id}/{rest}",
        "POST",
        "as GET, for the sandbox's POST routes (201 where the route creates)",
        answers=(201, 200, 400, 404),
    ),
    Doc("/sandboxes/{sandbox_id}/{rest}", "DELETE", "as GET, for the sandbox's DELETE routes"),
    Doc("/sandboxes/{sandbox_id}", "DELETE", "remove a sandbox and its world", answers=(200, 404)),
    Doc(
        "/journal",
        "GET",
        "journal entries, oldest first, filtered",
        query=(
            *MATCHER,
            ("param", "path:value over the request's parameters, repeatable"),
            ("limit", "keep the newest N"),
            ("xml", "1: add requestXml/responseXml (kept when the server has journal_xml)"),
        ),
        answers=(200, 400),
    ),
    Doc("/journal", "DELETE", "clear the journal"),
    Doc(
        "/journal/verify",
        "POST",
        "count and list the entries a matcher selects",
        example={"operation": "shedLoad", "params": {"shedStation.stationID": "1:10002"}},
        answers=(200, 400),
    ),
    Doc("/clock", "GET", "the simulated now and the clock's mode"),
    Doc(
        "/clock",
        "POST",
        'move the clock: {"advance": "PT15M"}, {"set": "...Z"} or {"mode": "frozen"|"xN"}; '
        "a move plans the world it moves into first (503: stopped at the time limit, unmoved)",
        example={"advance": "PT0S"},
        answers=(200, 400, 503),
    ),
    Doc("/faults", "GET", "every armed fault: count left, active, fired"),
    Doc(
        "/faults",
        "POST",
        "arm a fault (domain.forced): code or fault, operation, orgID, count/seconds/"
        "simulated/probability, latencyMs, hangMs",
        example={"operation": "shedLoad", "code": "126", "count": 1},
        answers=(201, 400),
    ),
    Doc("/faults", "DELETE", "drop every armed fault"),
    Doc("/faults/kinds", "GET", "the fault kinds and what each does"),
    Doc("/openapi.json", "GET", "this description"),
    Doc(
        "/stations/{station_id}/events",
        "POST",
        "a station event at the simulated now: offline, online, portFault (port, fault), "
        "faultCleared (port), reboot, plugIn (port, energyKWh, hours, driver), unplug (port)",
        example={"type": "reboot"},
        answers=(201, 400, 404, 409),
    ),
]


def document(docs: list[Doc] = DOCS) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``docs``."""
    paths: dict[str, dict[str, Any]] = {}
    for doc in docs:
        operation: dict[str, Any] = {
            "summary": doc.summary,
            "responses": {
                str(code): {"description": "JSON", "content": {"application/json": {}}}
                for code in doc.answers
            },
        }
        if doc.query:
            operation["parameters"] = [
                {"name": name, "in": "query", "required": False, "description": text,
                 "schema": {"type": "string"}}
                for name, text in doc.query
            ]
        if doc.example is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"example": doc.example}},
            }
        paths.setdefault("/_mock" + doc.path, {})[doc.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mockcp control plane",
            "version": "1",
            "description": "Steer the ChargePoint mock: journal, faults, clock, reset.",
        },
        "paths": paths,
    }
