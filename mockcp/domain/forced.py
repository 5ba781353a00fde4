"""Forced answers and faults of every kind (architecture 1.2 step 6), armed through
``/_mock/faults`` and kept in the store, so that N server processes share one plan.

A fault answers the matching calls (an operation or ``*``, a tenant or every tenant) with a
catalogue code (by name or number: ``CANNOT_SHED_NOW`` or ``126``), a SOAP Server fault,
extra latency, or a broken transport: a dropped or reset connection, an HTTP 503 with an
HTML body (as a load balancer sends), a truncated or malformed XML response, or a hang
until the client gives up. It lasts for the next ``count`` calls, for a span of wall or
simulated time, and/or fires with a ``probability`` (drawn from a seed derived from the
fault and the call's number, so a run repeats). Counting down is one atomic UPDATE: a
fault for N calls fires exactly N times whatever the number of workers.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from mockcp.clock import parse_duration
from mockcp.codes import ResponseCode
from mockcp.db.activity import ForcedFault
from mockcp.errors import CPError
from mockcp.rng import for_entity

ANY = "*"
# kind -> what happens; "code" renders a catalogue entry, the rest are faults.
KINDS = {
    "code": "the operation's response with a catalogue code (the operation does not run)",
    "server": "a SOAP Server fault, HTTP 500 (the operation does not run)",
    "latency": "the real answer after latencyMs milliseconds (a number or [min, max])",
    "drop": "the connection closes with no response (the operation does not run)",
    "reset": "the connection is reset, TCP RST (the operation does not run)",
    "http503": "HTTP 503 with an HTML body, as a load balancer sends (the operation does not run)",
    "truncated": "the real response cut in half (the operation runs)",
    "malformed": "the real response with a broken closing tag (the operation runs)",
    "hang": "no answer until the client gives up, at most hangMs, then a drop (does not run)",
}
MAX_DELAY_MS = 300_000
DEFAULT_HANG_MS = 60_000
KEYS = {
    "operation", "orgID", "code", "fields", "fault", "count", "seconds", "simulated",
    "probability", "latencyMs", "hangMs",
}


@dataclass(frozen=True, slots=True)
class Fired:
    """A fault that fires on this call."""

    id: int
    kind: str
    code: ResponseCode | None = None
    fields: tuple[tuple[str, str], ...] = ()
    delay_ms: int = 0  # latency, or the hang's bound

    def error(self) -> CPError:
        if self.code is None:
            raise ValueError(f"a {self.kind} fault has no response code")
        return CPError(self.code, **dict(self.fields))


def arm(
    db: Session, operations: frozenset[str], body: dict[str, object], wall: datetime, sim: datetime
) -> ForcedFault:
    """Store the fault a control-plane body describes, or raise ValueError saying why not."""
    unknown = set(body) - KEYS
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    operation = str(body.get("operation", ANY))
    if operation != ANY and operation not in operations:
        raise ValueError(f"{operation!r} is not an operation of the API")
    org = body.get("orgID")
    row = ForcedFault(operation=operation, org_id=None if org is None else str(org))
    _what(row, body)
    _how_long(row, body, wall, sim)
    db.add(row)
    db.flush()
    return row


def _what(row: ForcedFault, body: dict[str, object]) -> None:
    if ("code" in body) == ("fault" in body):
        raise ValueError('send exactly one of "code" (a ResponseCode name or number) and "fault"')
    if "code" in body:
        code = find_code(body["code"])
        fields = body.get("fields", {})
        if not isinstance(fields, dict):
            raise ValueError("fields must be an object of template fields")
        needed = {name for _, name, _, _ in string.Formatter().parse(code.text) if name}
        if needed != set(fields):
            raise ValueError(f"{code.name} needs the fields {sorted(needed)}")
        row.kind, row.code = "code", code.name
        row.fields = {str(k): str(v) for k, v in fields.items()}
        return
    kind = body["fault"]
    if kind not in KINDS or kind == "code":
        raise ValueError(f"fault must be one of {', '.join(k for k in KINDS if k != 'code')}")
    row.kind = str(kind)
    if kind == "latency":
        row.latency_ms = _millis(body.get("latencyMs"), "latencyMs")
    elif kind == "hang":
        row.latency_ms = _millis(body.get("hangMs", DEFAULT_HANG_MS), "hangMs")[:1]
    if "latencyMs" in body and kind != "latency" or "hangMs" in body and kind != "hang":
        raise ValueError("latencyMs goes with the latency fault, hangMs with the hang fault")


def _millis(value: object, key: str) -> list[int]:
    given = value if isinstance(value, list) else [value]
    bounds = [b for b in given if _whole(b, 0, MAX_DELAY_MS) and isinstance(b, int)]
    if not 1 <= len(given) <= 2 or len(bounds) != len(given):
        raise ValueError(f"{key} must be milliseconds from 0 to {MAX_DELAY_MS}, or [min, max]")
    low, high = bounds[0], bounds[-1]
    if low > high:
        raise ValueError(f"{key}: the minimum is above the maximum")
    return [low, high]


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _how_long(row: ForcedFault, body: dict[str, object], wall: datetime, sim: datetime) -> None:
    count = body.get("count")
    if count is not None and not _whole(count, 1, 1_000_000):
        raise ValueError("count must be a whole number from 1 to 1000000")
    seconds = body.get("seconds")
    if seconds is not None:
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            raise ValueError("seconds must be a number of wall-clock seconds")
        if not 0 < seconds <= 86_400:
            raise ValueError("seconds must be above 0 and at most 86400")
        row.until_wall = wall + timedelta(seconds=seconds)
    if "simulated" in body:
        try:
            span = parse_duration(str(body["simulated"]))
        except ValueError as exc:
            raise ValueError(f"simulated: {exc}") from None
        if not timedelta(0) < span <= timedelta(days=3660):
            raise ValueError("simulated must be a positive ISO-8601 duration of at most 10 years")
        row.until_sim = sim + span
    probability = body.get("probability")
    if probability is not None:
        if not isinstance(probability, int | float) or isinstance(probability, bool):
            raise ValueError("probability must be a number above 0 and at most 1")
        if not 0 < probability <= 1:
            raise ValueError("probability must be a number above 0 and at most 1")
        row.probability = float(probability)
    bounded = seconds is not None or "simulated" in body or probability is not None
    row.remaining = count if isinstance(count, int) else (None if bounded else 1)


def find_code(value: object) -> ResponseCode:
    """A catalogue entry by name (``CANNOT_SHED_NOW``) or number (``126``, ``"126"``)."""
    text = str(value)
    code = ResponseCode.__members__.get(text)
    if code is None:
        code = next((c for c in ResponseCode if c.code == text), None)
    if code is None:
        raise ValueError(f"{text!r} is neither a ResponseCode name nor a code (see `mockcp codes`)")
    if code is ResponseCode.OK:
        raise ValueError("OK is not an error to force")
    return code


def take(
    db: Session, operation: str, org_id: str, wall: datetime, sim: datetime, seed: int
) -> Fired | None:
    """The first armed fault that fires on this call, counted down atomically (or None).

    Commits: a count spent is spent even if the call then fails.
    """
    candidates = db.scalars(
        select(ForcedFault)
        .where(ForcedFault.operation.in_((ANY, operation)))
        .where(or_(ForcedFault.org_id.is_(None), ForcedFault.org_id == org_id))
        .where(or_(ForcedFault.remaining.is_(None), ForcedFault.remaining > 0))
        .order_by(ForcedFault.id)
    ).all()
    for row in candidates:
        if _expired(row, wall, sim):
            continue
        if row.probability is not None and not _draw(db, row, seed):
            continue
        fired = _spend(db, row)
        if fired:
            db.commit()
            return _fired(row, seed)
    db.commit()
    return None


def _expired(row: ForcedFault, wall: datetime, sim: datetime) -> bool:
    return (row.until_wall is not None and wall > row.until_wall) or (
        row.until_sim is not None and sim > row.until_sim
    )


def _draw(db: Session, row: ForcedFault, seed: int) -> bool:
    """Number this call atomically, then draw from the seed of (fault, call number)."""
    number = db.scalar(
        update(ForcedFault)
        .where(ForcedFault.id == row.id)
        .values(seen=ForcedFault.seen + 1)
        .returning(ForcedFault.seen)
        .execution_options(synchronize_session=False)
    )
    if number is None:
        return False
    probability = row.probability if row.probability is not None else 1.0
    return for_entity(seed, "fault", row.id, number).random() < probability


def _spend(db: Session, row: ForcedFault) -> bool:
    result = db.execute(
        update(ForcedFault)
        .where(ForcedFault.id == row.id)
        .where(or_(ForcedFault.remaining.is_(None), ForcedFault.remaining > 0))
        .values(
            remaining=ForcedFault.remaining - 1,  # NULL stays NULL: no count limit
            fired=ForcedFault.fired + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _fired(row: ForcedFault, seed: int) -> Fired:
    code = ResponseCode[row.code] if row.code else None
    delay = 0
    if row.latency_ms:
        low, high = row.latency_ms[0], row.latency_ms[-1]
        delay = for_entity(seed, "latency", row.id, row.fired).randint(low, high)
    return Fired(row.id, row.kind, code, tuple(sorted(row.fields.items())), delay)


def armed(db: Session) -> list[ForcedFault]:
    return list(db.scalars(select(ForcedFault).order_by(ForcedFault.id)))


def is_active(row: ForcedFault, wall: datetime, sim: datetime) -> bool:
    return (row.remaining is None or row.remaining > 0) and not _expired(row, wall, sim)


def clear(db: Session) -> None:
    db.execute(delete(ForcedFault))


def describe(row: ForcedFault, wall: datetime, sim: datetime) -> dict[str, object]:
    """The control plane's JSON for one fault: what it does, what is left, how often it fired."""
    answer: dict[str, object] = {"id": row.id, "operation": row.operation}
    if row.org_id is not None:
        answer["orgID"] = row.org_id
    if row.kind == "code" and row.code is not None:
        answer.update(code=row.code, responseCode=ResponseCode[row.code].code)
        if row.fields:
            answer["fields"] = dict(row.fields)
    else:
        answer["fault"] = row.kind
    if row.kind == "latency":
        answer["latencyMs"] = row.latency_ms
    if row.kind == "hang":
        answer["hangMs"] = row.latency_ms[0]
    answer["count"] = row.remaining
    for key, value in (("untilWall", row.until_wall), ("untilSimulated", row.until_sim)):
        if value is not None:
            answer[key] = value.isoformat().replace("+00:00", "Z")
    if row.probability is not None:
        answer["probability"] = row.probability
    answer.update(fired=row.fired, active=is_active(row, wall, sim))
    return answer
