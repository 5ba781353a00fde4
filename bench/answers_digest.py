"""Digests of mockcp's answers to recorded requests, to compare two trees byte for byte.

    .venv/bin/python bench/answers_digest.py /path/to/tree out.jsonl   # run on each tree
    cmp old.jsonl new.jsonl

Requests: the minimal world's every 5.1 operation with only its required elements and with
every element valued, from each tenant, on 5.1 and 5.0 (``tests/soap/test_lean_path.py``);
then a five-organisation world: 33 station searches (location texts that geocode, Lat/Long,
names, organisations, groups, station IDs, port filters, paging, pricing) in the five search
operations, naming each tenant's own stations, groups and organisation, from every tenant,
plus alarms, transactions, load, groups and rights per tenant. Each line is (endpoint, request
digest, HTTP status, answer SHA-256, answer length). Used by issue 18 (w18b) before each
answer-path change; the tree's own modules are imported, so run it with a venv of either.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

FIXTURE = """builder: demo
root_seed: 7
history_days: 2
stations_per_site: 4
sites_per_org: 2
drivers_per_org: 4
vehicles_per_fleet: 2
organizations:
  - {cpn: 1, locale: en_US, metros: [Boulder, Denver]}
  - {cpn: 1, locale: en_US, metros: [Seattle, Austin]}
  - {cpn: 2, locale: nl_NL, metros: [Amsterdam, Utrecht]}
  - {cpn: 4, locale: en_CA, metros: [Vancouver, Toronto]}
  - {cpn: 1, locale: en_US, metros: [Boulder, Seattle]}
"""
GEO = "<Geo><Lat>40.015</Lat><Long>-105.27</Long></Geo>"
SEARCHES = [
    "", "<Address>Denver</Address>", "<City>Boulder</City>", "<City>Seattle</City>",
    "<City>Boulder</City><Proximity>3</Proximity>",
    "<State>Colorado</State><Proximity>40</Proximity>",
    "<postalCode>{postal}</postalCode><Proximity>2</Proximity>",
    "<Address>{street}</Address><Proximity>1</Proximity>",
    f"{GEO}<Proximity>10</Proximity>", f"{GEO}<Address>Seattle</Address>",
    "<Geo><Lat>47.6</Lat><Long>-122.3</Long></Geo><Proximity>30</Proximity>"
    "<proximityUnit>K</proximityUnit>",
    "<stationName>*</stationName>", "<stationName>{name}</stationName>",
    "<stationName>%HOME%</stationName>", "<orgID>{org}</orgID>", "<orgID>1:ORG00003</orgID>",
    "<organizationName>{orgname}</organizationName>", "<sgID>{sg}</sgID>", "<sgID>2001</sgID>",
    "<sgID>5001</sgID>", "<sgName>{sgname}</sgName>", "<stationID>{sid}</stationID>",
    "<stationID>1:32051</stationID>",
    "<stationIDs><stationID>{sid}</stationID><stationID>1:35051</stationID></stationIDs>",
    "<Level>L2</Level>", "<Level>DC</Level><Status>1</Status>", "<Status>2</Status>",
    "<Reservable>true</Reservable>", "<startRecord>3</startRecord><numStations>4</numStations>",
    "<Country>Canada</Country>", "<companyID>{company}</companyID>",
    "<stationActivationDate>2023-06-01T00:00:00</stationActivationDate>",
    "<Pricing><Duration>2</Duration><startTime>09:00:00</startTime>"
    "<energyRequired>10</energyRequired></Pricing>",
]  # fmt: skip
SEARCH_OPS = ("getStations", "getStationStatus", "getPublicStations", "getPublicStationStatus",
              "getCustomGroupStations")  # fmt: skip
PER_TENANT = (
    "<urn:getAlarms><searchQuery/></urn:getAlarms>",
    "<urn:getTransactionData><searchQuery/></urn:getTransactionData>",
    "<urn:getLoad><searchQuery><sgID>1000</sgID></searchQuery></urn:getLoad>",
    "<urn:getLoad><searchQuery><sgID>2000</sgID></searchQuery></urn:getLoad>",
    "<urn:getStationGroups><searchQuery/></urn:getStationGroups>",
    "<urn:getStationRights><searchQuery/></urn:getStationRights>",
    "<urn:getOrgsAndStationGroups><searchQuery/></urn:getOrgsAndStationGroups>",
)
SOAP = "/webservices/chargepoint/services/5.1"


def main(root: Path, out: Path) -> None:  # noqa: PLR0915  (one linear script)
    sys.path.insert(0, str(root))
    from sqlalchemy import select
    from werkzeug.test import Client

    from mockcp.app import create_app
    from mockcp.config import Settings
    from mockcp.db.models import Organization, Station, StationGroup
    from mockcp.domain.tenants import list_tenants
    from tests.conftest import START
    from tests.soap.envelopes import guide_style
    from tests.soap.test_lean_path import recorded_requests

    results: list[tuple[str, str, int, str, int]] = []

    def world(fixture: str):  # type: ignore[no-untyped-def]
        app = create_app(Settings(database_url="sqlite://", fixture=fixture,
                                  clock_mode="frozen", clock_start=START))  # fmt: skip
        with app.sessions() as db:
            return app, list_tenants(db)

    def run(app: object, recorded: list[tuple[str, bytes]]) -> None:
        client = Client(app)  # type: ignore[arg-type]
        for path, body in recorded:
            reply = client.post(path, data=body)
            data = reply.get_data()
            results.append((path, hashlib.sha1(body).hexdigest()[:10], reply.status_code,
                            hashlib.sha256(data).hexdigest(), len(data)))  # fmt: skip

    app, tenants = world("minimal")
    run(app, recorded_requests(tenants))
    fixture = Path(tempfile.mkdtemp()) / "five.yaml"
    fixture.write_text(FIXTURE)
    app, tenants = world(str(fixture))
    facts = {}
    with app.sessions() as db:
        for tenant in tenants:
            org = db.scalars(select(Organization).where(Organization.org_id == tenant.org_id)).one()
            station = db.scalars(
                select(Station).where(Station.org_pk == org.id).order_by(Station.id)
            ).first()
            group = db.scalars(
                select(StationGroup).where(StationGroup.org_pk == org.id)
                .order_by(StationGroup.id.desc())
            ).first()  # fmt: skip
            assert station is not None and group is not None
            facts[tenant.org_id] = {
                "postal": station.postal_code, "street": station.address, "name": station.name,
                "org": tenant.org_id, "orgname": org.name, "sg": group.id, "sgname": group.name,
                "sid": station.station_id, "company": org.company_id,
            }  # fmt: skip
    recorded = []
    for tenant in tenants:
        for named in facts.values():
            for op in SEARCH_OPS:
                for search in SEARCHES:
                    query = search.format(**named)
                    body = f"<urn:{op}><searchQuery>{query}</searchQuery></urn:{op}>"
                    recorded.append((SOAP, guide_style(tenant.license_key, tenant.password, body)))
        for body in PER_TENANT:
            recorded.append((SOAP, guide_style(tenant.license_key, tenant.password, body)))
    run(app, recorded)
    out.write_text("\n".join(json.dumps(r) for r in results) + "\n")
    print(f"{len(results)} answers, {sum(r[2] == 200 for r in results)} with status 200")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
