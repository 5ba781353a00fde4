"""Driver Management operations (guide 9)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.soap.mapping import drivers as m
from mockcp.soap.operations import operation
from mockcp.soap.types import users as u


class DriverService(ServiceBase):  # type: ignore[misc]
    """getUsers, updateUserStatus, setWaitlistDone."""

    @operation(u.getUsers, u.getUsersResponse)
    def getUsers(ctx: Any, request: u.getUsers) -> Any:
        """The caller's connected and managed drivers, 500 a page (guide 9.1)."""
        return m.get_users(ctx.udc, request)

    @operation(u.updateUserStatus, u.updateUserStatusResponse)
    def updateUserStatus(ctx: Any, request: u.updateUserStatus) -> Any:
        """Approve, reject or remove a connection or management-realm membership (9.2)."""
        return m.update_user_status(ctx.udc, request)

    @operation(u.setWaitlistDone, u.setWaitlistDoneResponse)
    def setWaitlistDone(ctx: Any, request: u.setWaitlistDone) -> Any:
        """Tell a waitlisted driver their session is done (guide 9.3)."""
        return m.set_waitlist_done(ctx.udc, request)
