"""Page sizes are the documented ones, read from the guide and the wire notes themselves (the
mutation pass found no test that noticed getStations' default page changing: the minimal
world has five stations; docs/mutation.md)."""

from __future__ import annotations

import re

import pytest

from mockcp.domain.paging import PageRequest
from mockcp.errors import CPError
from tests.conftest import GUIDE, SHARED, require_shared

REAL_INTERFACE = SHARED / "spec" / "real-interface.md"

# operation, file, the sentence holding the number, which number: the default or the ceiling
DOCUMENTED = [
    ("getStations", GUIDE, r"If left out of the request, this method will default to (\d+) stations", "default"),  # noqa: E501
    ("getStations", GUIDE, r"numStations\s+Number of stations to return.*?Maximum is (\d+)", "cap"),
    ("getPublicStations", GUIDE, r"Up to (\d+) stations will be returned by this method", "default"),  # noqa: E501
    ("getUsers", GUIDE, r"The default is (\d+) users per page", "default"),
    ("getStationRights", GUIDE, r"This call will return up to (\d+) stations per call", "default"),  # noqa: E501
    ("getAlarms", GUIDE, r"8\.1\.1 Restrictions.*?Each call returns a maximum of (\d+)", "cap"),
    ("getChargingSessionData", REAL_INTERFACE, r"Observed page size: \*\*(\d+) rows per getChargingSessionData", "default"),  # noqa: E501
]


@pytest.mark.parametrize(("operation", "source", "pattern", "which"), DOCUMENTED)
def test_page_size_is_the_documented_one(
    operation: str, source: object, pattern: str, which: str
) -> None:
    text = require_shared(source).read_text(encoding="utf-8")  # type: ignore[arg-type]
    found = re.search(pattern, text, re.S)
    assert found is not None, pattern
    documented = int(found.group(1))
    if which == "default":
        assert PageRequest.for_operation(operation, None, None).size == documented
    else:
        assert PageRequest.for_operation(operation, None, documented).size == documented
        try:
            over = PageRequest.for_operation(operation, None, documented + 1).size
        except CPError:
            return  # refused past the ceiling (189 for station searches)
        assert over == documented  # or trimmed to it
