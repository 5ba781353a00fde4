"""Usage Analysis and Network Management (alarms) operations (guide 6, 8)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.domain.sessions import alarms, transactions
from mockcp.domain.sessions import charging as sessions
from mockcp.soap.mapping import OK
from mockcp.soap.mapping import alarms as a
from mockcp.soap.mapping import sessions as m
from mockcp.soap.operations import operation
from mockcp.soap.types import sessions as t


class SessionService(ServiceBase):  # type: ignore[misc]
    """getAlarms, clearAlarms, getChargingSessionData, get15min..., getTransactionData."""

    @operation(t.getAlarms, t.getAlarmsResponse)
    def getAlarms(ctx: Any, request: t.getAlarms) -> Any:
        """Current alarms of the caller's stations, 100 a page (guide 8.1)."""
        q, udc = request.searchQuery, ctx.udc
        page = alarms.alarms(udc.world(), a.from_alarm_search(q), q.startRecord)
        return a.to_alarms_response(page)

    @operation(t.clearAlarms, t.clearAlarmsResponse)
    def clearAlarms(ctx: Any, request: t.clearAlarms) -> Any:
        """Move matching current alarms to history with the clear reason (guide 8.2)."""
        q, udc = request.searchQuery, ctx.udc
        alarms.clear_alarms(
            udc.world(), (q.orgID, q.organizationName), a.from_alarm_search(q), q.clearReason
        )
        return t.clearAlarmsResponse(**OK)

    @operation(t.getChargingSessionData, t.getChargingSessionDataResponse)
    def getChargingSessionData(ctx: Any, request: t.getChargingSessionData) -> Any:
        """Sessions on the caller's stations at the clock's now, 100 a page (guide 6.1)."""
        q, udc = request.searchQuery, ctx.udc
        page = sessions.search_sessions(udc.world(), m.from_session_search(q), q.startRecord)
        return m.to_sessions_response(page)

    @operation(t.get15minChargingSessionData, t.get15minChargingSessionDataResponse)
    def get15minChargingSessionData(ctx: Any, request: t.get15minChargingSessionData) -> Any:
        """The 15-minute meter data of one session (guide 6.2)."""
        data = sessions.fifteen_minute_data(
            ctx.udc.world(), request.sessionID, bool(request.energyConsumedInterval)
        )
        return m.to_fifteen_minutes_response(data)

    @operation(t.getTransactionData, t.getTransactionDataResponse)
    def getTransactionData(ctx: Any, request: t.getTransactionData) -> Any:
        """Fees of finished sessions on priced stations, 100 a page (max 500) (guide 6.3)."""
        q, udc = request.searchQuery, ctx.udc
        page = transactions.transactions(
            udc.world(), m.from_transaction_search(q), q.startRecord, q.numTransactions
        )
        return m.to_transactions_response(page)
