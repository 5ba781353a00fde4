"""The layout stamp: a digest of who owns and may see what, stored beside the world (issue 18).

A caller's realm (``domain/realm.py``) is a function of station ownership, custom groups,
their members and the rights grants. Only the world loader writes those tables, and it
records their digest in ``world_meta`` (as ``db/stamps.py`` does for credentials); a snapshot
or image of the database carries its stamp with it. A process may therefore keep a realm it
computed for as long as the stamp it reads with one small query is the one it computed it
under, whichever process or reset wrote the store in between.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.db.models import GroupMember, RightsGrant, Station, StationGroup
from mockcp.db.stamps import digest_rows, read_stamp, record_stamp

LAYOUT_KEY = "layout"

_LAYOUT_ROWS = (
    select(Station.id, Station.org_pk).order_by(Station.id),
    select(StationGroup.id, StationGroup.org_pk, StationGroup.parent_id).order_by(StationGroup.id),
    select(GroupMember.group_id, GroupMember.station_pk).order_by(
        GroupMember.group_id, GroupMember.station_pk
    ),
    select(
        RightsGrant.id,
        RightsGrant.grantee_org_pk,
        RightsGrant.group_id,
        RightsGrant.station_pk,
        RightsGrant.profile,
    ).order_by(RightsGrant.id),
)


def layout_digest(db: Session) -> str:
    """SHA-256 of station ownership, groups, memberships and grants."""
    return digest_rows(db, _LAYOUT_ROWS)


def record_layout(db: Session) -> None:
    """Store (or replace) the stamp of the layout as it is now; call after writing it."""
    db.flush()
    record_stamp(db, LAYOUT_KEY, layout_digest(db))


def read_layout_stamp(db: Session) -> str | None:
    """The stored stamp, or None (a world loaded before the stamp: nothing may be kept)."""
    return read_stamp(db, LAYOUT_KEY)
