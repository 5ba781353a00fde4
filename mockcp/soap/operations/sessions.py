"""Usage Analysis and Network Management (alarms) operations (guide 6, 8)."""

from __future__ import annotations

from spyne import ServiceBase

from mockcp.soap.operations import pending
from mockcp.soap.types import sessions as t

USAGE = "issue 4: simulated fleet and usage analysis"
ALARMS = "issue 6: alarms, drivers and fleets"


class SessionService(ServiceBase):  # type: ignore[misc]
    """getAlarms, clearAlarms, getChargingSessionData, get15min..., getTransactionData."""

    getAlarms = pending("getAlarms", t.getAlarms, t.getAlarmsResponse, ALARMS)
    clearAlarms = pending("clearAlarms", t.clearAlarms, t.clearAlarmsResponse, ALARMS)
    getChargingSessionData = pending(
        "getChargingSessionData",
        t.getChargingSessionData,
        t.getChargingSessionDataResponse,
        USAGE,
    )
    get15minChargingSessionData = pending(
        "get15minChargingSessionData",
        t.get15minChargingSessionData,
        t.get15minChargingSessionDataResponse,
        USAGE,
    )
    getTransactionData = pending(
        "getTransactionData", t.getTransactionData, t.getTransactionDataResponse, USAGE
    )
