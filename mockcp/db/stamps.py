"""The credentials stamp: a digest of every API credential, stored beside the world (issue 18).

Whatever writes credentials (the world loader) records the digest in ``world_meta``; a
process may then keep what it learned about credentials for as long as the stamp it reads
with one small query is the one it learned them under. A snapshot or image of the database
carries its stamp with it, so no process can hold credentials of a world it no longer serves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Executable, select
from sqlalchemy.orm import Session

from mockcp.db.activity import WorldMeta
from mockcp.db.models import ApiCredential, Organization

CREDENTIALS_KEY = "credentials"

_CREDENTIAL_ROWS = (
    select(
        ApiCredential.license_key,
        ApiCredential.password,
        ApiCredential.active,
        Organization.id,
        Organization.org_id,
        Organization.name,
    )
    .join(Organization, ApiCredential.org_pk == Organization.id)
    .order_by(ApiCredential.license_key)
)


def digest_rows(db: Session, statements: Iterable[Executable]) -> str:
    """SHA-256 of every row the ``statements`` read, in order (one stamp's content)."""
    digest = hashlib.sha256()
    for number, statement in enumerate(statements):
        if number:
            digest.update(f"table {number}\n".encode())
        for row in db.execute(statement):
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def record_stamp(db: Session, key: str, value: str) -> None:
    """Store (or replace) the stamp ``key`` in ``world_meta``."""
    row = db.get(WorldMeta, key)
    if row is None:
        db.add(WorldMeta(key=key, value=value))
    else:
        row.value = value
    db.flush()


def read_stamp(db: Session, key: str) -> str | None:
    """The stored stamp ``key``, or None (a world loaded before it: nothing may be kept)."""
    value = db.execute(select(WorldMeta.value).where(WorldMeta.key == key)).scalar_one_or_none()
    return None if value is None else str(value)


def credentials_digest(db: Session) -> str:
    """SHA-256 of every credential with its organisation (key, password, active, org)."""
    return digest_rows(db, [_CREDENTIAL_ROWS])


def record_credentials(db: Session) -> None:
    """Store (or replace) the stamp of the credentials as they are now; call after writing them."""
    db.flush()
    record_stamp(db, CREDENTIALS_KEY, credentials_digest(db))


def read_credentials_stamp(db: Session) -> str | None:
    """The stored stamp, or None (a world loaded before stamps existed: nothing may be kept)."""
    return read_stamp(db, CREDENTIALS_KEY)
