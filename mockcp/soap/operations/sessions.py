"""Usage Analysis and Network Management (alarms) operations (guide 6, 8)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.domain import sessions, transactions
from mockcp.soap import mapping_sessions as m
from mockcp.soap.operations import operation, pending
from mockcp.soap.types import sessions as t

ALARMS = "issue 6: alarms, drivers and fleets"


class SessionService(ServiceBase):  # type: ignore[misc]
    """getAlarms, clearAlarms, getChargingSessionData, get15min..., getTransactionData."""

    getAlarms = pending("getAlarms", t.getAlarms, t.getAlarmsResponse, ALARMS)
    clearAlarms = pending("clearAlarms", t.clearAlarms, t.clearAlarmsResponse, ALARMS)

    @operation(t.getChargingSessionData, t.getChargingSessionDataResponse)
    def getChargingSessionData(ctx: Any, request: t.getChargingSessionData) -> Any:
        """Sessions on the caller's stations at the clock's now, 100 a page (guide 6.1)."""
        q, udc = request.searchQuery, ctx.udc
        page = sessions.search_sessions(
            udc.session(), udc.principal, udc.runtime.settings.root_seed, udc.clock.now(),
            m.from_session_search(q), q.startRecord,
        )  # fmt: skip
        return m.to_sessions_response(page)

    @operation(t.get15minChargingSessionData, t.get15minChargingSessionDataResponse)
    def get15minChargingSessionData(ctx: Any, request: t.get15minChargingSessionData) -> Any:
        """The 15-minute meter data of one session (guide 6.2)."""
        udc = ctx.udc
        data = sessions.fifteen_minute_data(
            udc.session(), udc.principal, udc.runtime.settings.root_seed, udc.clock.now(),
            request.sessionID, bool(request.energyConsumedInterval),
        )  # fmt: skip
        return m.to_fifteen_minutes_response(data)

    @operation(t.getTransactionData, t.getTransactionDataResponse)
    def getTransactionData(ctx: Any, request: t.getTransactionData) -> Any:
        """Fees of finished sessions on priced stations, 100 a page (max 500) (guide 6.3)."""
        q, udc = request.searchQuery, ctx.udc
        live = (udc.runtime.settings.root_seed, udc.clock.now())
        page = transactions.transactions(
            udc.session(), udc.principal, live, m.from_transaction_search(q),
            q.startRecord, q.numTransactions,
        )  # fmt: skip
        return m.to_transactions_response(page)
