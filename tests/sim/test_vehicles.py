"""The one vehicle catalogue (sim/model/vehicles.py): lookups by model year, and every user's
figures are the catalogue's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mockcp.sim.model.vehicles import (
    CATALOGUE,
    FLEET_MODELS,
    LAST_YEAR,
    PUBLIC_MIX,
    VehicleModel,
    find,
    spec,
)


def test_each_generation_is_listed_once() -> None:
    keys = [(row.make.lower(), row.model.lower(), row.since) for row in CATALOGUE]
    assert len(keys) == len(set(keys))


def test_the_bolt_ev_has_one_battery() -> None:
    assert {row.battery_kwh for row in CATALOGUE if row.model == "Bolt EV"} == {66.0}
    assert [car.battery_kwh for car in PUBLIC_MIX if car.model == "Bolt EV"] == [66.0]


def test_the_leaf_generation_follows_the_model_year() -> None:
    old, new = find("Nissan", "Leaf", 2017), find("nissan ", " LEAF", 2018)
    assert old is not None and new is not None
    assert (old.battery_kwh, old.ac_kw, new.battery_kwh, new.ac_kw) == (30.0, 3.3, 40.0, 6.6)
    assert find("Nissan", "Leaf", 2010) is None
    assert find("Nissan", "Leaf", LAST_YEAR + 1) is None
    assert find("Nissan", "Leafy", 2020) is None


def test_a_seeded_year_before_the_first_generation_gets_the_first() -> None:
    assert spec("Ford", "E-Transit", 2019) == find("Ford", "E-Transit", 2022)


def test_public_and_fleet_cars_read_the_catalogue() -> None:
    for car in PUBLIC_MIX:
        row = find(car.make, car.model, int(car.year))
        assert row is not None
        assert (car.kind, car.ac_kw, car.dc_kw, car.battery_kwh) == (
            row.kind, row.ac_kw, row.dc_kw, row.battery_kwh,
        )
    assert all(find(make, model, 2024) is not None for make, model in FLEET_MODELS)


@given(st.sampled_from(CATALOGUE), st.integers(1990, LAST_YEAR + 5))
def test_find_is_the_newest_generation_built_by_then(row: VehicleModel, year: int) -> None:
    found = find(row.make, row.model, year)
    same = [r for r in CATALOGUE if (r.make, r.model) == (row.make, row.model)]
    if year > LAST_YEAR or year < min(r.since for r in same):
        assert found is None
    else:
        assert found == max((r for r in same if r.since <= year), key=lambda r: r.since)
