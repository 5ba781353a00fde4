"""Forced responses (architecture 1.2 step 6): "answer the next N calls of operation X with
code Y", so that a client's error handling can be tested against any catalogue code, or
against a SOAP Server fault, without arranging the condition behind it.

A plan lives in the server process (like the request journal) and is filled through the
control plane (``/_mock/faults``); a forced code goes through the same rendering path as a
real one, because it is raised as the matching ``CPError``.
"""

from __future__ import annotations

import string
import threading
from dataclasses import dataclass, replace

from mockcp.codes import ResponseCode
from mockcp.errors import CPError

ANY = "*"


@dataclass(frozen=True, slots=True)
class ForcedResponse:
    """What the next ``remaining`` matching calls answer: a code, or a Server fault."""

    operation: str  # an operation name, or "*" for every operation
    remaining: int
    code: ResponseCode | None = None
    fields: tuple[tuple[str, str], ...] = ()
    server_fault: bool = False
    org_id: str | None = None  # only this tenant's calls; None: every tenant's

    def error(self) -> CPError:
        if self.code is None:
            raise ValueError("a forced Server fault has no response code")
        return CPError(self.code, **dict(self.fields))

    def matches(self, operation: str, org_id: str) -> bool:
        return self.operation in (ANY, operation) and self.org_id in (None, org_id)


def forced_response(
    operations: frozenset[str], body: dict[str, object]
) -> ForcedResponse:
    """A ``ForcedResponse`` from a control-plane request body, or ValueError saying why not.

    ``{"operation": "shedLoad", "code": "CANNOT_SHED_NOW", "count": 2, "orgID": "1:ORG00001"}``
    or ``{"operation": "*", "fault": "server"}``; ``fields`` fills a templated text.
    """
    unknown = set(body) - {"operation", "code", "fields", "fault", "count", "orgID"}
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    operation = str(body.get("operation", ANY))
    if operation != ANY and operation not in operations:
        raise ValueError(f"{operation!r} is not an operation of the 5.1 API")
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 10_000:
        raise ValueError("count must be a whole number from 1 to 10000")
    org = body.get("orgID")
    org_id = None if org is None else str(org)
    if ("code" in body) == ("fault" in body):
        raise ValueError('send exactly one of "code" (a ResponseCode name) and "fault"')
    if "fault" in body:
        if body["fault"] != "server":
            raise ValueError('the only forced fault is "server"')
        return ForcedResponse(operation, count, server_fault=True, org_id=org_id)
    code = _code(str(body["code"]))
    fields = body.get("fields", {})
    if not isinstance(fields, dict):
        raise ValueError("fields must be an object of template fields")
    needed = {name for _, name, _, _ in string.Formatter().parse(code.text) if name}
    if needed != set(fields):
        raise ValueError(f"{code.name} needs the fields {sorted(needed)}")
    pairs = tuple(sorted((str(k), str(v)) for k, v in fields.items()))
    return ForcedResponse(operation, count, code, pairs, org_id=org_id)


def _code(name: str) -> ResponseCode:
    try:
        code = ResponseCode[name]
    except KeyError:
        raise ValueError(f"{name!r} is not a ResponseCode name (see `mockcp codes`)") from None
    if code is ResponseCode.OK:
        raise ValueError("OK is not an error to force")
    return code


class ForcedPlan:
    """The queue of forced responses of one server process; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[ForcedResponse] = []

    def add(self, forced: ForcedResponse) -> None:
        with self._lock:
            self._queue.append(forced)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[ForcedResponse]:
        with self._lock:
            return list(self._queue)

    def take(self, operation: str, org_id: str) -> ForcedResponse | None:
        """The first queued response for this call, counted down (gone once used up)."""
        with self._lock:
            for index, forced in enumerate(self._queue):
                if forced.matches(operation, org_id):
                    if forced.remaining > 1:
                        self._queue[index] = replace(forced, remaining=forced.remaining - 1)
                    else:
                        del self._queue[index]
                    return forced
        return None
