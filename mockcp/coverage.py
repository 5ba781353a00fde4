"""The README's operation coverage table, generated from what the code declares."""

from __future__ import annotations

from mockcp.soap.wsdl import OPERATIONS

GUIDE_SECTIONS = {
    "getPublicStations": "-",
    "getPublicStationStatus": "-",
    "getStationStatus": "7.2",
    "getAlarms": "8.1",
    "clearAlarms": "8.2",
    "getOrgsAndStationGroups": "7.5",
    "shedLoad": "5.1",
    "clearShedState": "5.2",
    "getLoad": "5.3",
    "getStationGroups": "7.3",
    "getStationGroupDetails": "7.4",
    "getCPNInstances": "4.1",
    "getChargingSessionData": "6.1",
    "get15minChargingSessionData": "6.2",
    "getStations": "7.1",
    "getCustomGroupStations": "-",
    "getStationRights": "7.6",
    "getStationRightsProfile": "7.7",
    "registerFeeds": "11 (removed)",
    "updateFeed": "11 (removed)",
    "getUsers": "9.1",
    "updateUserStatus": "9.2",
    "setWaitlistDone": "9.3",
    "getTransactionData": "6.3",
    "getFleetVehicles": "10.4",
    "addFleetVehicle": "10.1",
    "updateFleetVehicle": "10.3",
    "deleteFleetVehicle": "10.2",
    "getFleetUsageData": "10.5",
    "createLoadShedEvent": "5.4",
    "removeLoadShedEvent": "5.5",
    "getStationActiveFaults": "-",
}


# The push framework (guide 11): declared in the WSDL, removed from the service.
REMOVED = frozenset({"registerFeeds", "updateFeed"})


def coverage_table() -> str:
    """One row per WSDL operation, in portType order: implemented, or which issue brings it."""
    rows = ["| # | operation | guide | status |", "| --- | --- | --- | --- |"]
    for number, operation in enumerate(OPERATIONS, start=1):
        if operation in REMOVED:
            status = "removed in 5.1 (guide 11): answers 188 Operation not found"
        else:
            status = "implemented"
        rows.append(f"| {number} | `{operation}` | {GUIDE_SECTIONS[operation]} | {status} |")
    return "\n".join(rows)
