"""Organisations with their API credentials, for the control plane and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.db.models import ApiCredential, Organization


@dataclass(frozen=True, slots=True)
class Tenant:
    org_id: str
    organization_name: str
    license_key: str
    password: str


def list_tenants(db: Session) -> list[Tenant]:
    """Every organisation's credentials, in organisation order."""
    rows = db.execute(
        select(Organization, ApiCredential)
        .join(ApiCredential, ApiCredential.org_pk == Organization.id)
        .order_by(Organization.id, ApiCredential.id)
    ).all()
    return [Tenant(org.org_id, org.name, cred.license_key, cred.password) for org, cred in rows]
