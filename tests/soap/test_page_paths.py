"""The lean page path answers byte for byte what the path it replaced answered (issue 18).

Station pages read the realm's stations as plain rows (``domain/stations/rows.py``) and build
their rows with compiled per-type builders (``soap/wire_out._compile``). Both replaced paths
are kept behind ``REFERENCE`` flags: ORM ``Station``/``Port`` objects, and the per-field loop
over the plan. Recorded requests (station searches that filter by location, name, group,
organisation, station ID, port and status, with paging and pricing, in the five search
operations; alarms, rights, sessions, transactions) are sent from every tenant of a
three-organisation world to the 5.1 endpoint, and every search operation's whole page to the
5.0 one (which prints port-level fields from the enclosing row); each request is answered by
the old path then the new one, and every answer must match.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.test import Client

from mockcp.app import create_app
from mockcp.config import Settings
from mockcp.db.models import Organization, Station, StationGroup
from mockcp.domain.sessions import plan_choice
from mockcp.domain.sessions.plan_choice import WALK_SHARE
from mockcp.domain.stations import rows
from mockcp.domain.tenants import list_tenants
from mockcp.soap import wire_out
from mockcp.soap.versions import V5_0, V5_1, ApiVersion
from tests.conftest import START
from tests.soap.envelopes import guide_style

FIXTURE = """builder: demo
root_seed: 7
history_days: 1
stations_per_site: 3
sites_per_org: 2
drivers_per_org: 2
vehicles_per_fleet: 1
organizations:
  - {cpn: 1, locale: en_US, metros: [Boulder, Denver]}
  - {cpn: 1, locale: en_US, metros: [Seattle, Boulder]}
  - {cpn: 2, locale: nl_NL, metros: [Amsterdam, Utrecht]}
"""
SEARCHES = (
    "",
    "<City>Boulder</City><Proximity>3</Proximity>",
    "<Geo><Lat>40.015</Lat><Long>-105.27</Long></Geo><Proximity>10</Proximity>",
    "<stationName>%{word}%</stationName>",
    "<orgID>{org}</orgID><Level>L2</Level>",
    "<sgName>{sgname}</sgName><Status>1</Status>",
    "<stationIDs><stationID>{sid}</stationID></stationIDs>",
    "<startRecord>2</startRecord><numStations>3</numStations>"
    "<Pricing><Duration>2</Duration><startTime>09:00:00</startTime></Pricing>",
)
Requests = dict[str, list[bytes]]  # API version name -> request bodies; "heads": one a tenant
SEARCH_OPS = ("getStations", "getStationStatus", "getPublicStations", "getPublicStationStatus",
              "getCustomGroupStations")  # fmt: skip
PER_TENANT = (
    "<urn:getAlarms><searchQuery/></urn:getAlarms>",
    "<urn:getStationRights><searchQuery><Address>{street}</Address></searchQuery>"
    "</urn:getStationRights>",
    "<urn:getChargingSessionData><searchQuery><stationID>{sid}</stationID>"
    "<fromTimeStamp>2024-03-01T00:00:00Z</fromTimeStamp></searchQuery></urn:getChargingSessionData>",
    "<urn:getTransactionData><searchQuery/></urn:getTransactionData>",
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, Requests]]:
    fixture = Path(tmp_path_factory.mktemp("pages")) / "three.yaml"
    fixture.write_text(FIXTURE)
    app = create_app(Settings(database_url="sqlite://", fixture=str(fixture),
                              clock_mode="frozen", clock_start=START))  # fmt: skip
    with app.sessions() as db:
        tenants = list_tenants(db)
        facts = []
        for tenant in tenants:
            org = db.scalars(select(Organization).where(Organization.org_id == tenant.org_id)).one()
            station = db.scalars(select(Station).where(Station.org_pk == org.id)).first()
            group = db.scalars(select(StationGroup).where(StationGroup.org_pk == org.id)).first()
            assert station is not None and group is not None
            facts.append({"org": org.org_id, "sid": station.station_id, "sgname": group.name,
                          "street": station.address, "word": station.name.split()[0]})  # fmt: skip
    requests: Requests = {V5_1.name: [], V5_0.name: [], "heads": []}
    for tenant, named in zip(tenants, facts, strict=True):
        bodies = [f"<urn:{op}><searchQuery>{search.format(**named)}</searchQuery></urn:{op}>"
                  for op in SEARCH_OPS  # (the public searches do not depend on the caller)
                  for search in (SEARCHES[:3] if "Public" in op else SEARCHES)]  # fmt: skip
        bodies += [body.format(**named) for body in PER_TENANT]
        whole_pages = [f"<urn:{op}><searchQuery/></urn:{op}>" for op in SEARCH_OPS]
        for key, sent in ((V5_1.name, bodies), (V5_0.name, whole_pages)):
            requests[key] += [guide_style(tenant.license_key, tenant.password, b) for b in sent]
        requests["heads"].append(requests[V5_1.name][-1])
    yield Client(app), requests
    app.close()


def answer(client: Client, path: str, body: bytes, reference: bool) -> tuple[int, bytes]:
    rows.REFERENCE = wire_out.REFERENCE = reference
    try:
        reply = client.post(path, data=body)
    finally:
        rows.REFERENCE = wire_out.REFERENCE = False
    return reply.status_code, reply.get_data()


@pytest.mark.parametrize("version", [V5_1, V5_0], ids=lambda v: v.name)
def test_old_and_new_page_paths_answer_the_same_bytes(
    world: tuple[Client, Requests], version: ApiVersion
) -> None:
    client, every = world
    path, requests = version.soap_path, every[version.name]
    client.post(path, data=requests[0])  # plans the world's history first (a frozen clock)
    pages = []
    for body in requests:
        old = answer(client, path, body, reference=True)
        new = answer(client, path, body, reference=False)
        assert new == old, body
        if old[0] == 200 and b"<responseCode>100<" in old[1]:
            pages.append(old[1])
    # The comparison covers real rows of every kind, not only faults and empty pages.
    kinds = [b"<stationData>", b"<Port>", b"<Pricing>", b"<stationStatusData>"]
    if version is V5_1:
        kinds += [b"<Alarms>", b"<rightsData>", b"<ChargingSessionData>", b"<transactionData>"]
    else:  # printed from the enclosing station row
        kinds += [b"<Port><portNumber>1</portNumber><stationName>"]
    for row in kinds:
        assert any(row in page for page in pages), row


SESSION_PAGES = (
    "<urn:getChargingSessionData><searchQuery><fromTimeStamp>2024-03-01T00:00:00Z</fromTimeStamp>"
    "</searchQuery></urn:getChargingSessionData>",
    "<urn:getTransactionData><searchQuery/></urn:getTransactionData>",
    "<urn:getTransactionData><searchQuery><numTransactions>3</numTransactions><startRecord>2"
    "</startRecord></searchQuery></urn:getTransactionData>",
    "<urn:getTransactionData><searchQuery><transactionType>Session</transactionType>"
    "</searchQuery></urn:getTransactionData>",
)


def test_session_and_transaction_pages_answer_alike_along_either_index(
    world: tuple[Client, Requests],
) -> None:
    """The time-ordered walk and the caller's port index (domain/sessions/plan_choice.py)."""
    client, every = world
    path = V5_1.soap_path
    client.post(path, data=every[V5_1.name][0])  # plans the history first
    found = 0
    for request in every["heads"]:
        head = request[: request.index(b"<soapenv:Body>") + len(b"<soapenv:Body>")]
        for body in SESSION_PAGES:
            sent = head + body.encode() + b"</soapenv:Body></soapenv:Envelope>"
            answers = []
            for share in (0.0, math.inf):  # always walk, never walk
                plan_choice.WALK_SHARE = share
                try:
                    reply = client.post(path, data=sent)
                finally:
                    plan_choice.WALK_SHARE = WALK_SHARE
                answers.append((reply.status_code, reply.get_data()))
            assert answers[0] == answers[1], sent
            found += b"<responseCode>100<" in answers[0][1]
    assert found >= 3 * len(SESSION_PAGES) - 1  # pages with rows, not only faults
