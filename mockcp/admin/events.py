"""POST /_mock/stations/{stationID}/events: a station event at the clock's now
(``domain.station_events``), journaled like a call. 201 with what it did; 404 for an unknown
station; 400 for a malformed event; 409 for one that cannot happen now."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Request, Response

from mockcp.clock import MovableClock, wall_instant
from mockcp.domain import journal
from mockcp.domain.context import World
from mockcp.domain.principal import OPERATOR
from mockcp.domain.station_events import EventRefused, apply_event


class EventRoutes:
    """The station-event route of AdminApp (it provides these attributes and ``json``)."""

    _sessions: sessionmaker[Session]
    _clock: MovableClock
    _seed: int
    _journal_limit: int
    _journal: journal.Store

    def json(self, body: Any, status: int = 200) -> Response:
        raise NotImplementedError

    def on_station_events(self, request: Request, station_id: str) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.json({"error": 'send a JSON object such as {"type": "offline"}'}, 400)
        started, now = wall_instant(), self._clock.now()
        with self._sessions() as db:
            try:
                done = apply_event(World(db, OPERATOR, self._seed, now), station_id, body)
            except LookupError as exc:
                return self.json({"error": str(exc)}, 404)
            except EventRefused as exc:
                return self.json({"error": str(exc)}, 409)
            except ValueError as exc:
                return self.json({"error": str(exc)}, 400)
            call = journal.Call(
                at=now, wall_at=started, version=None, operation="stationEvent",
                org_id=done.org_id, http_status=201, response_code=None, fault=None,
                duration_ms=(wall_instant() - started).total_seconds() * 1000,
                params={"stationID": station_id, **body},
            )
            db.commit()
        with self._journal.writing() as entries:  # after the event's commit (its own database)
            journal.record(entries, call, self._journal_limit)
        answer = {
            "stationID": done.station_id, "type": done.event,
            "at": now.isoformat().replace("+00:00", "Z"), "alarms": list(done.alarms),
            "sessions": done.sessions,
        }
        return self.json(answer, 201)
