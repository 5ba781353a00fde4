"""getCPNInstances (guide 4.1) through zeep: served WSDL, reference WSDL, real HTTP."""

from __future__ import annotations

import pytest
import requests
import zeep
from zeep.wsse.username import UsernameToken

from mockcp.testing import BINDING, MockChargePoint
from tests.conftest import REFERENCE_WSDL, require_shared

EXPECTED = [
    ("1", "USA", "ChargePoint North America"),
    ("2", "EU", "ChargePoint Europe"),
    ("3", "AU", "ChargePoint Australia"),
    ("4", "CA", "ChargePoint Canada"),
]


def _rows(result: list[object]) -> list[tuple[str, str, str]]:
    return [(row.cpnID, row.cpnName, row.cpnDescription) for row in result]  # type: ignore[attr-defined]


def test_getCPNInstances_served_wsdl_in_process_returns_fixture_instances(
    client: zeep.Client,
) -> None:
    assert _rows(client.service.getCPNInstances()) == EXPECTED


def test_getCPNInstances_reference_wsdl_strict_parses_response(
    reference_client: zeep.Client,
) -> None:
    assert _rows(reference_client.service.getCPNInstances()) == EXPECTED


@pytest.mark.server
def test_getCPNInstances_over_real_http_with_served_wsdl(mock: MockChargePoint) -> None:
    tenant = mock.tenants()[0]
    with mock.serve() as base:
        client = zeep.Client(
            f"{base}/cp_api_5.1.wsdl", wsse=UsernameToken(tenant.license_key, tenant.password)
        )
        assert _rows(client.service.getCPNInstances()) == EXPECTED


@pytest.mark.server
def test_getCPNInstances_over_real_http_with_reference_wsdl(mock: MockChargePoint) -> None:
    tenant = mock.tenants()[0]
    with mock.serve() as base:
        client = zeep.Client(
            str(require_shared(REFERENCE_WSDL)),
            wsse=UsernameToken(tenant.license_key, tenant.password),
        )
        service = client.create_service(BINDING, f"{base}/webservices/chargepoint/services/5.1")
        assert _rows(service.getCPNInstances()) == EXPECTED


@pytest.mark.server
def test_getCPNInstances_http_response_has_real_envelope_shape(mock: MockChargePoint) -> None:
    from tests.soap.envelopes import guide_style, parse

    tenant = mock.tenants()[0]
    body = guide_style(tenant.license_key, tenant.password, "<urn:getCPNInstances/>")
    with mock.serve() as base:
        reply = requests.post(
            f"{base}/webservices/chargepoint/services/5.1",
            data=body,
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=10,
        )
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/xml")
    root = parse(reply.content)
    assert root.prefix == "soapenv"
    response = root.find("{*}Body")[0]
    assert response.prefix == "ns1"
    assert response.tag == "{urn:dictionary:com.chargepoint.webservices}getCPNInstancesResponse"
    assert [child.tag for child in response] == ["CPN"] * 4
    assert [c.tag for c in response[0]] == ["cpnID", "cpnName", "cpnDescription"]
    stamp = root.find("{*}Header/{*}Security/{*}Timestamp")
    assert stamp is not None
    created = stamp.findtext("{*}Created")
    expires = stamp.findtext("{*}Expires")
    assert created == "2024-03-12T17:00:00.000Z"
    assert expires == "2024-03-12T17:05:00.000Z"


@pytest.mark.parametrize(
    ("operation", "args"),
    [
        ("registerFeeds", {"Events": {"feedEventName": ["station_charging_session_start"]},
                           "searchQuery": {"stationID": "1:10001"}}),
        ("updateFeed", {"subscriptionID": "42", "Refresh": True}),
    ],
)
def test_removed_push_framework_answers_188(
    reference_client: zeep.Client, operation: str, args: dict[str, object]
) -> None:
    """Guide 11: the push framework was removed; its operations say so with 188."""
    reply = getattr(reference_client.service, operation)(**args)
    assert (reply.responseCode, reply.responseText) == ("188", "Operation not found")
    assert getattr(reply, "subscriptionID", None) is None
