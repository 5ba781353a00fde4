"""The dashboard's WSGI app, mounted at ``/_mock/ui``: the page, its assets, its JSON.

Viewing needs no token. The page's controls call the control plane (``/_mock/clock``,
``/_mock/faults``, ``/_mock/reset``, ``/_mock/snapshots``, ``/_mock/stations/{id}/events``)
directly, with the token the user typed. Data come from ``views``,
``timeline`` and ``scenarios``; every read opens one database session on the shared store.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from mockcp.clock import Clock
from mockcp.codes import ResponseCode
from mockcp.data import FIXTURES, names
from mockcp.domain.station_events import EVENTS
from mockcp.errors import CPError
from mockcp.ui import scenarios, timeline, views

if TYPE_CHECKING:
    from mockcp.scenario_runs import Apps

LOG = logging.getLogger(__name__)
ROUTES = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule("/static/<name>", endpoint="static", methods=["GET"]),
        Rule("/api/meta", endpoint="meta", methods=["GET"]),
        Rule("/api/fleet", endpoint="fleet", methods=["GET"]),
        Rule("/api/load", endpoint="load", methods=["GET"]),
        Rule("/api/sessions", endpoint="sessions", methods=["GET"]),
        Rule("/api/scenarios", endpoint="scenarios", methods=["GET"]),
        Rule("/api/scenarios/<name>", endpoint="run_scenario", methods=["POST"]),
    ]
)
TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}


def _json(body: Any, status: int = 200) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def _org(request: Request) -> str | None:
    return request.args.get("org") or None


def _int(text: str | None, name: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None


def forcible_codes() -> list[dict[str, str]]:
    """The catalogue codes a page can arm with no template fields (``/_mock/faults``)."""
    return [
        {"name": c.name, "code": c.code, "text": c.text}
        for c in ResponseCode
        if c is not ResponseCode.OK and "{" not in c.text
    ]


class UiApp:
    """The dashboard; ``root_seed`` and ``clock`` are the server's, ``paths`` its SOAP and
    WSDL paths, ``operations`` the operation names a forced answer may name, ``apps`` what
    builds the worlds a scenario runs in (``mockcp.ui.scenarios``)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        root_seed: Callable[[], int],
        server: tuple[dict[str, str], list[str]],
        apps: Apps,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._root_seed = root_seed
        self._paths, self._operations = server
        self._apps = apps

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = ROUTES.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request, **args)
        except HTTPException as exc:
            response = _json({"error": exc.name}, exc.code or 400)
        except LookupError as exc:
            response = _json({"error": str(exc.args[0] if exc.args else exc)}, 404)
        except CPError as exc:
            response = _json({"error": exc.text, "responseCode": exc.code.code}, 400)
        except ValueError as exc:
            response = _json({"error": str(exc)}, 400)
        except ImportError as exc:  # scenarios need the test extra
            response = _json({"error": f"needs mockcp[test] ({exc.name} is missing)"}, 501)
        except Exception as exc:  # a JSON answer, never werkzeug's HTML page
            LOG.exception("dashboard request %s failed", request.path)
            response = _json({"error": f"internal error ({type(exc).__name__})"}, 500)
        return response(environ, start_response)  # type: ignore[no-any-return]

    def _read(self, build: Callable[[Session, tuple[int, datetime]], Any]) -> Response:
        with self._sessions() as db:
            body = build(db, (self._root_seed(), self._clock.now()))
            db.commit()  # (what materialize planned)
        return _json(body)

    def on_index(self, request: Request) -> Response:
        return self.on_static(request, "index.html")

    def on_static(self, request: Request, name: str) -> Response:
        asset = resources.files("mockcp.ui").joinpath("static", name)
        suffix = "." + name.rpartition(".")[2]
        if "/" in name or suffix not in TYPES or not asset.is_file():
            return _json({"error": "Not Found"}, 404)
        return Response(asset.read_bytes(), mimetype=TYPES[suffix])

    def on_meta(self, request: Request) -> Response:
        return _json(
            {
                **self._paths,
                "operations": self._operations,
                "codes": forcible_codes(),
                "stationEvents": list(EVENTS),
                "fixtures": names(FIXTURES),
            }
        )

    def on_fleet(self, request: Request) -> Response:
        org = _org(request)
        return self._read(lambda db, live: views.fleet(db, live[0], live[1], org))

    def on_load(self, request: Request) -> Response:
        org = _org(request)
        target = (_int(request.args.get("sg"), "sg"), request.args.get("station") or None)
        if target == (None, None):
            raise ValueError("name a group (sg) or a station (station)")
        return self._read(lambda db, live: views.load(db, live, org, target))

    def on_sessions(self, request: Request) -> Response:
        org, text = _org(request), request.args.get("day", "")
        try:
            day = date.fromisoformat(text) if text else None
        except ValueError:
            raise ValueError(f"day must be YYYY-MM-DD, not {text!r}") from None
        return self._read(lambda db, live: timeline.sessions(db, live, org, day or live[1].date()))

    def on_scenarios(self, request: Request) -> Response:
        return _json(scenarios.scenario_names())

    def on_run_scenario(self, request: Request, name: str) -> Response:
        return _json(scenarios.run(name, self._apps))
