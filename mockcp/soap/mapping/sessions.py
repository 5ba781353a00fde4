"""Usage Analysis: spyne requests -> session searches, sessions -> 5.1 rows (guide 6.1-6.2)."""

from __future__ import annotations

from typing import Any

from mockcp.domain.identifiers import company_id
from mockcp.domain.paging import Page
from mockcp.domain.sessions import charging as sessions
from mockcp.domain.sessions import transactions
from mockcp.domain.sessions.charging import FifteenMinutes, SessionSearch, SessionView
from mockcp.domain.sessions.transactions import TransactionQuery, TransactionView
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.mapping.stations import from_search
from mockcp.soap.types import sessions as t


def from_session_search(q: Any) -> SessionSearch:
    return SessionSearch(
        stations=from_search(q),
        session_id=q.sessionID,
        user_id=q.userID,
        from_time=q.fromTimeStamp,
        to_time=q.toTimeStamp,
        active_only=bool(q.activeSessionsOnly),
    )


def hms(seconds: int) -> str:
    """HH:MM:SS; hours may exceed 24 (real-interface 3.3)."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def to_session_row(number: int, view: SessionView) -> t.sessionSearchResultdata:
    s, row = view.station, view.session
    dc = view.port.level == "DC" or view.port.mode == "4"
    return t.sessionSearchResultdata(
        stationID=s.station_id,
        stationName=s.name,
        portNumber=str(view.port.port_number),
        Address=s.address,
        City=s.city,
        State=s.state,
        Country=s.country,
        postalCode=s.postal_code,
        sessionID=row.id,
        Energy=view.energy_kwh,
        startTime=row.start_time,
        endTime=view.end,
        totalChargingDuration=hms(view.charging_seconds),
        totalSessionDuration=hms(view.session_seconds),
        userID=view.user_id,
        startBatteryPercentage=row.start_soc if dc else 0.0,
        stopBatteryPercentage=(row.end_soc if view.end is not None else 0.0) if dc else 0.0,
        recordNumber=number,
        credentialID=view.credential_id,
        endedBy=row.ended_by if view.end is not None else None,
        vehicleMake=row.vehicle_make,
        vehicleModel=row.vehicle_model,
        vehicleModelYear=row.vehicle_year,
        vehicleType=row.vehicle_type,
        vehiclePortMAC=row.vehicle_port_mac,
        driverOptedOut=row.driver_opted_out,
        driverOptOutTimestamp=row.driver_opt_out_at,
    )


def to_sessions_response(page: Page[SessionView]) -> t.getChargingSessionDataResponse:
    return t.getChargingSessionDataResponse(
        **OK,
        ChargingSessionData=[to_session_row(n, view) for n, view in page.rows],
        MoreFlag=page.more_flag,
    )


def to_fifteen_minutes_response(data: FifteenMinutes) -> t.get15minChargingSessionDataResponse:
    return t.get15minChargingSessionDataResponse(
        **OK,
        sessionID=data.session_id,
        stationID=data.station_id,
        portNumber=str(data.port_number),
        fifteenminData=[
            t.oChargingSessionsData(
                stationTime=r.start,
                energyConsumed=r.energy_kwh,
                peakPower=r.peak_kw,
                rollingPowerAvg=r.average_kw,
            )
            for r in data.rows
        ],
    )


def from_transaction_search(q: Any) -> TransactionQuery:
    return TransactionQuery(
        station_id=q.stationID,
        station_name=q.stationName,
        mac_address=q.stationMacAddr,
        org_id=q.orgID,
        organization_name=q.organizationName,
        pricing_rule=q.pricingRuleName,
        kind=None if q.transactionType is None else str(q.transactionType),
        transaction_id=q.transactionID,
        from_time=q.fromTransactionTimeStamp,
        to_time=q.toTransactionTimeStamp,
        card_digits=q.anonymousCreditCardNumber,
    )


def to_transactions_response(page: Page[TransactionView]) -> t.getTransactionDataResponse:
    rows = [
        t.transData(
            stationID=v.station.station_id,
            stationName=v.station.name,
            stationMacAddr=v.station.mac_address,
            portNumber=v.port.port_number,
            organizationName=v.org.name,
            pricingRuleName=v.rule.name,
            transactionType=v.kind,
            transactionID=v.transaction_id,
            Energy=v.energy,
            transactionTime=v.time,
            startTime=v.start,
            endTime=v.end,
            Currency=v.station.currency_code,
            grossAmount=v.gross,
            flexBillingServiceFee=v.service_fee,
            netRevenue=v.net_revenue,
            exchangeRateUSD=v.usd_rate,
            companyID=company_id(v.org),
            recordNumber=n,
            anonymousCreditCardNumber=v.card_digits,
            taxAmount=v.tax,
            netAmount=v.net_amount,
        )
        for n, v in page.rows
    ]
    return t.getTransactionDataResponse(
        **OK, transactions=t.transDataParams(transactionData=rows), MoreFlag=page.more_flag
    )


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def get_charging_session_data(udc: RequestContext, request: t.getChargingSessionData) -> Any:
    q = request.searchQuery
    page = sessions.search_sessions(udc.world(), from_session_search(q), q.startRecord)
    return to_sessions_response(page)


def get_15min_charging_session_data(
    udc: RequestContext, request: t.get15minChargingSessionData
) -> Any:
    data = sessions.fifteen_minute_data(
        udc.world(), request.sessionID, bool(request.energyConsumedInterval)
    )
    return to_fifteen_minutes_response(data)


def get_transaction_data(udc: RequestContext, request: t.getTransactionData) -> Any:
    q = request.searchQuery
    page = transactions.transactions(
        udc.world(), from_transaction_search(q), q.startRecord, q.numTransactions
    )
    return to_transactions_response(page)
