"""Control-plane calls for the world tests (JSON in, status and JSON out)."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.test import Client

from mockcp.app import MockChargePointApp

SHED_30 = {"shedStation": {"stationID": "1:10002", "percentShedPerStation": 30},
           "timeInterval": 0}


def admin(app: MockChargePointApp, method: str, path: str, body: object = None) -> tuple[int, Any]:
    """``method`` on ``/_mock<path>`` of ``app``; the answer must be JSON."""
    reply = Client(app).open(f"/_mock{path}", method=method, json=body)
    assert reply.headers["Content-Type"] == "application/json", reply.get_data()
    return reply.status_code, json.loads(reply.get_data())


def now(app: MockChargePointApp) -> str:
    status, body = admin(app, "GET", "/clock")
    assert status == 200
    return str(body["now"])
