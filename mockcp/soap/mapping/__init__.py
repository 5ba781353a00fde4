"""ORM and domain values -> spyne response types (``to_<wsdlType>``)."""

from __future__ import annotations

from mockcp.codes import ResponseCode
from mockcp.domain.orgs.instances import Instance
from mockcp.soap.types.orgs import ocpninstances

# The code and text every successful response carries (guide 2.5, real-interface 3.3).
OK = {"responseCode": ResponseCode.OK.code, "responseText": ResponseCode.OK.text}


def to_ocpninstances(row: Instance) -> ocpninstances:
    return ocpninstances(cpnID=row.id, cpnName=row.name, cpnDescription=row.description)
