"""Realm isolation on the demo world: each organisation sees exactly what it owns or was
granted, through every station and group operation; the expected realm is computed here,
independently, from the builder's world description."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import zeep

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.seed.world import resolve
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.images import fresh_world


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockChargePoint]:
    # the demo world copied from the run's built image (frozen at START: the realm is the
    # same at any instant)
    with MockChargePoint(fresh_world(tmp_path_factory, "demo", START), ManualClock(START)) as mock:
        yield mock


def expected_realm(world: dict[str, Any], org_id: str) -> tuple[set[str], set[int]]:
    groups = {g["id"]: g for g in world["groups"]}

    def subtree(root: int) -> set[int]:
        found = {root}
        for gid, group in groups.items():
            if group.get("parent") in found - {gid}:
                found |= subtree(gid)
        return found

    visible = {gid for gid, g in groups.items() if g["org"] == org_id}
    stations = {s["station_id"] for s in world["stations"] if s["org"] == org_id}
    for grant in world["rights"]:
        if grant["grantee"] != org_id:
            continue
        if "group" in grant:
            visible |= subtree(grant["group"])
        if "station" in grant:
            stations.add(grant["station"])
    stations |= {s["station_id"] for s in world["stations"] if visible & set(s["groups"])}
    return stations, visible


def all_pages(call: Any, flag: str = "moreFlag") -> list[Any]:
    rows, start = [], 1
    while True:
        reply = call(start)
        assert reply.responseCode == "100", reply.responseText
        batch = list(reply.stationData if hasattr(reply, "stationData") else reply.rightsData)
        rows.extend(batch)
        if getattr(reply, flag) != 1:
            return rows
        start += len(batch)


def test_every_organisation_sees_exactly_its_realm(demo: MockChargePoint) -> None:
    world = resolve("demo", demo.settings.root_seed)
    tenants = demo.tenants()
    assert len(tenants) == 4
    for tenant in tenants:
        stations, groups = expected_realm(world, tenant.org_id)
        client: zeep.Client = demo.client(tenant)
        found = all_pages(
            lambda s, c=client: c.service.getStations(
                searchQuery={"startRecord": s, "numStations": 7}
            )
        )
        assert {row.stationID for row in found} == stations
        status = all_pages(
            lambda s, c=client: c.service.getStationStatus(searchQuery={"startRecord": s})
        )
        assert {row.stationID for row in status} == stations
        rights = all_pages(
            lambda s, c=client: c.service.getStationRights(searchQuery={"startRecord": s})
        )
        assert {row.stationID for data in rights for row in data.stationData} == stations
        orgs = client.service.getOrgsAndStationGroups(searchQuery={}).orgData
        assert {g.sgID for org in orgs for g in org.sgData} == groups


def test_ungranted_stations_of_others_are_refused(demo: MockChargePoint) -> None:
    world = resolve("demo", demo.settings.root_seed)
    tenant = demo.tenants()[0]
    mine, groups = expected_realm(world, tenant.org_id)
    others = sorted({s["station_id"] for s in world["stations"]} - mine)[:5]
    foreign_groups = sorted({g["id"] for g in world["groups"]} - groups)[:3]
    assert others and foreign_groups
    client = demo.client(tenant)
    code = ResponseCode.STATIONS_OUTSIDE_REALM
    for station_id in others:
        for reply in (
            client.service.getStations(searchQuery={"stationID": station_id}),
            client.service.getStationStatus(searchQuery={"stationID": station_id}),
            client.service.getStationRights(searchQuery={"stationID": station_id}),
            client.service.getStationActiveFaults(
                searchQuery={"stationIDs": {"stationID": [station_id]}}
            ),
        ):
            assert (reply.responseCode, reply.responseText) == (code.code, code.text)
    for sg_id in foreign_groups:
        reply = client.service.getStationGroupDetails(sgID=sg_id)
        assert reply.responseCode == ResponseCode.OWN_STATION_GROUP_ONLY.code
        assert reply.stationData == []


def test_mode_filter_finds_the_eu_stations_of_that_mode(demo: MockChargePoint) -> None:
    world = resolve("demo", demo.settings.root_seed)
    tenant = demo.tenants()[2]
    assert tenant.org_id.startswith("2:")
    mine, _ = expected_realm(world, tenant.org_id)
    expected = {
        s["station_id"]
        for s in world["stations"]
        if s["station_id"] in mine and any(p["mode"] == "4" for p in s["ports"])
    }
    assert expected
    reply = demo.client(tenant).service.getStations(searchQuery={"Mode": "4"})
    assert {row.stationID for row in reply.stationData} == expected
    assert all(
        port.Mode == "4" and port.Level is None for row in reply.stationData for port in row.Port
    )
