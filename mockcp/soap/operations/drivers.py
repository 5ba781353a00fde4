"""Driver Management operations (guide 9)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.domain.drivers import users, waitlist
from mockcp.soap.mapping import OK
from mockcp.soap.mapping import drivers as m
from mockcp.soap.operations import operation
from mockcp.soap.types import users as u


class DriverService(ServiceBase):  # type: ignore[misc]
    """getUsers, updateUserStatus, setWaitlistDone."""

    @operation(u.getUsers, u.getUsersResponse)
    def getUsers(ctx: Any, request: u.getUsers) -> Any:
        """The caller's connected and managed drivers, 500 a page (guide 9.1)."""
        q, udc = request.searchQuery, ctx.udc
        page = users.users(
            udc.world(), m.from_user_search(q), q.startRecord, q.numUsers
        )
        return m.to_users_response(page)

    @operation(u.updateUserStatus, u.updateUserStatusResponse)
    def updateUserStatus(ctx: Any, request: u.updateUserStatus) -> Any:
        """Approve, reject or remove a connection or management-realm membership (9.2)."""
        udc = ctx.udc
        udc.details["customText"] = request.customText or ""
        users.update_status(
            udc.world(), request.userID,
            str(request.associationType), str(request.Status),
        )
        return u.updateUserStatusResponse(**OK)

    @operation(u.setWaitlistDone, u.setWaitlistDoneResponse)
    def setWaitlistDone(ctx: Any, request: u.setWaitlistDone) -> Any:
        """Tell a waitlisted driver their session is done (guide 9.3)."""
        udc = ctx.udc
        notice = waitlist.waitlist_done(
            udc.world(),
            (request.stationID, request.portID, request.userID),
            request.customMessageText,
        )
        udc.details.update(mode=notice.mode, message=notice.message)
        return u.setWaitlistDoneResponse(**OK)
