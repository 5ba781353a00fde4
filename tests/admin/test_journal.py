"""The request journal as evidence: every call recorded in the store, filtered, verified,
cleared, bounded and shared by every app on one database."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import zeep
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client
from zeep.wsse.username import UsernameToken

from mockcp.clock import ManualClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.domain.journal import matches_param
from mockcp.testing import MockChargePoint
from tests.conftest import START

SHED = {"shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 3}, "timeInterval": 0}
ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:ns="urn:dictionary:com.chargepoint.webservices"><soapenv:Body>{}</soapenv:Body>'
    "</soapenv:Envelope>"
)


def get(mock: MockChargePoint, query: str = "") -> Any:
    reply = Client(mock.wsgi).get(f"/_mock/journal{query}")
    return reply.status_code, json.loads(reply.get_data())


def entries(mock: MockChargePoint, query: str = "") -> list[dict[str, Any]]:
    status, body = get(mock, query)
    assert status == 200, body
    return list(body)


def test_journal_keeps_parameters_named_as_in_the_wsdl(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    assert client.service.shedLoad(shedQuery=SHED).responseCode == "100"
    (entry,) = entries(mock, "?operation=shedLoad")
    assert entry["params"] == {
        "shedQuery": {
            "shedStation": {"stationID": "1:10002", "allowedLoadPerStation": "3"},
            "timeInterval": "0",
        }
    }
    outcome = (entry["orgID"], entry["httpStatus"], entry["responseCode"])
    assert outcome == ("1:ORG00001", 200, "100")


def test_journal_records_failed_authentication_and_client_faults(mock: MockChargePoint) -> None:
    tenant = mock.tenants()[0]
    stranger = mock.client(tenant)
    stranger.wsse = UsernameToken(tenant.license_key, "wrong-password")
    with pytest.raises(zeep.exceptions.Fault):
        stranger.service.getCPNInstances()
    garbage = Client(mock.wsgi).post(
        "/webservices/chargepoint/services/5.1", data=b"<not-xml", content_type="text/xml"
    )
    assert garbage.status_code == 500
    failed, malformed = entries(mock)
    assert (failed["operation"], failed["orgID"], failed["httpStatus"]) == (
        "getCPNInstances", None, 500,
    )
    assert failed["fault"] == "wsse:FailedAuthentication" and failed["responseCode"] is None
    assert (malformed["operation"], malformed["params"], malformed["fault"]) == (
        None, None, "soapenv:Client",
    )
    assert [e["id"] for e in entries(mock, "?fault=*")] == [failed["id"], malformed["id"]]
    assert entries(mock, "?fault=wsse:FailedAuthentication") == [failed]


def test_journal_filters_by_operation_tenant_code_param_and_range(
    mock: MockChargePoint, clock: ManualClock
) -> None:
    sunrise, harbor = (mock.client(t) for t in mock.tenants())
    sunrise.service.shedLoad(shedQuery=SHED)
    unknown = {**SHED, "shedStation": {"stationID": "1:99999", "allowedLoadPerStation": 3}}
    code = ResponseCode.STATION_NOT_IN_DATABASE
    assert sunrise.service.shedLoad(shedQuery=unknown).responseCode == code.code
    clock.advance(timedelta(hours=1))
    harbor.service.getCPNInstances()
    everything = entries(mock)
    assert [e["operation"] for e in everything] == ["shedLoad", "shedLoad", "getCPNInstances"]
    assert entries(mock, "?orgID=1:ORG00002") == everything[2:]
    assert entries(mock, f"?responseCode={code.code}") == everything[1:2]
    param = "?param=shedQuery.shedStation.stationID:1:10002"
    assert entries(mock, param) == everything[:1]
    assert entries(mock, "?param=stationID:1:99999") == everything[1:2]  # a bare name: any depth
    assert entries(mock, "?since=2024-03-12T17:30:00Z") == everything[2:]
    assert entries(mock, "?until=2024-03-12T17:00:00Z") == everything[:2]
    second = everything[1]["id"]
    assert entries(mock, f"?minId={second}&maxId={second}") == everything[1:2]
    assert entries(mock, "?limit=1") == everything[2:]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?since=yesterday", "since must be an ISO-8601 date-time"),
        ("?until=2024-03-12T17:00:00", "until needs a UTC offset or Z"),
        ("?minId=-1", "minId must be a whole number"),
        ("?param=stationID", "param must be path:value, e.g. shedQuery.shedStation.stationID:1:1"),
        ("?colour=red", "unknown filters: colour"),
    ],
)
def test_journal_refuses_bad_filters(mock: MockChargePoint, query: str, error: str) -> None:
    assert get(mock, query) == (400, {"error": error})


def test_verify_counts_the_matching_calls(mock: MockChargePoint, client: zeep.Client) -> None:
    client.service.shedLoad(shedQuery=SHED)
    client.service.getLoad(searchQuery={"stationID": "1:10002"})
    matcher = {
        "operation": "shedLoad",
        "params": {"shedQuery.shedStation.stationID": "1:10002", "allowedLoadPerStation": 3.0},
    }
    reply = Client(mock.wsgi).post("/_mock/journal/verify", json=matcher)
    body = json.loads(reply.get_data())
    assert (reply.status_code, body["count"]) == (200, 1)
    assert body["entries"][0]["operation"] == "shedLoad"
    matcher["params"]["allowedLoadPerStation"] = 4  # type: ignore[index]
    assert json.loads(Client(mock.wsgi).post("/_mock/journal/verify", json=matcher).get_data())[
        "count"
    ] == 0
    refused = Client(mock.wsgi).post("/_mock/journal/verify", json={"params": [1]})
    assert (refused.status_code, json.loads(refused.get_data())) == (
        400, {"error": "params must be an object of path -> value"},
    )


def test_delete_clears_and_ids_keep_growing(mock: MockChargePoint, client: zeep.Client) -> None:
    client.service.getCPNInstances()
    first = entries(mock)[0]["id"]
    reply = Client(mock.wsgi).delete("/_mock/journal")
    assert json.loads(reply.get_data()) == {"cleared": 1}
    assert entries(mock) == []
    client.service.getCPNInstances()
    assert [e["id"] for e in entries(mock)] == [first + 1]


def test_journal_is_bounded_and_keeps_xml_on_request(tmp_path: Path) -> None:
    settings_ = Settings(
        database_url="sqlite://", fixture="minimal", journal_limit=3, journal_xml=True
    )
    with MockChargePoint(settings_, ManualClock(START)) as mock:
        client = mock.client()
        for _ in range(5):
            client.service.getCPNInstances()
        kept = entries(mock, "?xml=1")
        assert [e["id"] for e in kept] == [3, 4, 5]
        assert "getCPNInstances" in kept[0]["requestXml"]
        assert kept[0]["requestXml"].count("<wsse:Password") == 1
        assert kept[0]["responseXml"].endswith("</soapenv:Envelope>")
        assert kept[0]["responseXml"].count("<cpnID>") == 4
        assert "requestXml" not in entries(mock)[0]


def test_two_apps_on_one_database_share_one_journal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    shared = Settings(database_url=url, fixture="minimal")
    with (
        MockChargePoint(shared, ManualClock(START)) as one,
        MockChargePoint(shared, ManualClock(START)) as two,
    ):
        one.client().service.getCPNInstances()
        two.client().service.shedLoad(shedQuery=SHED)
        assert [e["operation"] for e in entries(one)] == ["getCPNInstances", "shedLoad"]
        assert entries(one) == entries(two)


params_tree = st.recursive(
    st.text("0123456789:", max_size=6),
    lambda inner: st.dictionaries(st.sampled_from(["a", "b", "stationID"]), inner, max_size=3)
    | st.lists(inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(params_tree, st.text("0123456789:", max_size=6))
def test_bare_name_matches_exactly_when_some_element_of_that_name_holds_the_value(
    tree: object, value: str
) -> None:
    def leaves(node: object, under: str | None) -> list[str]:
        if isinstance(node, dict):
            return [v for k, child in node.items() for v in leaves(child, k)]
        if isinstance(node, list):
            return [v for child in node for v in leaves(child, under)]
        return [str(node)] if under == "stationID" else []

    def numeric_equal(a: str, b: str) -> bool:
        from decimal import Decimal, InvalidOperation

        try:
            return a == b or Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False

    expected = any(numeric_equal(leaf, value) for leaf in leaves({"root": tree}, None))
    assert matches_param({"root": tree}, "stationID", value) == expected
