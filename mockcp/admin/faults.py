"""/_mock/faults: arm faults of every kind (``domain.forced``), list them, drop them.

POST one fault: ``{"operation": "shedLoad", "code": "126", "count": 2}``,
``{"fault": "drop", "orgID": "1:ORG00001"}``, ``{"fault": "latency", "latencyMs": [100, 300],
"seconds": 30}``, ``{"fault": "http503", "probability": 0.5, "simulated": "PT1H"}``... answers
201 with every armed fault, or 400 with the reason. GET: every fault armed since the last
clear, with what is left (``count``), whether it is still ``active`` and how often it
``fired``. DELETE: drop them all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Request, Response

from mockcp.clock import MovableClock, wall_instant
from mockcp.domain import forced


class FaultRoutes:
    """The fault routes of AdminApp (it provides these attributes and ``json``)."""

    _sessions: sessionmaker[Session]
    _clock: MovableClock
    _operations: frozenset[str]

    def json(self, body: Any, status: int = 200) -> Response:
        raise NotImplementedError

    def on_faults(self, request: Request) -> Response:
        status = 200
        with self._sessions() as db:
            if request.method == "DELETE":
                forced.clear(db)
            elif request.method == "POST":
                body = request.get_json(silent=True)
                if not isinstance(body, dict):
                    return self.json({"error": "send a JSON object"}, 400)
                try:
                    forced.arm(db, self._operations, body, wall_instant(), self._clock.now())
                except ValueError as exc:
                    return self.json({"error": str(exc)}, 400)  # closing rolls back
                status = 201
            db.commit()
            wall, sim = wall_instant(), self._clock.now()
            listed = [forced.describe(row, wall, sim) for row in forced.armed(db)]
        return self.json(listed, status)

    def on_fault_kinds(self, request: Request) -> Response:
        return self.json(forced.KINDS)
