"""Stations read as plain rows (issue 18) hold what the ORM objects held.

``domain/stations/rows.py`` reads the realm's stations and their ports with Core selects
into named tuples; code that read ``Station``/``Port`` objects reads these alike, so each
row must carry every column under the ORM attribute's name, with the same values, and the
ports in ``Station.ports`` order. Checked on a world of five organisations with two sites
each, for realms, random station sets (both sides of the IN-list bound) and public stations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.db.models import Port, Station
from mockcp.domain.stations import rows
from mockcp.domain.stations.rows import PortRow, StationRow, public_stations, stations_among
from mockcp.seed.builder import WorldBuilder
from tests.domain.test_stations import world

PARAMS: dict[str, Any] = {
    "history_days": 1,
    "stations_per_site": 3,
    "sites_per_org": 2,
    "drivers_per_org": 1,
    "vehicles_per_fleet": 1,
    "organizations": [
        {"cpn": 1, "locale": "en_US", "metros": ["Boulder", "Denver"]},
        {"cpn": 2, "locale": "nl_NL", "metros": ["Amsterdam", "Utrecht"]},
        {"cpn": 4, "locale": "en_CA", "metros": ["Vancouver", "Toronto"]},
    ],
}


def as_row(station: Station) -> StationRow:
    """The row an ORM station reads as: every column, its ports in port order."""
    ports = tuple(PortRow._make(getattr(p, n) for n in PortRow._fields) for p in station.ports)
    columns = (getattr(station, n) for n in StationRow._fields if n != "ports")
    return StationRow._make((*columns, ports))


@pytest.fixture(scope="module")
def db() -> Iterator[Session]:
    with world(WorldBuilder(11, PARAMS).build()) as session:
        yield session


def test_a_row_has_every_column_of_its_table() -> None:
    assert set(StationRow._fields) == {c.key for c in Station.__mapper__.column_attrs} | {"ports"}
    assert set(PortRow._fields) == {c.key for c in Port.__mapper__.column_attrs}


@settings(max_examples=15, deadline=None)
@given(data=st.data(), in_list_limit=st.sampled_from([0, 3, 2000]))
def test_rows_read_as_the_orm_objects(db: Session, data: st.DataObject, in_list_limit: int) -> None:
    every = db.scalars(select(Station).order_by(Station.id)).all()
    pks = data.draw(st.frozensets(st.sampled_from([s.id for s in every]) | st.just(10**6)))
    bound = rows.IN_LIST_LIMIT
    rows.IN_LIST_LIMIT = in_list_limit  # both the IN list and the whole read
    try:
        found = stations_among(db, pks)
    finally:
        rows.IN_LIST_LIMIT = bound
    assert found == [as_row(s) for s in every if s.id in pks]
    assert all(isinstance(p, PortRow) for s in found for p in s.ports)


def test_public_rows_are_the_public_stations(db: Session) -> None:
    public = db.scalars(select(Station).where(Station.is_public.is_(True)).order_by(Station.id))
    expected = [as_row(s) for s in public]
    assert expected and public_stations(db) == expected
    assert any(len(s.ports) > 1 for s in expected)  # port order is compared too
