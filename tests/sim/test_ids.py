"""The one ID scheme (sim/model/ids.py): every computed ID is a pure function of stable inputs,
distinct inputs give distinct IDs, the families never meet, and each inverse undoes its ID."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mockcp.sim.model import ids

PORTS = st.integers(1, ids.MAX_PORTS - 1)
SEQUENCES = st.integers(0, ids.PORT_SPAN - 1)
DAYS = st.dates(date(2000, 1, 1), date(2200, 12, 31))


def _families(port: int, sequence: int, day: date) -> dict[str, int]:
    session = ids.session_id(port, sequence)
    return {
        "session": ids.session_transaction_id(session),
        "reservation": ids.reservation_id(session),
        "addendum": ids.addendum_id(session),
        "cancel": ids.cancel_id(port, day),
    }


@given(st.tuples(PORTS, SEQUENCES), st.tuples(PORTS, SEQUENCES))
def test_session_ids_are_distinct_for_distinct_sessions(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    assert (ids.session_id(*a) == ids.session_id(*b)) == (a == b)
    assert 9 <= len(str(ids.session_id(*a))) <= 10


@given(PORTS, SEQUENCES, DAYS, PORTS, SEQUENCES, DAYS)
def test_transaction_families_never_meet(
    port: int, sequence: int, day: date, port2: int, sequence2: int, day2: date
) -> None:
    one, two = _families(port, sequence, day), _families(port2, sequence2, day2)
    for kind, value in one.items():
        for other, value2 in two.items():
            if kind != other:
                assert value != value2, (kind, other)
    if (port, sequence) != (port2, sequence2):
        assert all(one[k] != two[k] for k in ("session", "reservation", "addendum"))
    if (port, day) != (port2, day2) and abs((day - day2).days) < ids.PORT_SPAN:
        assert one["cancel"] != two["cancel"]


@given(PORTS, SEQUENCES)
def test_each_inverse_undoes_its_id(port: int, sequence: int) -> None:
    session = ids.session_id(port, sequence)
    assert ids.transaction_session(ids.session_transaction_id(session)) == session
    assert ids.reservation_session(ids.reservation_id(session)) == session
    assert ids.addendum_session(ids.addendum_id(session)) == session
    assert ids.addendum_id(session) == 2 * session + ids.ADDENDUM_BASE  # the SQL form
    assert ids.addendum_session(ids.reservation_id(session)) is None
    assert ids.addendum_session(ids.session_transaction_id(session)) is None


@given(st.integers(1, 4000), st.integers(1, 99), st.integers(1, 10**6))
def test_vehicle_ids_never_meet(fleet: int, number: int, row: int) -> None:
    seeded = ids.seeded_vehicle_id(fleet, number)
    assert seeded.isdigit() and ids.added_vehicle_id(row).isdigit()
    assert seeded != ids.added_vehicle_id(row)
    assert seeded == ids.seeded_vehicle_id(fleet, number)  # no hidden state
    if number < 99:
        assert ids.seeded_vehicle_id(fleet, number + 1) != seeded
    assert ids.seeded_vehicle_id(fleet + 1, number) != seeded
