"""Organisations and network instances (guide 4.1 getCPNInstances)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.db.models import CpnInstance


class Instance(NamedTuple):
    """One ChargePoint network instance as getCPNInstances shows it."""

    id: int
    name: str
    description: str


# Plain rows through Core, not ORM instances: the call's whole answer is these few values, and
# loading them as tracked objects was about a fifth of a getCPNInstances call (issue 18).
_INSTANCES = select(CpnInstance.id, CpnInstance.name, CpnInstance.description).order_by(
    CpnInstance.id
)


def list_cpn_instances(db: Session) -> list[Instance]:
    """Every ChargePoint network instance of the world, by cpnID (guide 4.1: no restrictions)."""
    return [Instance(*row) for row in db.connection().execute(_INSTANCES)]
