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

from mockcp.admin.health import json_response
from mockcp.sandboxes import SandboxError, Sandboxes
from mockcp.worlds import SnapshotError, WorldStore, check_name

ROUTES = Map(
    [
        Rule("/snapshots", endpoint="snapshots", methods=["GET", "POST"]),
        Rule("/snapshots/<name>", endpoint="snapshot", methods=["DELETE"]),
        Rule("/snapshots/<name>/restore", endpoint="restore", methods=["POST"]),
        Rule("/sandboxes", endpoint="sandboxes", methods=["GET", "POST"]),
        Rule("/sandboxes/<sandbox_id>", endpoint="sandbox", methods=["GET", "DELETE"]),
        Rule(
            "/sandboxes/<sandbox_id>/<path:rest>",
            endpoint="inside",
            methods=["GET", "POST", "DELETE"],
        ),
    ]
)


class Gate(Protocol):
    def rebuilding(self) -> AbstractContextManager[None]: ...


class WorldsAdmin:
    """WSGI app for the snapshot routes (mounted by the server under /_mock)."""

    def __init__(self, world: WorldStore, gate: Gate, sandboxes: Sandboxes | None) -> None:
        self._world = world
        self._gate = gate
        self._sandboxes = sandboxes

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = ROUTES.bind_to_environ(environ).match()
            if endpoint == "inside":  # a sandbox's own control plane
                return self._inside(environ, start_response, **args)
            response = getattr(self, f"on_{endpoint}")(request, **args)
        except HTTPException as exc:
            response = json_response(
                {"error": exc.name, "path": request.script_root + request.path}, exc.code or 404
            )
        except (SnapshotError, SandboxError) as exc:
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

    def _known(self) -> Sandboxes:
        if self._sandboxes is None:
            raise SandboxError("a sandbox has no sandboxes of its own", 404)
        return self._sandboxes

    def on_sandboxes(self, request: Request) -> Response:
        if request.method == "GET":
            return json_response(self._known().list())
        body = request.get_json(silent=True) if request.get_data() else {}
        try:
            created = self._known().create(body)
        except ValueError as exc:
            if isinstance(exc, SandboxError):
                raise
            raise SandboxError(str(exc), 400) from None
        return json_response(created, 201)

    def on_sandbox(self, request: Request, sandbox_id: str) -> Response:
        if request.method == "DELETE":
            self._known().delete(sandbox_id)
            return json_response({"deleted": sandbox_id})
        return json_response(self._known().describe(sandbox_id))

    def _inside(
        self, environ: dict[str, Any], start_response: Any, sandbox_id: str, rest: str
    ) -> Iterable[bytes]:
        app = self._known().app(sandbox_id)
        if app is None:
            raise SandboxError(f"no sandbox {sandbox_id!r}", 404)
        inner = {**environ, "PATH_INFO": f"/_mock/{rest}", "SCRIPT_NAME": ""}
        return app(inner, start_response)
