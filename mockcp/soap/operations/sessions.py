"""Usage Analysis and Network Management (alarms) operations (guide 6, 8)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.soap.mapping import alarms as a
from mockcp.soap.mapping import sessions as m
from mockcp.soap.operations import operation
from mockcp.soap.types import sessions as t


class SessionService(ServiceBase):  # type: ignore[misc]
    """getAlarms, clearAlarms, getChargingSessionData, get15min..., getTransactionData."""

    @operation(t.getAlarms, t.getAlarmsResponse)
    def getAlarms(ctx: Any, request: t.getAlarms) -> Any:
        """Current alarms of the caller's stations, 100 a page (guide 8.1)."""
        return a.get_alarms(ctx.udc, request)

    @operation(t.clearAlarms, t.clearAlarmsResponse)
    def clearAlarms(ctx: Any, request: t.clearAlarms) -> Any:
        """Move matching current alarms to history with the clear reason (guide 8.2)."""
        return a.clear_alarms(ctx.udc, request)

    @operation(t.getChargingSessionData, t.getChargingSessionDataResponse)
    def getChargingSessionData(ctx: Any, request: t.getChargingSessionData) -> Any:
        """Sessions on the caller's stations at the clock's now, 100 a page (guide 6.1)."""
        return m.get_charging_session_data(ctx.udc, request)

    @operation(t.get15minChargingSessionData, t.get15minChargingSessionDataResponse)
    def get15minChargingSessionData(ctx: Any, request: t.get15minChargingSessionData) -> Any:
        """The 15-minute meter data of one session (guide 6.2)."""
        return m.get_15min_charging_session_data(ctx.udc, request)

    @operation(t.getTransactionData, t.getTransactionDataResponse)
    def getTransactionData(ctx: Any, request: t.getTransactionData) -> Any:
        """Fees of finished sessions on priced stations, 100 a page (max 500) (guide 6.3)."""
        return m.get_transaction_data(ctx.udc, request)
