"""What getFleetUsageData prints beyond the session (guide 10.5.3), consistent per vehicle.

Guide 10.5.3 lists ``fraudDetectionStatus``, ``fleetCustomerID``, ``Odometer``,
``paymentID``, ``paymentSourceAccount`` and ``paymentType``; the WSDL adds ``ID``. The
store keeps none of them, so each is derived, the same on every call, from the vehicle
(its seeded payment source, its telematics odometer) and the session:

- ``paymentType`` one of the guide's funding sources (10.4.2, 10.5.3), fixed per vehicle;
  ``paymentID`` only for the ChargePoint Fuel Card ("If using the ChargePoint Fuel Card
  service"), ``paymentSourceAccount`` the last 4 digits of a card (none for PayPal);
- ``Odometer`` only for a vehicle with a connected telematics integration ("If telematics
  integration is done with the fleet"): miles at the session's start, growing with time;
- ``fraudDetectionStatus`` for a telematics-connected vehicle ``Fraud Detected`` when the
  session put more energy into the vehicle than its battery holds (the card was used for
  another car), else ``Session Validated``; ``Unknown (not enabled)`` without telematics
  (sample 10.5.5); a session with no fee is paid ``Free`` (sample 10.5.5);
- ``fleetCustomerID`` the fleet's own customer code; ``ID`` the charging session's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mockcp.db.activity import ChargingSession
from mockcp.db.people import Fleet, FleetVehicle
from mockcp.rng import for_entity

# Guide 10.4.2 / 10.5.3 "Voyager, WEX, ChargePoint Fuel Card, Credit Card, PayPal", with the
# shares mockcp draws them in (fleet cards dominate fleets; no public figure exists).
PAYMENT_TYPES = (
    ("ChargePoint Fuel Card", 35),
    ("WEX", 25),
    ("Voyager", 20),
    ("Credit Card", 15),
    ("PayPal", 5),
)
VALIDATED, FRAUD = "Session Validated", "Fraud Detected"
NOT_ENABLED = "Unknown (not enabled)"  # sample 10.5.5, a fleet without fraud detection
FREE = "Free"  # sample 10.5.5: <Fee>0</Fee> ... <paymentType>Free</paymentType>


@dataclass(frozen=True, slots=True)
class Payment:
    type: str
    payment_id: str | None
    source_account: str | None


def payment_of(root_seed: int, vehicle: FleetVehicle, fee: float = 1.0) -> Payment:
    """The vehicle's funding source (the same on every call); nothing to pay: Free."""
    if fee <= 0:
        return Payment(FREE, None, None)
    rng = for_entity(root_seed, "fleet-payment", vehicle.fleet_vehicle_id)
    names = [name for name, _ in PAYMENT_TYPES]
    kind = rng.choices(names, weights=[weight for _, weight in PAYMENT_TYPES])[0]
    digits = "".join(rng.choice("0123456789") for _ in range(16))
    payment_id = f"CPFC{digits[:12]}" if kind == "ChargePoint Fuel Card" else None
    return Payment(kind, payment_id, None if kind == "PayPal" else digits[-4:])


def _utc(instant: datetime) -> datetime:
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def odometer_at(root_seed: int, vehicle: FleetVehicle, at: datetime) -> float | None:
    """Miles on the vehicle's odometer at ``at`` (telematics connected only)."""
    if (vehicle.telematics_status or "").lower() != "connected":
        return None
    rng = for_entity(root_seed, "odometer", vehicle.fleet_vehicle_id)
    base, per_day = rng.uniform(3_000, 40_000), rng.uniform(25, 90)
    days = max((_utc(at) - _utc(vehicle.created_at)).total_seconds() / 86_400, 0.0)
    return round(base + per_day * days, 1)


def fraud_status(session: ChargingSession, vehicle: FleetVehicle) -> str:
    """Fraud detection compares the session with the vehicle's telematics: without a
    connected integration it is not enabled (sample 10.5.5)."""
    if (vehicle.telematics_status or "").lower() != "connected":
        return NOT_ENABLED
    return FRAUD if session.energy_kwh > vehicle.battery_kwh else VALIDATED


def customer_id(fleet: Fleet) -> str:
    """The fleet's customer code, in the guide sample's form (``CUST12345``)."""
    return f"CUST{fleet.id:05d}"
