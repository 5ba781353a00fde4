"""``mockcp coverage`` derives each operation's status from its answer, so it can say
"not implemented"; the guide section comes from the handler's docstring."""

from __future__ import annotations

from typing import Any

import pytest

from mockcp.coverage import IMPLEMENTED, REMOVED, classify, guide_sections, probe
from mockcp.soap.application import SERVICES
from mockcp.soap.wsdl import OPERATIONS

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "urn:dictionary:com.chargepoint.webservices"


def envelope(body: str) -> bytes:
    opening = f'<e:Envelope xmlns:e="{ENV}" xmlns:t="{TNS}">'
    return f"{opening}<e:Body>{body}</e:Body></e:Envelope>".encode()


def test_answers_are_classified_by_what_they_carry() -> None:
    answer = "<t:getUsersResponse><responseCode>{}</responseCode></t:getUsersResponse>"
    assert classify("getUsers", envelope(answer.format("100"))) == IMPLEMENTED
    assert classify("getUsers", envelope(answer.format("102"))) == IMPLEMENTED
    assert classify("getUsers", envelope(answer.format("188"))) == REMOVED
    fault = "<e:Fault><faultcode>soapenv:Server</faultcode><faultstring>boom</faultstring>"
    fault += "</e:Fault>"
    assert classify("getUsers", envelope(fault)) == "not implemented: soapenv:Server fault boom"
    other = "<t:getStationsResponse><responseCode>100</responseCode></t:getStationsResponse>"
    assert classify("getUsers", envelope(other)) == "not implemented: no response element"
    assert classify("getUsers", b"<html>") == "not implemented: the answer is not XML"


def test_a_handler_that_fails_shows_as_not_implemented(monkeypatch: pytest.MonkeyPatch) -> None:
    fleets = next(s for s in SERVICES if "getFleetUsageData" in s.public_methods)
    method = fleets.public_methods["getFleetUsageData"]

    def unfinished(ctx: Any, request: Any) -> Any:
        raise NotImplementedError

    assert probe(["getFleetUsageData", "updateFeed"]) == {
        "getFleetUsageData": IMPLEMENTED, "updateFeed": REMOVED,
    }
    monkeypatch.setattr(method, "function", unfinished)
    status = probe(["getFleetUsageData"])["getFleetUsageData"]
    assert status.startswith("not implemented: soapenv:Server fault Internal error in")


def test_guide_sections_come_from_the_handlers() -> None:
    sections = guide_sections()
    assert set(sections) == set(OPERATIONS)
    assert sections["getFleetUsageData"] == "10.5" and sections["updateUserStatus"] == "9.2"
    assert sections["getCPNInstances"] == "4.1" and sections["registerFeeds"] == "11"
    assert sections["getStationActiveFaults"] == "-"  # the guide does not document it
