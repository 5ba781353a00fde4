"""spyne declarations mirroring the ChargePoint 5.1 schema, one module per WSDL area."""

from __future__ import annotations

from mockcp.soap.types import (
    common,
    fleets,
    load,
    orgs,
    sessions,
    station_rows,
    stations,
    users,
)

MODULES = (common, fleets, load, orgs, sessions, station_rows, stations, users)
ALL_GROUPS: frozenset[str] = frozenset().union(*(module.ALL_GROUPS for module in MODULES))
