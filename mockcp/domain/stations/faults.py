"""getStationActiveFaults: the current faults of up to 100 stations, at the clock's now.

What the world has made true at now, read the way the alarms are (the simulation is
brought up to now first):

- a port with a ``fault_reason`` (the fixture's out-of-service ports);
- an Unreachable station (the fixture's offline stations, and a simulated connectivity drop
  until its Reachable alarm), since the drop's Unreachable alarm;
- a power loss: from a Powered Off alarm until the station's "Bootup Due to POWER ON";
- a tripped port: from a GFCI Soft Trip alarm until that port's "Fault Cleared".

clearAlarms moves alarms to history but repairs nothing: faults follow the alarms' times,
whether cleared or not. FIDELITY: ChargePoint's fault codes, severities and remedies are not
public; mockcp uses a small vocabulary of its own (``FAULTS``) keyed by the real fault and
alarm names, with one FRU per fault (the port's head, or the station for station faults).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mockcp.codes import ResponseCode
from mockcp.db.activity import Alarm
from mockcp.db.models import Port, Station
from mockcp.domain.context import World
from mockcp.domain.realm import check_station_id
from mockcp.errors import CPError

# name -> (code, severity, remedy)
FAULTS = {
    "hardware fault station out of service": ("HW-001", "Critical", "Dispatch a technician"),
    "gfci trip": ("GF-001", "Major", "Reset the GFCI and inspect the cable"),
    "pilot unreachable (18)": ("PL-018", "Major", "Power-cycle the station"),
    "station unreachable": ("NW-001", "Major", "Check the station's network connection"),
    "powered off": ("PW-001", "Critical", "Check the site's power supply and breaker"),
    "gfci soft trip": ("GF-002", "Major", "The station retries; inspect the vehicle's cable"),
}
# alarm that raises a fault -> the alarm that ends it (sim/model/alarms.py pairs them)
ENDED_BY = {"Powered Off": "Bootup Due to POWER ON", "GFCI Soft Trip": "Fault Cleared"}
LOOKBACK = timedelta(days=2)  # longer than any simulated outage
UNKNOWN_FAULT = ("GEN-000", "Minor", "Contact ChargePoint support")


@dataclass(frozen=True, slots=True)
class ActiveFault:
    code: str
    name: str
    time: datetime | None
    severity: str
    remedy: str
    station: Station
    port: Port | None  # None: a fault of the whole station


@dataclass(frozen=True, slots=True)
class StationFaults:
    station_id: str
    faults: tuple[ActiveFault, ...]


def active_faults(world: World, station_ids: list[str]) -> list[StationFaults]:
    """Each requested station with its active faults at ``now``, in request order.

    Raises: 152 malformed station ID; 119 unknown station; 131 station outside the realm.
    """
    db, now = world.db, world.now
    world.ensure_simulated()
    realm = world.realm
    wanted = [check_station_id(station_id) for station_id in station_ids]
    found = {
        s.station_id: s
        for s in db.scalars(
            select(Station)
            .options(selectinload(Station.ports))
            .where(Station.station_id.in_(wanted))
        )
    }
    for station_id in wanted:
        station = found.get(station_id)
        if station is None:
            raise CPError(ResponseCode.INVALID_STATION_ID)
        if station.id not in realm.station_pks:
            raise CPError(ResponseCode.STATIONS_OUTSIDE_REALM)
    raised = _raised(db, [s.id for s in found.values()], now)
    return [
        StationFaults(station_id, tuple(_faults(found[station_id], raised)))
        for station_id in wanted
    ]


Raised = dict[tuple[int, int | None, str], datetime]  # (station, port, alarm) -> since


def _raised(db: Session, station_pks: list[int], now: datetime) -> Raised:
    """The alarms that raised a fault not yet ended at ``now``, with when they were raised."""
    watched = ["Unreachable", "Reachable", *ENDED_BY, *ENDED_BY.values()]
    ends = {end: start for start, end in ENDED_BY.items()} | {"Reachable": "Unreachable"}
    open_: Raised = {}
    for alarm in db.scalars(
        select(Alarm)
        .where(Alarm.station_pk.in_(station_pks), Alarm.alarm_type.in_(watched))
        .where(Alarm.alarm_time <= now, Alarm.alarm_time > now - LOOKBACK)
        .order_by(Alarm.alarm_time, Alarm.id)
    ):
        key = (alarm.station_pk, alarm.port_number)
        if alarm.alarm_type in ends:
            open_.pop((*key, ends[alarm.alarm_type]), None)
        else:
            open_[(*key, alarm.alarm_type)] = alarm.alarm_time
    return open_


def _fault(name: str, time: datetime | None, station: Station, port: Port | None) -> ActiveFault:
    code, severity, remedy = FAULTS.get(name.lower(), UNKNOWN_FAULT)
    return ActiveFault(code, name, time, severity, remedy, station, port)


def _faults(station: Station, raised: Raised) -> list[ActiveFault]:
    faults = []
    if station.network_status.lower() == "unreachable":
        since = raised.get((station.id, None, "Unreachable"), station.last_communication)
        faults.append(_fault("Station Unreachable", since, station, None))
    power_lost = raised.get((station.id, None, "Powered Off"))
    if power_lost is not None:
        faults.append(_fault("Powered Off", power_lost, station, None))
    for port in station.ports:
        if port.fault_reason:
            time = port.status_time or station.last_communication
            faults.append(_fault(port.fault_reason, time, station, port))
        trip = raised.get((station.id, port.port_number, "GFCI Soft Trip"))
        if trip is not None:
            faults.append(_fault("GFCI Soft Trip", trip, station, port))
    return faults
