"""Digests that show a restructuring changed no answer (not a benchmark; kept beside them).

    .venv/bin/python bench/answer_digest.py            # this checkout
    PYTHONPATH=/tmp/old .venv/bin/python bench/answer_digest.py   # another tree, same venv

1. The store: the demo world for seeds 7 and 12345, materialized at +1, +5 and +15 days,
   every table's rows hashed (one digest per table and seed).
2. The answers: the demo world at a frozen instant and four days later, every tenant, every
   operation's smallest valid request (mockcp.soap.probe) and the listing operations with an
   empty search, each response's bytes hashed per operation.

Run it on two trees and ``diff`` the outputs: every line that differs names what moved.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from mockcp.app import SOAP_PATH
from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.coverage import _envelope
from mockcp.db.engine import create_schema, make_engine, make_sessionmaker
from mockcp.db.models import Base
from mockcp.seed.world import load_world
from mockcp.sim.store.engine import materialize
from mockcp.soap.probe import minimal_requests
from mockcp.testing import IN_PROCESS_BASE, InProcessTransport, MockChargePoint

EPOCH = datetime(2024, 3, 12, tzinfo=UTC)
LISTED = (
    "getStations", "getPublicStations", "getStationStatus", "getPublicStationStatus",
    "getTransactionData", "getAlarms", "getFleetVehicles", "getFleetUsageData", "getUsers",
    "getOrgsAndStationGroups", "getStationRights",
)


def store_digests() -> dict[str, str]:
    found = {}
    for seed in (7, 12345):
        engine = make_engine("sqlite://")
        create_schema(engine)
        with make_sessionmaker(engine)() as db:
            load_world(db, "demo", seed, EPOCH)
            db.commit()
            for days in (1, 5, 15):
                materialize(db, seed, EPOCH + timedelta(days=days, hours=7))
                db.commit()
            for table in sorted(Base.metadata.tables):
                rows = db.execute(text(f'select * from "{table}" order by 1')).all()
                digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
                found[f"store {seed} {table}"] = f"{len(rows)} rows {digest}"
        engine.dispose()
    return found


def answer_digests() -> dict[str, str]:
    listings = {name: f"<urn:{name}><searchQuery/></urn:{name}>" for name in LISTED}
    listings["getChargingSessionData"] = (
        "<urn:getChargingSessionData><searchQuery><fromTimeStamp>2024-03-01T00:00:00Z"
        "</fromTimeStamp></searchQuery></urn:getChargingSessionData>"
    )
    sums: dict[str, Any] = {}  # key -> a running sha256
    clock = ManualClock(EPOCH + timedelta(hours=17))
    with MockChargePoint(Settings(database_url="sqlite://", fixture="demo"), clock) as mock:
        web, headers = InProcessTransport(mock.wsgi), {"Content-Type": "text/xml; charset=utf-8"}
        for days in (0, 4):
            clock.set(EPOCH + timedelta(days=days, hours=17))
            for tenant in mock.tenants():
                for kind, bodies in (("empty", minimal_requests()), ("listing", listings)):
                    for name, body in sorted(bodies.items()):
                        sent = _envelope(body, tenant.license_key, tenant.password)
                        reply = web.post(IN_PROCESS_BASE + SOAP_PATH, sent, headers)
                        sums.setdefault(f"answer {kind} {name}", hashlib.sha256()).update(
                            reply.content
                        )
    return {key: value.hexdigest()[:12] for key, value in sums.items()}


def main() -> None:
    every = {**store_digests(), **answer_digests()}
    total = hashlib.sha256()
    for key in sorted(every):
        total.update(f"{key}={every[key]}".encode())
        print(key, every[key])
    print("total", total.hexdigest())


if __name__ == "__main__":
    main()
