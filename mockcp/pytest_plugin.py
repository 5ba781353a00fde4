"""pytest fixtures for projects that test their ChargePoint client against mockcp.

``mockcp`` gives a running in-process mock on the minimal world; ``mockcp_server``
gives the base URL of a real HTTP server around it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockcp.config import Settings
from mockcp.testing import MockChargePoint


@pytest.fixture
def mockcp() -> Iterator[MockChargePoint]:
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal")) as mock:
        yield mock


@pytest.fixture
def mockcp_server(mockcp: MockChargePoint) -> Iterator[str]:
    with mockcp.serve() as url:
        yield url
