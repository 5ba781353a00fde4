"""``mockcp realism``: simulate a public Level-2 fleet, read it back through SOAP, and compare it
with the Boulder reference statistics (domain.md section 7)."""

from __future__ import annotations

import csv
import json
import math
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
import zeep

from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.domain.fleets.savings import gasoline_gallons, ghg_kg
from mockcp.realism_checks import REQUIRED, Check, Measured, Row, Savings, checks
from mockcp.sim.model.vehicles import spec
from mockcp.testing import MockChargePoint

START = datetime(2019, 9, 1, 6, 0, tzinfo=UTC)
STATIONS = 40
OFFSET = timedelta(hours=-7)
EXPORT_COLUMNS = [
    "Station Name", "Start Date", "Total Duration (hh:mm:ss)", "Charging Time (hh:mm:ss)",
    "Energy (kWh)", "GHG Savings (kg)", "Gasoline Savings (gallons)", "Ended By", "Fee",
    "Port Type", "User ID",
]


def fleet_fixture(sessions: int) -> dict[str, Any]:
    """A city's public Level-2 fleet: 40 dual-port CT4000s, enough days for ``sessions``."""
    days = math.ceil(sessions / (STATIONS * 2 * 1.15)) + 2
    stations = [
        {"station_id": f"1:{70000 + n}", "org": "1:ORG09000", "groups": [9000],
         "name": f"CITY OF BOULDER / LOT {n:02d}", "model": "CT4020-HD-GW",
         "serial_number": f"1151100{n:05d}", "mac_address": f"000D:6F00:0155:{n:04X}",
         "address": f"{100 + n} Canyon Blvd", "city": "Boulder", "state": "Colorado",
         "country": "United States", "postal_code": "80302", "latitude": 40.015 + n * 0.001,
         "longitude": -105.27 - n * 0.001, "timezone_offset": "-07:00",
         "ports": [{"port_number": p, "connector": "J1772", "level": "L2",
                    "voltage": 208 if n % 4 == 0 else 240, "current": 30,
                    "power_kw": 6.2 if n % 4 == 0 else 7.2} for p in (1, 2)]}
        for n in range(STATIONS)
    ]
    drivers = [
        {"user_id": str(800000 + n), "first_name": "Driver", "last_name": f"{n}",
         "email": f"driver{n}@example.com",
         "connections": [{"org": "1:ORG09000", "status": "APPROVED"}], "cards": [f"CNCP9{n:09d}"]}
        for n in range(120)
    ]
    depot, vehicles = depot_parts()
    return {
        "history_days": days,
        "cpn_instances": [{"id": 1, "name": "USA", "description": "ChargePoint North America"}],
        "organizations": [{"org_id": "1:ORG09000", "name": "City of Boulder", "company_id": "9000",
                           "license_key": "realism" * 8, "password": "realism-password"},
                          {"org_id": "1:ORG09100", "name": "Boulder Fleet Services",
                           "company_id": "9100", "license_key": "depot" * 8,
                           "password": "depot-password"}],
        "groups": [{"id": 9000, "org": "1:ORG09000", "name": "Boulder - Public Charging"},
                   {"id": 9100, "org": "1:ORG09100", "name": "Boulder - Fleet Depot"}],
        "stations": stations + depot,
        "drivers": drivers,
        "fleets": [{"org": "1:ORG09100", "name": "Boulder Fleet", "depot_group": 9100,
                    "vehicles": vehicles}],
    }


DEPOT_PORTS = 6
LEAF_2019 = spec("Nissan", "Leaf", 2019)


def depot_parts() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A second organisation's fleet depot: its vehicles' sessions carry the savings columns
    of getFleetUsageData (check 16). Its own realm, so the public fleet's checks never see it."""
    stations = [
        {"station_id": f"1:{71000 + n}", "org": "1:ORG09100", "groups": [9100],
         "name": f"BOULDER FLEET / DEPOT {n:02d}", "model": "CT4010-HD-GW",
         "serial_number": f"1151200{n:05d}", "mac_address": f"000D:6F00:0156:{n:04X}",
         "address": "1739 Broadway", "city": "Boulder", "state": "Colorado",
         "country": "United States", "postal_code": "80302", "latitude": 40.02,
         "longitude": -105.28, "timezone_offset": "-07:00", "site_type": "fleet",
         "ports": [{"port_number": 1, "connector": "J1772", "level": "L2", "voltage": 240,
                    "current": 30, "power_kw": 7.2}]}
        for n in range(DEPOT_PORTS)
    ]
    vehicles = [
        {"fleet_vehicle_id": f"FV-9{n:03d}", "vehicle_id": f"CITY-{n:02d}",
         "vin": f"1N4AZ1CP0KC3{n:05d}", "license_plate": f"CO-CTY{n:03d}", "make": "Nissan",
         "model": "Leaf", "year": 2019, "battery_kwh": LEAF_2019.battery_kwh,
         "onboard_charger_kw": LEAF_2019.ac_kw,
         "cards": [f"CPFL9{n:09d}"]}
        for n in range(DEPOT_PORTS)
    ]
    return stations, vehicles


def _minutes(text: str) -> float:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 60 + minutes + seconds / 60


def read_rows(client: zeep.Client, **query: Any) -> Iterator[Any]:
    """Every finished session, through getChargingSessionData with startRecord paging."""
    start = 1
    while True:
        reply = client.service.getChargingSessionData(searchQuery={**query, "startRecord": start})
        if reply.responseCode != "100":
            return
        yield from (s for s in reply.ChargingSessionData if s.endTime is not None)
        if reply.MoreFlag != 1:
            return
        start += len(reply.ChargingSessionData)


def read_savings(client: zeep.Client) -> Iterator[Savings]:
    """The depot's sessions as getFleetUsageData reports them, with their savings columns."""
    start = 1
    while True:
        reply = client.service.getFleetUsageData(searchQuery={"startRecord": start})
        if reply.responseCode != "100":
            return
        for r in reply.fleetUsageData:
            yield Savings(r.startTime, r.Energy, r.gasolineSavings, r.ghgSavings)
        if reply.moreFlag != 1:
            return
        start += len(reply.fleetUsageData)


def as_row(session: Any, port_kw: float) -> Row:
    local = (session.startTime + OFFSET).replace(tzinfo=None)
    energy = float(session.Energy)
    return Row(
        station=session.stationName, start_local=local,
        connected_min=_minutes(session.totalSessionDuration),
        charging_min=_minutes(session.totalChargingDuration), energy_kwh=energy,
        ended_by=session.endedBy, user=session.userID, port_kw=port_kw,
        gasoline_gal=gasoline_gallons(energy), ghg_kg=ghg_kg(energy, session.startTime),
    )


def interval_checks(
    client: zeep.Client, sessions: list[Any], ports: dict[str, float]
) -> tuple[bool, bool, str]:
    """Checks 19 and 20 on a sample of sessions, through get15minChargingSessionData."""
    worst, ceiling_ok, checked = 0.0, True, 0
    for s in [s for s in sessions if float(s.Energy) > 0][::25][:80]:
        cumulative = client.service.get15minChargingSessionData(
            sessionID=s.sessionID
        ).fifteenminData
        deltas = client.service.get15minChargingSessionData(
            sessionID=s.sessionID, energyConsumedInterval=True
        ).fifteenminData
        worst = max(
            worst,
            abs(cumulative[-1].energyConsumed - s.Energy),
            abs(sum(d.energyConsumed for d in deltas) - s.Energy),
        )
        if cumulative[0].stationTime != s.startTime:
            worst = max(worst, 1.0)
        edges = [p.stationTime for p in cumulative[1:]] + [None]
        for point, delta, end in zip(cumulative, deltas, edges, strict=True):
            hours = ((end or point.stationTime) - point.stationTime).total_seconds() / 3600
            if end is not None:
                worst = max(
                    worst, abs(point.rollingPowerAvg * hours - delta.energyConsumed) - 0.0005
                )
            ceiling_ok &= point.rollingPowerAvg <= ports[s.stationID] + 1e-3
        checked += 1
    return worst <= 0.001, ceiling_ok, f"{checked} sessions, worst error {worst:.6f} kWh"


SHED_KW = 2.0


def shed_check(client: zeep.Client, clock: ManualClock) -> tuple[bool, str]:
    """Check 21: a 4-hour demand-response event on the whole fleet, read back afterwards.

    Every 15-minute interval inside the event (before the driver opted out, if they did)
    must peak at or under the event's kW; the opt-out share must stay within 0-25 %.
    """
    begins = START + timedelta(days=1, hours=10)  # Monday 16:00 UTC, 09:00 at the fleet
    minutes = 240
    ends = begins + timedelta(minutes=minutes)
    reply = client.service.createLoadShedEvent(
        shedEvent={"sgID": "9000", "eventStartTime": begins, "eventDuration": minutes,
                   "allowedLoadPerPort": SHED_KW}
    )
    if reply.responseCode != "100":
        return False, f"createLoadShedEvent answered {reply.responseCode}"
    clock.set(ends + timedelta(days=4))
    # toTimeStamp bounds the session's end (guide 6.1.2, docs/fidelity-clients.md): ask up to
    # two days after the event and keep the sessions that started before it ended.
    window = {"fromTimeStamp": begins - timedelta(days=1), "toTimeStamp": ends + timedelta(days=2)}
    affected, opted, over = 0, 0, 0
    for s in read_rows(client, **window):
        if float(s.Energy) <= 0 or s.endTime <= begins or s.startTime >= ends:
            continue
        data = client.service.get15minChargingSessionData(sessionID=s.sessionID).fifteenminData
        edges = [p.stationTime for p in data[1:]] + [s.endTime]
        stop = min(ends, s.driverOptOutTimestamp or ends)
        inside = [p for p, end in zip(data, edges, strict=True)
                  if p.stationTime >= begins and end <= stop]
        if not inside and not s.driverOptedOut:
            continue
        affected += 1
        opted += bool(s.driverOptedOut)
        over += sum(1 for p in inside if p.peakPower > SHED_KW + 1e-6)
    share = opted / affected if affected else 0.0
    ok = affected > 0 and over == 0 and share <= 0.25
    return ok, f"{affected} sessions, {over} over, {share:.0%} opted out"


def write_csv(path: Path, rows: list[Row], sessions: list[Any]) -> None:
    """The sessions in ChargePoint's native export columns (the ``paloalto`` dialect)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row, session in zip(rows, sessions, strict=True):
            writer.writerow([
                row.station, row.start_local.strftime("%m/%d/%Y %H:%M"),
                session.totalSessionDuration, session.totalChargingDuration,
                f"{row.energy_kwh:.6f}", f"{row.ghg_kg:.3f}", f"{row.gasoline_gal:.3f}",
                row.ended_by, "0.00", "Level 2", row.user or "",
            ])


def simulate(sessions: int, seed: int) -> tuple[list[Row], list[Any], Measured]:
    """Simulate the fleet until it holds ``sessions`` finished sessions; read them over SOAP."""
    data = fleet_fixture(sessions)
    ports = {s["station_id"]: max(p["power_kw"] for p in s["ports"]) for s in data["stations"]}
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "realism.yaml"
        fixture.write_text(yaml.safe_dump(data), encoding="utf-8")
        settings = Settings(database_url="sqlite://", fixture=str(fixture), root_seed=seed)
        clock = ManualClock(START)
        with MockChargePoint(settings, clock) as mock:
            client = mock.client()
            found = list(read_rows(client))
            rows = [as_row(s, ports[s.stationID]) for s in found]
            savings = tuple(read_savings(mock.client(mock.tenants()[1])))
            measured = Measured(
                *interval_checks(client, found, ports), *shed_check(client, clock), savings
            )
            return rows, found, measured


def report(found: list[Check]) -> tuple[str, bool]:
    """The printed table, and whether the run passes (required checks and >= 18 of 23)."""
    lines = [f"{'#':>2}  {'kind':<10} {'check':<45} {'target':<48} {'value':<28} result"]
    for c in found:
        result = "not run" if c.passed is None else ("pass" if c.passed else "FAIL")
        lines.append(
            f"{c.number:>2}  {c.kind:<10} {c.name:<45} {c.target:<48} {c.value:<28} {result}"
        )
    passed = sum(1 for c in found if c.passed)
    required = all(c.passed for c in found if c.number in REQUIRED)
    ok = required and passed >= 18
    lines.append(f"{passed} of {len(found)} checks pass; required {', '.join(map(str, REQUIRED))}: "
                 f"{'all pass' if required else 'NOT all pass'}")
    emergent = [str(c.number) for c in found if c.kind == "emergent"]
    lines.append(f"round trip: an input read back; emergent (not an input): {', '.join(emergent)}")
    return "\n".join(lines), ok


def run(sessions: int, seed: int, csv_path: Path | None, targets_path: Path | None) -> int:
    """``mockcp realism``: print the checks; 0 when the run passes, 1 when it does not."""
    targets = load_targets(targets_path)
    rows, found, measured = simulate(sessions, seed)
    if csv_path is not None:
        write_csv(csv_path, rows, found)
    text, ok = report(checks(rows, targets, measured))
    print(f"{len(rows)} simulated sessions (seed {seed}) read through getChargingSessionData")
    print(text)
    return 0 if ok else 1


def load_targets(path: Path | None) -> dict[str, Any]:
    """The Boulder statistics: ``path``, else mockcp's packaged copy (``data/``, its source
    named inside) of the reference folder's ``realism_targets.json``."""
    packaged = files("mockcp") / "data" / "realism_targets.json"
    source: Path | Traversable = path if path is not None else packaged
    if not source.is_file():
        raise FileNotFoundError(f"{source} not found: pass --targets PATH")
    return dict(json.loads(source.read_text(encoding="utf-8"))["boulder"])
