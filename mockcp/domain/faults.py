"""getStationActiveFaults: the current faults of up to 100 stations, from the data.

A port with a ``fault_reason`` is an active fault of its station. FIDELITY: ChargePoint's
fault codes, severities and remedies are not public; mockcp uses a small vocabulary of
its own (``FAULTS``) keyed by the real fault names, and one FRU (the port's head) per fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mockcp.codes import ResponseCode
from mockcp.db.models import Port, Station
from mockcp.domain.principal import Principal
from mockcp.domain.realm import check_station_id, realm_of
from mockcp.errors import CPError

# name -> (code, severity, remedy)
FAULTS = {
    "hardware fault station out of service": ("HW-001", "Critical", "Dispatch a technician"),
    "gfci trip": ("GF-001", "Major", "Reset the GFCI and inspect the cable"),
    "pilot unreachable (18)": ("PL-018", "Major", "Power-cycle the station"),
    "station unreachable": ("NW-001", "Major", "Check the station's network connection"),
}
UNKNOWN_FAULT = ("GEN-000", "Minor", "Contact ChargePoint support")


@dataclass(frozen=True, slots=True)
class ActiveFault:
    code: str
    name: str
    time: datetime | None
    severity: str
    remedy: str
    station: Station
    port: Port


@dataclass(frozen=True, slots=True)
class StationFaults:
    station_id: str
    faults: tuple[ActiveFault, ...]


def active_faults(db: Session, principal: Principal, station_ids: list[str]) -> list[StationFaults]:
    """Each requested station with its active faults, in request order.

    Raises: 152 malformed station ID; 119 unknown station; 131 station outside the realm.
    """
    realm = realm_of(db, principal)
    wanted = [check_station_id(station_id) for station_id in station_ids]
    found = {
        s.station_id: s
        for s in db.scalars(
            select(Station)
            .options(selectinload(Station.ports))
            .where(Station.station_id.in_(wanted))
        )
    }
    result = []
    for station_id in wanted:
        station = found.get(station_id)
        if station is None:
            raise CPError(ResponseCode.INVALID_STATION_ID)
        if station.id not in realm.station_pks:
            raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
        result.append(StationFaults(station_id, tuple(_faults(station))))
    return result


def _faults(station: Station) -> list[ActiveFault]:
    faults = []
    for port in station.ports:
        if port.fault_reason:
            code, severity, remedy = FAULTS.get(port.fault_reason.lower(), UNKNOWN_FAULT)
            time = port.status_time or station.last_communication
            faults.append(
                ActiveFault(code, port.fault_reason, time, severity, remedy, station, port)
            )
    return faults
