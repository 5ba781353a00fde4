"""Driver Management: user searches in, ``userData`` rows out (guide 9.1)."""

from __future__ import annotations

from typing import Any

from mockcp.domain.drivers import users, waitlist
from mockcp.domain.drivers.users import UserQuery, UserView
from mockcp.domain.paging import Page
from mockcp.soap.context import RequestContext
from mockcp.soap.mapping import OK
from mockcp.soap.types import users as u
from mockcp.soap.types.common import credentialIDsData


def from_user_search(q: Any) -> UserQuery:
    connection, realm = q.Connection, q.managementRealm
    custom = connection.customInfo if connection is not None else None
    return UserQuery(
        user_id=q.userID,
        first_name=q.firstName,
        last_name=q.lastName,
        modified_since=q.lastModifiedTimeStamp,
        connection_status=_text(connection.Status) if connection is not None else None,
        custom_key=custom.Key if custom is not None else None,
        custom_value=custom.Value if custom is not None else None,
        realm_status=_text(realm.Status) if realm is not None else None,
        credential_id=q.credentialID,
    )


def _text(value: Any) -> str | None:
    """spyne hands enumerations over as EnumValue objects."""
    return None if value is None else str(value)


def _custom(info: dict[str, str]) -> u.customInfosData | None:
    if not info:
        return None
    return u.customInfosData(customInfo=[u.customInfoData(Key=k, Value=v) for k, v in info.items()])


def _user(number: int, view: UserView, home_status: str | None) -> u.userData:
    d, conn, realm, home = view.driver, view.connection, view.realm, view.home
    return u.userData(
        lastModifiedTimestamp=d.modified_at,
        userID=d.user_id,
        firstName=d.first_name,
        lastName=d.last_name,
        driverEmail=d.email,
        Connection=u.connectionData(
            Status=view.connection_status,
            requestTimeStamp=conn.requested_at if conn is not None else None,
            customInfos=_custom(conn.custom_info) if conn is not None else None,
        ),
        managementRealm=u.managementRealmData(
            Status=view.realm_status,
            signupTimeStamp=realm.signup_at if realm is not None else None,
        ),
        credentialIDs=credentialIDsData(credentialID=list(view.credentials))
        if view.credentials
        else None,
        homeStationDetails=None
        if home is None
        else u.homeStationDetailsData(
            stationSerialNumber=home.serial_number,
            stationStatus=home_status,
            stationModelNumber=home.model,
            stationMacAddress=home.mac_address,
            stationActivationDate=home.activation_date,
        ),
        recordNumber=number,
    )


def to_users_response(page: Page[UserView]) -> u.getUsersResponse:
    rows = []
    for number, view in page.rows:
        home = view.home
        status = None
        if home is not None:
            status = "UNREACHABLE" if home.network_status == "Unreachable" else (
                "INUSE" if any(p.status == "INUSE" for p in home.ports) else
                "UNKNOWN" if all(p.status == "UNKNOWN" for p in home.ports) else "AVAILABLE"
            )
        rows.append(_user(number, view, status))
    return u.getUsersResponse(**OK, users=u.userParams(user=rows, moreFlag=page.more_flag))


# The operations of this area: parse the request, call the domain, map the answer (the
# handlers in soap/operations are one call each).


def get_users(udc: RequestContext, request: u.getUsers) -> Any:
    q = request.searchQuery
    page = users.users(udc.world(), from_user_search(q), q.startRecord, q.numUsers)
    return to_users_response(page)


def update_user_status(udc: RequestContext, request: u.updateUserStatus) -> Any:
    udc.details["customText"] = request.customText or ""
    users.update_status(
        udc.world(), request.userID, str(request.associationType), str(request.Status)
    )
    return u.updateUserStatusResponse(**OK)


def set_waitlist_done(udc: RequestContext, request: u.setWaitlistDone) -> Any:
    notice = waitlist.waitlist_done(
        udc.world(),
        (request.stationID, request.portID, request.userID),
        request.customMessageText,
    )
    udc.details.update(mode=notice.mode, message=notice.message)
    return u.setWaitlistDoneResponse(**OK)
