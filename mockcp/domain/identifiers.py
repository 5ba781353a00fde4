"""Identifiers in the forms the guide's samples print them."""

from __future__ import annotations

from mockcp.db.models import Organization


def company_id(org: Organization) -> str:
    """``CPNID:companyID``, as the guide's samples print it (7.6.5 ``1:1``, 8.1.5 ``1:0``)."""
    raw = org.company_id.strip()
    return raw if ":" in raw else f"{org.cpn_id}:{raw}"


def bare(identifier: str) -> str:
    """The id without its ``CPNID:`` prefix (a client may send either form)."""
    text = identifier.strip()
    prefix, sep, rest = text.partition(":")
    return rest.strip() if sep and prefix.strip().isdigit() else text
