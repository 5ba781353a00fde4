"""Test helpers for mockcp users: in-process zeep clients, a real server, the control plane.

with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal")) as mock:
    client = mock.client()                  # zeep over an in-process transport
    mock.faults.force("shedLoad", code=126) # the control plane, in process
    mock.journal.assert_called("shedLoad", times=1, stationID="1:10002")
    with mock.serve() as url:               # the production server on a free port
        remote = ControlPlane.at(url)       # the same helpers against any running mockcp

The mock itself is ``mockcp.in_process.InProcessMock``; here it is bound to ``create_app``.
"""

from __future__ import annotations

from mockcp.app import MockChargePointApp, create_app
from mockcp.clock import SimClock
from mockcp.config import Settings
from mockcp.control import ControlPlane
from mockcp.in_process import BINDING, IN_PROCESS_BASE, InProcessMock, InProcessTransport

__all__ = ["BINDING", "IN_PROCESS_BASE", "ControlPlane", "InProcessTransport", "MockChargePoint"]


class MockChargePoint(InProcessMock[MockChargePointApp]):
    """A mockcp app for a test (``create_app``): zeep clients in process, or a real server."""

    def __init__(self, settings: Settings | None = None, clock: SimClock | None = None) -> None:
        super().__init__(create_app, settings, clock)
