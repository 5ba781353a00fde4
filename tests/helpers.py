"""What several test modules share: reply checks and the minimal world's landmarks.

Test modules import from here (or from conftest), never from a sibling test module.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import zeep

from mockcp.codes import ResponseCode
from tests.conftest import START

# The minimal world (fixtures/minimal.yaml): tenants in organisation order.
SUNRISE, HARBOR = 0, 1
# In the minimal world a car charges at 7.2 kW on 1:10002 port 1 from about 18:10 to 21:30 UTC
# on 2024-03-12 (session 100300009); the clock starts at 17:00.
CHARGING = START + timedelta(hours=2)  # 19:00: 1:10002 draws 7.2 kW
SESSION = 100300009
# A fleet vehicle as addFleetVehicle takes it (guide 10.1).
NEW = {
    "chargePointCards": {"chargePointCardSn": ["CPFL0000300001"], "mifareID": ["04A1B2C3D4E5F6"]},
    "licensePlate": "CO-NEW001", "fleetName": "sunrise delivery fleet", "vehicleID": "VAN-02",
    "vin": "1FTBW3XM5KKA00003", "color": "White", "make": "Ford", "model": "E-Transit",
    "year": "2024", "driverID": "D-17", "vehiclePortMacIDs": {"vehiclePortMacID": ["00:1A:2B:3C"]},
}


def assert_code(reply: object, code: ResponseCode) -> None:
    """The reply carries ``code`` and its catalogue text, exactly."""
    assert (reply.responseCode, reply.responseText) == (code.code, code.text)  # type: ignore[attr-defined]


def expect(reply: Any, code: ResponseCode, **fields: object) -> None:
    """The reply carries ``code`` and its text rendered with ``fields``."""
    assert (reply.responseCode, reply.responseText) == (code.code, code.render(**fields))


def ids(reply: object) -> list[str]:
    """The station IDs of a station search's reply, in order."""
    return [s.stationID for s in reply.stationData]  # type: ignore[attr-defined]


def port_load(client: zeep.Client, station: str = "1:10002", port: int = 0) -> Any:
    """getLoad's row of one port of ``station``."""
    reply = client.service.getLoad(searchQuery={"stationID": station})
    assert reply.responseCode == "100"
    return reply.stationData[0].Port[port]


ROOT = Path(__file__).resolve().parent.parent


def run_quick_bench(script: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``bench/<script> --quick`` from the checkout, print its figures into the test
    output (CI shows them; no thresholds) and return them; it must exit cleanly."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--quick"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
    )
    with capsys.disabled():
        print(f"\n--- bench/{script} --quick (figures, no thresholds) ---")
        print(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
