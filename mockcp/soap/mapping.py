"""ORM and domain values -> spyne response types (``to_<wsdlType>``)."""

from __future__ import annotations

from mockcp.db.models import CpnInstance
from mockcp.soap.types.orgs import ocpninstances


def to_ocpninstances(row: CpnInstance) -> ocpninstances:
    return ocpninstances(cpnID=row.id, cpnName=row.name, cpnDescription=row.description)
