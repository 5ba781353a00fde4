"""/_mock/snapshots: save the whole world (clock included) by name, restore it, list, delete.

POST /_mock/snapshots {"name": "before-dr"} -> 201; GET /_mock/snapshots -> the list;
POST /_mock/snapshots/before-dr/restore -> the world and clock as they were;
DELETE /_mock/snapshots/before-dr -> gone. Errors are JSON with a status (400/404/409).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from mockcp.admin.app import json_response
from mockcp.worlds import SnapshotError, World, check_name

ROUTES = Map(
    [
        Rule("/snapshots", endpoint="snapshots", methods=["GET", "POST"]),
        Rule("/snapshots/<name>", endpoint="snapshot", methods=["DELETE"]),
        Rule("/snapshots/<name>/restore", endpoint="restore", methods=["POST"]),
    ]
)


class Gate(Protocol):
    def rebuilding(self) -> AbstractContextManager[None]: ...


class WorldsAdmin:
    """WSGI app for the snapshot routes (mounted by the server under /_mock)."""

    def __init__(self, world: World, gate: Gate) -> None:
        self._world = world
        self._gate = gate

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = ROUTES.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request, **args)
        except HTTPException as exc:
            response = json_response(
                {"error": exc.name, "path": request.script_root + request.path}, exc.code or 404
            )
        except SnapshotError as exc:
            response = json_response({"error": str(exc)}, exc.status)
        return response(environ, start_response)  # type: ignore[no-any-return]

    def on_snapshots(self, request: Request) -> Response:
        if request.method == "GET":
            return json_response([s.as_json() for s in self._world.snapshots()])
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or set(body) != {"name"} or not isinstance(body["name"], str):
            raise SnapshotError('send {"name": "..."}', 400)
        with self._gate.rebuilding():
            snapshot = self._world.snapshot(check_name(body["name"]))
        return json_response(snapshot.as_json(), 201)

    def on_restore(self, request: Request, name: str) -> Response:
        with self._gate.rebuilding():
            snapshot = self._world.restore(check_name(name))
        return json_response({"restored": snapshot.as_json()})

    def on_snapshot(self, request: Request, name: str) -> Response:
        with self._gate.rebuilding():
            self._world.delete(check_name(name))
        return json_response({"deleted": name})
