"""Fixtures and the seeded world builder: what the worlds hold, and determinism."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mockcp.db.engine import create_schema, make_engine, make_sessionmaker
from mockcp.db.models import (
    Base,
    CpnInstance,
    Organization,
    Port,
    RightsGrant,
    Station,
    StationGroup,
)
from mockcp.db.people import Driver, Fleet, FleetVehicle
from mockcp.seed.builder import WorldBuilder
from mockcp.seed.loader import FIXTURES, FixtureError
from mockcp.seed.world import load_world, resolve

EPOCH = datetime(2024, 3, 12, 17, 0, tzinfo=UTC)


def loaded(fixture: str, seed: int | None = None) -> Session:
    engine = make_engine("sqlite://")
    create_schema(engine)
    db = make_sessionmaker(engine)()
    load_world(db, fixture, seed, EPOCH)
    db.commit()
    return db


def count(db: Session, model: type[Base]) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def dump(db: Session) -> str:
    """Every row of every table, in key order: the world as bytes."""
    tables: dict[str, Any] = {}
    for table in Base.metadata.sorted_tables:
        rows = db.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
        tables[table.name] = [dict(row) for row in rows]
    return json.dumps(tables, sort_keys=True, default=str)


def test_minimal_world_holds_what_its_file_says() -> None:
    db = loaded("minimal")
    assert count(db, Organization) == 2
    assert count(db, Station) == 5
    assert count(db, Port) == 8
    assert count(db, StationGroup) == 4
    assert count(db, RightsGrant) == 2
    assert count(db, Fleet) == 1
    assert count(db, FleetVehicle) == 2
    assert count(db, Driver) == 3
    child = db.get(StationGroup, 1002)
    assert child is not None and child.parent_id == 1001


def test_minimal_world_station_fields_from_fixture() -> None:
    db = loaded("minimal")
    station = db.scalars(select(Station).where(Station.station_id == "1:10001")).one()
    assert (station.model, station.city, station.mac_address) == (
        "CT4020-HD-GW",
        "Boulder",
        "000D:6F00:0154:F101",
    )
    assert [(p.port_number, p.level, p.power_kw) for p in station.ports] == [
        (1, "L2", 7.2),
        (2, "L2", 7.2),
    ]
    assert station.activation_date == datetime(2023, 2, 6, 17, 0, tzinfo=UTC)


def test_demo_world_meets_the_minimum_sizes() -> None:
    db = loaded("demo")
    assert count(db, Organization) >= 3
    assert count(db, Station) >= 60
    assert count(db, Port) >= 120
    cpns = db.scalars(select(Organization.cpn_id).distinct()).all()
    assert len(set(cpns)) >= 3
    assert count(db, CpnInstance) == 4


def test_demo_world_group_trees_are_two_levels_deep() -> None:
    db = loaded("demo")
    groups = {g.id: g for g in db.scalars(select(StationGroup))}

    def depth(group_id: int) -> int:
        parent = groups[group_id].parent_id
        return 0 if parent is None else 1 + depth(parent)

    assert max(depth(g) for g in groups) == 2


def test_demo_world_identifiers_look_real() -> None:
    db = loaded("demo")
    for station in db.scalars(select(Station)):
        assert station.station_id.split(":")[0] in {"1", "2", "4"}
        assert len(station.serial_number) == 12 and station.serial_number.isdigit()
        assert station.mac_address.startswith("000D:6F00:") and len(station.mac_address) == 19
        assert " / " in station.name and station.name.split(" / ")[0].isupper()
        assert -90 <= station.latitude <= 90 and -180 <= station.longitude <= 180


def test_demo_world_same_seed_same_bytes() -> None:
    assert dump(loaded("demo", 7)) == dump(loaded("demo", 7))


def test_demo_world_other_seed_other_world() -> None:
    assert dump(loaded("demo", 7)) != dump(loaded("demo", 8))


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32), drivers=st.integers(min_value=1, max_value=20)
)
def test_builder_per_entity_seeds_keep_stations_independent_of_driver_count(
    seed: int, drivers: int
) -> None:
    params = yaml.safe_load((FIXTURES / "demo.yaml").read_text())
    baseline = WorldBuilder(seed, params).build()["stations"]
    changed = WorldBuilder(seed, {**params, "drivers_per_org": drivers}).build()["stations"]
    assert changed == baseline


def test_fixture_path_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text("cpn_instances:\n  - {id: 9, name: XX, description: Test network}\n")
    assert resolve(str(path), None)["cpn_instances"][0]["name"] == "XX"


def test_unknown_fixture_is_an_error() -> None:
    with pytest.raises(FixtureError, match="no fixture named or at 'nowhere'"):
        resolve("nowhere", None)
