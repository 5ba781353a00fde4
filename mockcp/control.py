"""Python helpers over the JSON control plane: the same calls in process and against a URL.

    control = mock.control                       # MockChargePoint, in process
    control = ControlPlane.at("http://127.0.0.1:8080")   # any running mockcp
    control.faults.force("shedLoad", code=126, count=2)
    control.clock.advance("PT15M")
    control.journal.assert_called("shedLoad", times=1, stationID="1:10002")
    control.stations.take_offline("1:10002")

Each helper is a thin wrapper over one route (``/_mock/journal``, ``/_mock/faults``,
``/_mock/clock``); a refused request raises ``ControlError`` with the server's reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

Send = Callable[[str, str, Any, Mapping[str, Any] | None], tuple[int, Any]]


class ControlError(AssertionError):
    """The control plane refused a request (the message is its reason)."""


class ControlPlane:
    """``journal``, ``faults``, ``clock`` and ``stations`` of one mockcp."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.journal = Journal(self)
        self.faults = Faults(self)
        self.clock = Clock(self)
        self.stations = Stations(self)

    @classmethod
    def in_process(cls, app: Any) -> ControlPlane:
        from werkzeug.test import Client

        client = Client(app)

        def send(method: str, path: str, body: Any, query: Mapping[str, Any] | None) -> Any:
            reply = client.open(f"/_mock{path}", method=method, json=body, query_string=query)
            return reply.status_code, json.loads(reply.get_data() or b"null")

        return cls(send)

    @classmethod
    def at(
        cls, base_url: str, timeout: float = 90, token: str | None = None,
        sandbox: str | None = None,
    ) -> ControlPlane:
        """The control plane of the mockcp at ``base_url`` (``token``: its admin token, sent
        as a Bearer header; ``sandbox``: that sandbox's own, ``/_mock/sandboxes/<id>``).
        ``timeout`` is above the server's 60 s request time limit, which also bounds the
        planning a clock move does: a long move answers (200, or 503 to be sent again)
        before the helper gives up."""
        import requests

        session = requests.Session()
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        root = f"{base_url.rstrip('/')}/_mock" + (f"/sandboxes/{sandbox}" if sandbox else "")

        def send(method: str, path: str, body: Any, query: Mapping[str, Any] | None) -> Any:
            url = f"{root}{path}"
            reply = session.request(method, url, json=body, params=query, timeout=timeout)
            return reply.status_code, reply.json()

        return cls(send)

    def call(
        self, method: str, path: str, body: Any = None, query: Mapping[str, Any] | None = None
    ) -> Any:
        status, answer = self._send(method, path, body, query)
        if status >= 400:
            reason = answer.get("error") if isinstance(answer, dict) else answer
            raise ControlError(f"{method} /_mock{path}: {status} {reason}")
        return answer


FILTERS = {"org_id": "orgID", "response_code": "responseCode", "fault": "fault"}


class ControlViews:
    """The control plane's parts as attributes of a mock, in process or remote: the class
    that mixes this in says where its ``control`` plane is."""

    @property
    def control(self) -> ControlPlane:
        raise NotImplementedError

    @property
    def journal(self) -> Journal:
        return self.control.journal

    @property
    def faults(self) -> Faults:
        return self.control.faults

    @property
    def clock(self) -> Clock:
        return self.control.clock

    @property
    def stations(self) -> Stations:
        return self.control.stations


class Journal:
    """/_mock/journal: what the client sent, and how each call ended."""

    def __init__(self, control: ControlPlane) -> None:
        self._control = control

    def calls(
        self, operation: str | None = None, /, *, params: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> list[dict[str, Any]]:
        """The entries of ``operation`` (or every one), oldest first. Keywords: ``org_id``,
        ``response_code``, ``fault``, any WSDL element name (``stationID="1:10002"``, matched
        at any depth) and ``params`` (dotted paths: ``{"shedQuery.shedStation.stationID":
        ...}``)."""
        answer = self._control.call("POST", "/journal/verify", _matcher(operation, params, fields))
        return list(answer["entries"])

    def assert_called(
        self, operation: str, /, *, times: int | None = None,
        params: Mapping[str, Any] | None = None, **fields: Any,
    ) -> list[dict[str, Any]]:
        """The matching entries; AssertionError unless there are ``times`` of them (or, with
        no ``times``, at least one)."""
        found = self.calls(operation, params=params, **fields)
        if (times is None and not found) or (times is not None and len(found) != times):
            wanted = "at least once" if times is None else f"{times} time(s)"
            seen = [(e["operation"], e["orgID"], e["responseCode"] or e["fault"]) for e in found]
            raise AssertionError(
                f"expected {operation} {fields or ''}{params or ''} {wanted}, "
                f"found {len(found)}: {seen}"
            )
        return found

    def entries(self, **query: Any) -> list[dict[str, Any]]:
        """GET /_mock/journal with raw query filters (``param=["path:value"]``, ``xml=1``)."""
        return list(self._control.call("GET", "/journal", query=query))

    def clear(self) -> None:
        self._control.call("DELETE", "/journal")


def _matcher(
    operation: str | None, params: Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    body: dict[str, Any] = {} if operation is None else {"operation": operation}
    wanted = dict(params or {})
    for key, value in fields.items():
        if key in FILTERS:
            body[FILTERS[key]] = value
        else:
            wanted[key] = value
    if wanted:
        body["params"] = wanted
    return body


class Faults:
    """/_mock/faults: arm, list and drop faults."""

    def __init__(self, control: ControlPlane) -> None:
        self._control = control

    def force(
        self, operation: str = "*", /, *, code: str | int | None = None,
        fault: str | None = None, org_id: str | None = None, **options: Any,
    ) -> dict[str, Any]:
        """Arm one fault: ``code=126`` or ``fault="drop"`` (``server``, ``latency``, ``reset``,
        ``http503``, ``truncated``, ``malformed``, ``hang``); options as the route takes them
        (``count``, ``seconds``, ``simulated``, ``probability``, ``latencyMs``, ``hangMs``,
        ``fields``). Returns the armed fault as the server lists it."""
        body: dict[str, Any] = {"operation": operation, **options}
        for key, value in (("code", code), ("fault", fault), ("orgID", org_id)):
            if value is not None:
                body[key] = value
        listed = self._control.call("POST", "/faults", body)
        return dict(listed[-1])

    def armed(self) -> list[dict[str, Any]]:
        return list(self._control.call("GET", "/faults"))

    def clear(self) -> None:
        self._control.call("DELETE", "/faults")


class Clock:
    """/_mock/clock: the simulated now."""

    def __init__(self, control: ControlPlane) -> None:
        self._control = control

    def now(self) -> str:
        return str(self._control.call("GET", "/clock")["now"])

    def advance(self, duration: str) -> str:
        """Move simulated time forward by an ISO-8601 duration (``PT15M``); the new now."""
        return str(self._control.call("POST", "/clock", {"advance": duration})["now"])

    def set(self, instant: str) -> str:
        return str(self._control.call("POST", "/clock", {"set": instant})["now"])

    def mode(self, mode: str) -> str:
        return str(self._control.call("POST", "/clock", {"mode": mode})["mode"])


class Stations:
    """/_mock/stations/{stationID}/events: the world changing under the client."""

    def __init__(self, control: ControlPlane) -> None:
        self._control = control

    def event(self, station_id: str, kind: str, **fields: Any) -> dict[str, Any]:
        """One event (offline, online, portFault, faultCleared, reboot, plugIn, unplug) at
        the simulated now."""
        body = {"type": kind, **fields}
        return dict(self._control.call("POST", f"/stations/{station_id}/events", body))

    def take_offline(self, station_id: str) -> dict[str, Any]:
        return self.event(station_id, "offline")

    def bring_online(self, station_id: str) -> dict[str, Any]:
        return self.event(station_id, "online")

    def port_fault(self, station_id: str, port: int, fault: str) -> dict[str, Any]:
        return self.event(station_id, "portFault", port=port, fault=fault)
