"""Who is calling: the organisation behind an API credential, and what it can see.

Guide 2.2-2.3: each licence key and password belongs to one organisation; its
realm is the stations it owns plus those other organisations granted it rights to.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.db.models import ApiCredential, Organization


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    org_pk: int
    org_id: str
    organization_name: str
    license_key: str


# The mock's operator (the admin routes, such as station events): it owns no organisation,
# so its realm is empty; it is the caller of a World built for an operator's action.
OPERATOR = Principal(0, "", "mockcp operator", "")


def lookup(db: Session, license_key: str, password: str) -> Principal | None:
    """The Principal for a key and password, or None when they do not match."""
    row = db.execute(
        select(ApiCredential, Organization)
        .join(Organization, ApiCredential.org_pk == Organization.id)
        .where(ApiCredential.license_key == license_key, ApiCredential.active.is_(True))
    ).first()
    if row is None:
        return None
    credential, org = row
    if not hmac.compare_digest(credential.password.encode(), password.encode()):
        return None
    return Principal(org.id, org.org_id, org.name, credential.license_key)
