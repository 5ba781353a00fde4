"""The same read again, from memory, while the world is unchanged (issue 18).

Integrators poll: the same getCPNInstances, getStations or getOrgsAndStationGroups request,
byte for byte, every few seconds, from every test. Most reads depend on the time (status,
sessions, load) and are computed every call. Some do not: their handler answered from the
stored world alone without once asking for the time (``RequestContext.timed``). Such an
answer is a function of the request's bytes and of the world's database, so while neither
changes it is the same answer, and computing it again is waste.

``Answers`` keeps those answers: after the full path answers a read with code 100, HTTP 200,
no forced fault and no armed one, having not asked for the time, the answer's body element is
kept under the request's exact bytes (licence key and password included: the same bytes
authenticate alike), the endpoint, and the epoch of the world (``db/world_version.py`` for a
SQLite file, ``db/store_epoch.py`` for PostgreSQL: it moves on whenever any process commits
anything to the world: a write, a clock move, a reset, an armed fault, new credentials; never
for a journal row). The next identical request in the same epoch is answered from memory:

- the envelope is stamped with the call's own instant (the stored clock the answer was made
  under, read at this call's wall time: the instant the full path would read);
- the journal gets the call's row from the recorder's own ``record`` (operation, parameters,
  caller, code, details, XML), inside the store gate, before the answer;
- the bytes are those the full path gives at that instant (``tests/test_answers.py`` serves
  both ways and compares, and checks the kept body round-trips before it is ever kept).

Anything else goes the full way: another request, another epoch, a body over ``MAX_KEY``, an
unreadable file or epoch row, a sandbox's key (its own app keeps its own), an in-memory store
(``WorldVersion.for_engine``), or ``answer_cache`` off (``MOCKCP_ANSWER_CACHE=off``).
Memory is bounded by entries and bytes; a new epoch drops everything older.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from mockcp.clock import ClockState, wall_instant, wall_seconds
from mockcp.db.callstate import CallState, read_call_state
from mockcp.db.store_epoch import StoreEpoch
from mockcp.db.world_version import WorldVersion
from mockcp.domain.kept import KeptReads
from mockcp.soap import envelope
from mockcp.soap.context import Runtime
from mockcp.soap.recorder import CallNote, Record, SoapRecorder

EPOCH = "mockcp.answers.epoch"  # environ key: the world's epoch read before the full path
MAX_KEY = 64 * 1024  # request bodies longer than this are not kept
MAX_ANSWER = 4 * 1024 * 1024  # answers longer than this are not kept
MAX_ENTRIES = 256
MAX_BYTES = 64 * 1024 * 1024  # requests and answers kept, in all


class Epoch(Protocol):
    """The world's epoch as this process sees it (``WorldVersion``, ``StoreEpoch``)."""

    def current(self) -> int | None: ...

    def forget(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Kept:
    """One answer kept: what to send and what the journal row says."""

    epoch: int
    body: bytes  # the answer's body element, serialised
    headers: tuple[tuple[str, str], ...]  # without Content-Length
    clock: ClockState  # the stored clock the answer was made under
    operation: str
    org_id: str | None
    params: object | None
    details: Mapping[str, str]

    @property
    def size(self) -> int:
        return len(self.body)


class Answers:
    """The kept answers of one app's world (see the module docstring)."""

    def __init__(self, version: Epoch, record: Record) -> None:
        self.version = version
        self._record = record  # the recorder's journal row of a call (soap/recorder.py)
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, bytes], Kept] = {}
        self._bytes = 0
        self._epoch = 0  # the epoch of what is kept
        self.served = 0  # answers given from memory (the tests and the benches read it)

    def serve(
        self, environ: dict[str, Any], start_response: Any, skip: Callable[[bytes], bool]
    ) -> list[bytes] | None:
        """The answer from memory, journaled; None: the full path answers (the body is put
        back in ``environ``, with the epoch it must be kept under)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length <= 0 or length > MAX_KEY:
            return None
        raw = bytes(environ["wsgi.input"].read(length))
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        if len(raw) != length or skip(raw):
            return None
        epoch = self.version.current()
        if epoch is None:
            return None
        environ[EPOCH] = epoch
        kept = self._kept.get((environ.get("PATH_INFO", ""), raw))
        if kept is None or kept.epoch != epoch:
            return None
        started = wall_instant()
        now = kept.clock.now(wall_seconds())
        answer = envelope.stamped(now, kept.body)
        note = CallNote(org_id=kept.org_id, response_code="100", details=dict(kept.details),
                        request=(kept.operation, kept.params))  # fmt: skip
        self._record(environ, note, raw, ("200 OK", answer), (started, now))  # the same row
        self.served += 1
        start_response("200 OK", [*kept.headers, ("Content-Length", str(len(answer)))])
        return [answer]

    def keep(
        self,
        environ: dict[str, Any],
        raw: bytes,
        note: CallNote,
        reply: tuple[str, list[tuple[str, str]], bytes],
    ) -> None:
        """Keep the full path's answer when it may be served again (the module docstring)."""
        status, headers, answer = reply
        epoch = environ.get(EPOCH)
        context = note.answered
        state = note.state
        if (
            not isinstance(epoch, int)
            or status != "200 OK"
            or context is None
            or context.timed
            or note.fired is not None
            or note.response_code != "100"
            or note.now is None
            or state is None
            or state.clock is None
            or state.faults_armed
            or len(raw) > MAX_KEY
            or len(answer) > MAX_ANSWER
        ):
            return
        operation, params = note.request or (None, None)
        body = envelope.body_bytes(answer, note.now)
        if operation is None or body is None:
            return
        path = environ.get("PATH_INFO", "")
        kept = Kept(
            epoch=epoch,
            body=body,
            headers=tuple((k, v) for k, v in headers if k.lower() != "content-length"),
            clock=state.clock,
            operation=operation,
            org_id=note.org_id,
            params=params,
            details=dict(note.details),
        )
        self._put((path, raw), kept)

    def _put(self, key: tuple[str, bytes], kept: Kept) -> None:
        with self._lock:
            if kept.epoch < self._epoch:
                return  # made before a change another call already saw: stale at birth
            if kept.epoch > self._epoch:  # a new epoch: everything older is stale
                self._kept.clear()
                self._bytes = 0
                self._epoch = kept.epoch
            old = self._kept.pop(key, None)
            if old is not None:
                self._bytes -= old.size + len(key[1])
            self._kept[key] = kept
            self._bytes += kept.size + len(key[1])
            while len(self._kept) > MAX_ENTRIES or self._bytes > MAX_BYTES:
                oldest = next(iter(self._kept))
                gone = self._kept.pop(oldest)
                self._bytes -= gone.size + len(oldest[1])

    def count(self) -> int:
        """How many answers are kept now."""
        return len(self._kept)

    def forget(self) -> None:
        """Drop everything (this process reset, restored or rebuilt the store)."""
        self.version.forget()
        with self._lock:
            self._kept.clear()
            self._bytes = 0

    def close(self) -> None:
        self.forget()
        self.version.close()


def call_state(engine: Engine, held: Connection | None, kept: KeptReads | None) -> CallState:
    """The store's clock, stamps, armed-fault flag and identity (``db/callstate.py``): on the
    store gate's connection when it lends one (PostgreSQL), from ``kept`` while the world's
    file is unchanged (it is data of that file alone), else one query."""
    if held is not None:
        try:
            return read_call_state(held)
        except DBAPIError as error:  # the gate's session was lost: a pooled, pinged one
            if not error.connection_invalidated:
                raise
    if kept is None:
        return read_call_state(engine)
    return kept.get(None, ("call state",), lambda: read_call_state(engine), CallState)


def kept_reads(
    engine: Engine,
    runtime: Runtime,
    endpoint: SoapRecorder,
    answer_cache: bool,
    held: Callable[[], Connection | None] = lambda: None,
) -> tuple[Epoch | None, Answers | None]:
    """The epoch of the world (a SQLite file's ``WorldVersion``, a PostgreSQL schema's
    ``StoreEpoch``, read on ``held``, the store gate's connection, when there is one), the
    reads kept under it (``runtime.reads``: domain/kept.py; unless ``kept_reads`` is off)
    and, with ``answer_cache``, whole answers kept by ``endpoint``; (None, None) for an
    in-memory store: everything is read every time."""
    version: Epoch | None
    if engine.dialect.name == "postgresql":
        epoch = StoreEpoch(engine, held)
        version = epoch
        if runtime.settings.kept_reads:
            runtime.reads = KeptReads(epoch.current, looks=epoch.looks, writes=epoch.writes)
    else:
        version = WorldVersion.for_engine(engine)
        if version is None:
            return None, None
        if runtime.settings.kept_reads:
            runtime.reads = KeptReads(version.current)
    answers = Answers(version, endpoint.record) if answer_cache else None
    if answers is not None:
        endpoint.keeper = answers.keep
    return version, answers
