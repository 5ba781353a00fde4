"""The one ID scheme: every identifier mockcp computes (rather than takes from the store's
autoincrement) is made here, by one function each, from stable inputs only.

- sessionID: ``100_000_000 + port pk x 100_000 + the port's session number`` (9-10 digits);
- transactionID of a session: its sessionID + 7e9 (domain/sessions/transactions.py);
- a reservation's transactionID: 2e10 + 2 x sessionID, its usage addendum's one more;
- a cancelled reservation's: 5e10 + port pk x 1e5 + the local day's ordinal mod 1e5;
- fleetVehicleID: 20,000 + fleet index x 100 + number for a seeded vehicle, 500,000 + its row
  id for one added by addFleetVehicle (numeric, as guide 10.4.5 prints 1:7890).

The families do not overlap while a world has fewer than ``MAX_PORTS`` ports and a port fewer
than ``PORT_SPAN`` sessions (tests/sim/test_ids.py). Alarm, cap and journal IDs are the store's
own row ids.
"""

from __future__ import annotations

from datetime import date

PORT_SPAN = 100_000  # session numbers per port, and cancellation days per port
MAX_PORTS = 99_000  # port pks below this keep sessionIDs at 9-10 digits
SESSION_IDS = 100_000_000
TRANSACTION_OFFSET = 7_000_000_000  # transactionID = sessionID + TRANSACTION_OFFSET
RESERVATION_IDS = 20_000_000_000
ADDENDUM_BASE = RESERVATION_IDS + 1  # addendum_id(s) == 2 * s + ADDENDUM_BASE (the SQL form)
CANCEL_IDS = 50_000_000_000
SEEDED_VEHICLE_IDS = 20_000
ADDED_VEHICLE_IDS = 500_000


def session_id(port_pk: int, sequence: int) -> int:
    """A 9-10 digit sessionID, stable for the n-th session of a port."""
    return SESSION_IDS + port_pk * PORT_SPAN + sequence


def session_transaction_id(session: int) -> int:
    """The transactionID of a session's own (charging) transaction."""
    return session + TRANSACTION_OFFSET


def transaction_session(transaction_id: int) -> int:
    """The sessionID whose own transaction is ``transaction_id``."""
    return transaction_id - TRANSACTION_OFFSET


def reservation_id(session: int) -> int:
    """The transactionID of the reservation behind a session."""
    return RESERVATION_IDS + 2 * session


def addendum_id(session: int) -> int:
    """The transactionID of a reserved session's usage addendum."""
    return reservation_id(session) + 1


def addendum_session(transaction_id: int) -> int | None:
    """The sessionID whose usage addendum has ``transaction_id``, if it is one."""
    offset = transaction_id - RESERVATION_IDS
    if offset < 0 or transaction_id >= CANCEL_IDS or offset % 2 != 1:
        return None
    return offset // 2


def reservation_session(transaction_id: int) -> int:
    """The sessionID a reservation's transactionID was made from."""
    return (transaction_id - RESERVATION_IDS) // 2


def cancel_id(port_pk: int, day: date) -> int:
    """The transactionID of a reservation cancelled at a port on a local day."""
    return CANCEL_IDS + port_pk * PORT_SPAN + day.toordinal() % PORT_SPAN


def seeded_vehicle_id(fleet_index: int, number: int) -> str:
    """The fleetVehicleID of the ``number``-th vehicle of the ``fleet_index``-th seeded fleet."""
    return str(SEEDED_VEHICLE_IDS + fleet_index * 100 + number)


def added_vehicle_id(row_id: int) -> str:
    """The fleetVehicleID of a vehicle added by addFleetVehicle (its store row id)."""
    return str(ADDED_VEHICLE_IDS + row_id)
