"""Network Management: alarm searches in, ``oalarms`` rows out (guide 8.1-8.2)."""

from __future__ import annotations

from typing import Any

from mockcp.domain.identifiers import company_id
from mockcp.domain.paging import Page
from mockcp.domain.sessions import alarms
from mockcp.domain.sessions.alarms import AlarmQuery, AlarmView
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.mapping.stations import from_search
from mockcp.soap.types import sessions as t


def from_alarm_search(q: Any) -> AlarmQuery:
    return AlarmQuery(
        stations=from_search(q),
        start=q.startTime,
        end=q.endTime,
        port_number=q.portNumber if q.portNumber and q.portNumber.strip() else None,
        alarm_type=getattr(q, "alarmType", None),
    )


def _row(number: int, view: AlarmView) -> t.oalarms:
    station, org, alarm = view.station, view.org, view.alarm
    return t.oalarms(
        stationID=station.station_id,
        stationName=station.name,
        stationModel=station.model,
        orgID=org.org_id,
        companyID=company_id(org),
        organizationName=org.name,
        stationManufacturer=station.manufacturer,
        stationSerialNum=station.serial_number,
        portNumber=None if alarm.port_number is None else str(alarm.port_number),
        alarmType=alarm.alarm_type,
        alarmTime=alarm.alarm_time,
        recordNumber=number,
    )


def to_alarms_response(page: Page[AlarmView]) -> t.getAlarmsResponse:
    return t.getAlarmsResponse(
        **OK,
        Alarms=[_row(number, view) for number, view in page.rows],
        moreFlag=page.more_flag,
    )


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def get_alarms(udc: RequestContext, request: t.getAlarms) -> Any:
    q = request.searchQuery
    return to_alarms_response(alarms.alarms(udc.world(), from_alarm_search(q), q.startRecord))


def clear_alarms(udc: RequestContext, request: t.clearAlarms) -> Any:
    q = request.searchQuery
    alarms.clear_alarms(
        udc.world(), (q.orgID, q.organizationName), from_alarm_search(q), q.clearReason
    )
    return t.clearAlarmsResponse(**OK)
