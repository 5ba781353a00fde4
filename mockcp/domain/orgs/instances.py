"""Organisations and network instances (guide 4.1 getCPNInstances)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockcp.db.models import CpnInstance


def list_cpn_instances(db: Session) -> Sequence[CpnInstance]:
    """Every ChargePoint network instance of the world, by cpnID (guide 4.1: no restrictions)."""
    return db.scalars(select(CpnInstance).order_by(CpnInstance.id)).all()
