"""getUsers and updateUserStatus (guide 9.1-9.2): connected and managed drivers.

A caller sees the drivers with a Connection to its organisation (APPROVED, PENDING,
REJECTED) or in its management realm (APPROVED, NOT MANAGED). A driver in one list and
not the other shows ``NOT CONNECTED`` / ``NOT MANAGED`` for the missing association.
updateUserStatus changes one association; the change moves the driver's
``lastModifiedTimestamp`` to the clock's now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mockcp.codes import ResponseCode
from mockcp.db.models import Station
from mockcp.db.people import Credential, Driver, DriverConnection, ManagementRealm
from mockcp.domain.context import World
from mockcp.domain.paging import Page, PageRequest, filtered_page
from mockcp.domain.text import same_text
from mockcp.errors import CPError

NOT_CONNECTED, NOT_MANAGED = "NOT CONNECTED", "NOT MANAGED"


@dataclass(frozen=True, slots=True)
class UserQuery:
    user_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    modified_since: datetime | None = None
    connection_status: str | None = None
    custom_key: str | None = None
    custom_value: str | None = None
    realm_status: str | None = None
    credential_id: str | None = None


@dataclass(frozen=True, slots=True)
class UserView:
    driver: Driver
    connection: DriverConnection | None
    realm: ManagementRealm | None
    credentials: tuple[str, ...]
    home: Station | None

    @property
    def connection_status(self) -> str:
        return self.connection.status if self.connection is not None else NOT_CONNECTED

    @property
    def realm_status(self) -> str:
        return self.realm.status if self.realm is not None else NOT_MANAGED


def _matches(view: UserView, q: UserQuery) -> bool:
    custom = view.connection.custom_info if view.connection is not None else {}
    return (
        same_text(view.driver.user_id, q.user_id)
        and same_text(view.driver.first_name, q.first_name)
        and same_text(view.driver.last_name, q.last_name)
        and (q.modified_since is None or view.driver.modified_at >= q.modified_since)
        and same_text(view.connection_status, q.connection_status)
        and same_text(view.realm_status, q.realm_status)
        and (q.custom_key is None or any(same_text(k, q.custom_key) for k in custom))
        and (
            q.custom_value is None
            or any(
                same_text(v, q.custom_value)
                for k, v in custom.items()
                if q.custom_key is None or same_text(k, q.custom_key)
            )
        )
        and (q.credential_id is None or q.credential_id.strip() in view.credentials)
    )


def users(
    world: World,
    query: UserQuery,
    start_record: int | None,
    num_users: int | None,
) -> Page[UserView]:
    """The caller's connected and managed drivers matching ``query``, 500 a page (guide 9.1).

    Raises: 180 when none matches.
    """
    db, principal = world.db, world.caller
    page = PageRequest.for_operation("getUsers", start_record, num_users)
    org = principal.org_pk
    connections = {
        c.driver_pk: c
        for c in db.scalars(select(DriverConnection).where(DriverConnection.org_pk == org))
    }
    realms = {
        r.driver_pk: r
        for r in db.scalars(select(ManagementRealm).where(ManagementRealm.org_pk == org))
    }
    pks = sorted(set(connections) | set(realms))
    cards: dict[int, list[str]] = {}
    statement = select(Credential).where(Credential.driver_pk.in_(pks)).order_by(Credential.id)
    for card in db.scalars(statement):
        cards.setdefault(card.driver_pk or 0, []).append(card.credential_id)
    drivers = db.scalars(select(Driver).where(Driver.id.in_(pks)).order_by(Driver.id)).all()
    homes = {
        s.id: s
        for s in db.scalars(
            select(Station)
            .where(Station.id.in_([d.home_station_pk for d in drivers]))
            .options(selectinload(Station.ports))  # their status: one query, not one per home
        )
    }
    views = [
        UserView(
            d,
            connections.get(d.id),
            realms.get(d.id),
            tuple(cards.get(d.id, [])),
            homes.get(d.home_station_pk) if d.home_station_pk is not None else None,
        )
        for d in drivers
    ]
    return filtered_page(views, lambda v: _matches(v, query), page, ResponseCode.NO_USER_FOUND)


# (association, requested status) -> the status it leaves; None: the association ends.
TRANSITIONS = {
    ("CONNECTION", "APPROVED"): "APPROVED",
    ("CONNECTION", "REJECTED"): "REJECTED",
    ("CONNECTION", "REMOVED"): None,
    ("MANAGEMENT_REALM", "APPROVED"): "APPROVED",
    ("MANAGEMENT_REALM", "REJECTED"): NOT_MANAGED,
    ("MANAGEMENT_REALM", "REMOVED"): None,
}


def update_status(
    world: World, user_id: str, association: str, status: str
) -> None:
    """Approve, reject or remove a driver's connection or management-realm membership.

    Raises: 190 unknown user ID; 191 no such association with the caller's organisation;
    192 the association already has that status.
    """
    db, principal, now = world.db, world.caller, world.now
    driver = db.scalars(select(Driver).where(Driver.user_id == user_id.strip())).first()
    if driver is None:
        raise CPError(ResponseCode.INVALID_USER_ID)
    row: DriverConnection | ManagementRealm | None
    if association == "CONNECTION":
        row = db.scalars(
            select(DriverConnection).where(
                DriverConnection.driver_pk == driver.id,
                DriverConnection.org_pk == principal.org_pk,
            )
        ).first()
    else:
        row = db.scalars(
            select(ManagementRealm).where(
                ManagementRealm.driver_pk == driver.id,
                ManagementRealm.org_pk == principal.org_pk,
            )
        ).first()
    if row is None:
        raise CPError(ResponseCode.USER_REQUEST_NOT_FOUND)
    target = TRANSITIONS[(association, status)]
    if target is not None and row.status == target:
        raise CPError(ResponseCode.CONNECTION_ALREADY_SET, status=status.lower())
    if target is None:
        db.delete(row)
    else:
        row.status = target
    driver.modified_at = now
    db.flush()
