"""/_mock/openapi.json describes exactly the control plane's routes, and each answers."""

from __future__ import annotations

import json
import re

from werkzeug.test import Client

from mockcp.admin import worlds
from mockcp.admin.app import ROUTES
from mockcp.admin.openapi import DOCS
from mockcp.testing import MockChargePoint


def served_routes() -> set[tuple[str, str]]:
    return {
        ("/_mock" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for routes in (ROUTES, worlds.ROUTES)
        for rule in routes.iter_rules()
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }


def test_every_route_is_documented_and_every_documented_route_exists(
    mock: MockChargePoint,
) -> None:
    reply = Client(mock.wsgi).get("/_mock/openapi.json")
    document = json.loads(reply.get_data())
    assert (reply.status_code, document["openapi"]) == (200, "3.1.0")
    documented = {
        (path, method.upper()) for path, item in document["paths"].items() for method in item
    }
    assert documented == served_routes()


def test_every_documented_route_answers_as_documented(mock: MockChargePoint) -> None:
    client = Client(mock.wsgi)
    sandbox = "none-yet"
    for doc in DOCS:
        path = doc.path.replace("{station_id}", "1:10001").replace("{name}", "openapi-doc")
        path = path.replace("{sandbox_id}", sandbox)
        # a sandbox's own routes: its journal answers to GET/DELETE; POST asks for a snapshot
        rest = {"GET": "journal", "DELETE": "journal", "POST": "snapshots"}
        path = path.replace("{rest}", rest.get(doc.method, "journal"))
        body = {"name": "inside"} if path.endswith("/snapshots") and sandbox in path else None
        reply = client.open("/_mock" + path, method=doc.method, json=doc.example or body)
        if (doc.path, doc.method) == ("/sandboxes", "POST"):
            sandbox = json.loads(reply.get_data())["id"]
        assert reply.status_code in doc.answers, (doc.method, doc.path, reply.get_data())
        assert reply.status_code == doc.answers[0], (doc.method, doc.path, reply.get_data())
        assert reply.headers["Content-Type"] == "application/json"
