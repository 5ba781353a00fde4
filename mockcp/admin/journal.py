"""/_mock/journal: the request journal as evidence (``domain.journal``), as JSON.

GET lists entries, filtered by ``operation``, ``orgID``, ``responseCode``, ``fault`` (a fault
code, a forced fault kind, or ``*``), ``since``/``until`` (simulated time, ISO-8601),
``minId``/``maxId``, and any number of ``param=path:value`` (``shedQuery.shedStation.
stationID:1:31051``); ``limit`` keeps the newest N; ``xml=1`` adds the raw XML when the
server keeps it. DELETE clears it. POST /_mock/journal/verify takes the same matcher as a
JSON object (``params`` an object of path -> value) and answers ``{"count", "entries"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from mockcp.domain import journal
from mockcp.domain.journal import JournalEntry

FILTERS = ("operation", "orgID", "responseCode", "fault", "since", "until", "minId", "maxId")


def entry_json(entry: JournalEntry, with_xml: bool = False) -> dict[str, object]:
    """One entry with the control plane's camelCase keys."""
    answer: dict[str, object] = {
        "id": entry.id,
        "wallTime": _iso(entry.wall_at, 6),
        "simTime": _iso(entry.at, 0),
        "version": entry.version,
        "operation": entry.operation,
        "orgID": entry.org_id,
        "httpStatus": entry.http_status,
        "responseCode": entry.response_code,
        "fault": entry.fault,
        "durationMs": entry.duration_ms,
        "params": entry.params,
        "details": entry.details or {},
    }
    if with_xml:
        answer.update(requestXml=entry.request_xml, responseXml=entry.response_xml)
    return answer


def _iso(value: datetime | None, digits: int) -> str | None:
    if value is None:
        return None
    spec = "microseconds" if digits else "seconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def matcher(values: Mapping[str, object], params: list[tuple[str, str]]) -> journal.Matcher:
    """A Matcher from filter values (query string or JSON), or ValueError saying what is wrong."""
    unknown = set(values) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown filters: {', '.join(sorted(unknown))}")
    text = {k: None if v is None else str(v) for k, v in values.items()}
    return journal.Matcher(
        operation=text.get("operation"),
        org_id=text.get("orgID"),
        response_code=text.get("responseCode"),
        fault=text.get("fault"),
        since=_instant(text.get("since"), "since"),
        until=_instant(text.get("until"), "until"),
        min_id=_number(text.get("minId"), "minId"),
        max_id=_number(text.get("maxId"), "maxId"),
        params=tuple(params),
    )


def _instant(value: str | None, key: str) -> datetime | None:
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{key} must be an ISO-8601 date-time") from None
    if instant.tzinfo is None:
        raise ValueError(f"{key} needs a UTC offset or Z")
    return instant


def _number(value: str | None, key: str) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ValueError(f"{key} must be a whole number")
    return int(value)


def query_params(raw: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in raw:
        path, sep, value = item.partition(":")
        if not sep or not path:
            raise ValueError("param must be path:value, e.g. shedQuery.shedStation.stationID:1:1")
        pairs.append((path, value))
    return pairs


class JournalRoutes:
    """The journal routes of AdminApp (it provides ``_journal``, the journal's database, and
    ``json``)."""

    _journal: journal.Store

    def json(self, body: Any, status: int = 200) -> Response:
        raise NotImplementedError

    def on_journal(self, request: Request) -> Response:
        if request.method == "DELETE":
            with self._journal.writing() as db:
                removed = journal.clear(db)
            return self.json({"cleared": removed})
        args = {k: v for k, v in request.args.items() if k not in {"param", "limit", "xml"}}
        try:
            found = matcher(args, query_params(request.args.getlist("param")))
            limit = _number(request.args.get("limit"), "limit")
        except ValueError as exc:
            return self.json({"error": str(exc)}, 400)
        with_xml = request.args.get("xml", "").lower() in {"1", "true", "yes"}
        with self._journal.reading() as db:
            entries = journal.find(db, found, limit)
            return self.json([entry_json(e, with_xml) for e in entries])

    def on_journal_verify(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.json({"error": "send a JSON object (a matcher)"}, 400)
        params = body.pop("params", {})
        if not isinstance(params, dict):
            return self.json({"error": "params must be an object of path -> value"}, 400)
        try:
            found = matcher(body, [(str(k), str(v)) for k, v in params.items()])
        except ValueError as exc:
            return self.json({"error": str(exc)}, 400)
        with self._journal.reading() as db:
            entries = journal.find(db, found)
        return self.json({"count": len(entries), "entries": [entry_json(e) for e in entries]})
