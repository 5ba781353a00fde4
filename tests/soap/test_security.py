"""WS-Security UsernameToken (guide 2.3-2.4; real-interface 3.6): who may call."""

from __future__ import annotations

import pytest
import zeep
from werkzeug.test import Client
from zeep.exceptions import Fault

from mockcp.domain.tenants import Tenant
from mockcp.testing import MockChargePoint
from tests.soap.envelopes import SOAP_PATH, fault_of, guide_style, security

BODY = "<urn:getCPNInstances/>"
FAILED = (
    "wsse:FailedAuthentication",
    "The security token could not be authenticated or authorized",
)


def post(mock: MockChargePoint, data: bytes) -> tuple[int, bytes]:
    reply = Client(mock.wsgi).post(SOAP_PATH, data=data, headers={"Content-Type": "text/xml"})
    return reply.status_code, reply.get_data()


def test_security_right_credentials_pass(mock: MockChargePoint, tenant: Tenant) -> None:
    status, data = post(mock, guide_style(tenant.license_key, tenant.password, BODY))
    assert status == 200
    assert b"<cpnName>USA</cpnName>" in data


def test_security_each_organisation_has_its_own_credentials(mock: MockChargePoint) -> None:
    tenants = mock.tenants()
    assert len({t.license_key for t in tenants}) == len(tenants) == 2
    for tenant in tenants:
        assert post(mock, guide_style(tenant.license_key, tenant.password, BODY))[0] == 200
    other = tenants[1]
    status, data = post(mock, guide_style(tenants[0].license_key, other.password, BODY))
    assert (status, fault_of(data)) == (500, FAILED)


def test_security_wrong_password_is_failed_authentication(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    status, data = post(mock, guide_style(tenant.license_key, "not-the-password", BODY))
    assert (status, fault_of(data)) == (500, FAILED)


@pytest.mark.parametrize("padded", [" {}", "{} ", "\n  {}\n", "\t{}"])
def test_security_password_with_surrounding_spaces_is_failed_authentication(
    mock: MockChargePoint, tenant: Tenant, padded: str
) -> None:
    password = padded.format(tenant.password)
    status, data = post(mock, guide_style(tenant.license_key, password, BODY))
    assert (status, fault_of(data)) == (500, FAILED)


def test_security_unknown_key_is_failed_authentication(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    status, data = post(mock, guide_style("0" * 55, tenant.password, BODY))
    assert (status, fault_of(data)) == (500, FAILED)


def test_security_missing_header_is_invalid_security(mock: MockChargePoint) -> None:
    data = (
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        b'xmlns:urn="urn:dictionary:com.chargepoint.webservices"><soapenv:Body>'
        b"<urn:getCPNInstances/></soapenv:Body></soapenv:Envelope>"
    )
    status, reply = post(mock, data)
    assert status == 500
    assert fault_of(reply) == (
        "wsse:InvalidSecurity",
        "A security header is required: no SOAP Header found.",
    )


def test_security_header_without_token_is_invalid_security(mock: MockChargePoint) -> None:
    data = (
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        b'xmlns:urn="urn:dictionary:com.chargepoint.webservices"><soapenv:Header>'
        b'<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-'
        b'wssecurity-secext-1.0.xsd"><wsse:Garbled/></wsse:Security></soapenv:Header>'
        b"<soapenv:Body><urn:getCPNInstances/></soapenv:Body></soapenv:Envelope>"
    )
    status, reply = post(mock, data)
    assert (status, fault_of(reply)) == (
        500,
        ("wsse:InvalidSecurity", "wsse:Security holds no wsse:UsernameToken."),
    )


def test_security_fault_declares_wsse_prefix(mock: MockChargePoint, tenant: Tenant) -> None:
    _, data = post(mock, guide_style(tenant.license_key, "wrong", BODY))
    assert b'xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/' in data


@pytest.mark.parametrize(
    "extras",
    [
        "",
        '<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-'
        'message-security-1.0#Base64Binary">bm9uY2U=</wsse:Nonce>'
        "<wsu:Created>2024-03-12T17:00:00Z</wsu:Created>",
    ],
)
@pytest.mark.parametrize("must_understand", [True, False])
def test_security_accepts_with_or_without_nonce_created_and_must_understand(
    mock: MockChargePoint, tenant: Tenant, extras: str, must_understand: bool
) -> None:
    header = security(tenant.license_key, tenant.password, must_understand, extras)
    data = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:urn="urn:dictionary:com.chargepoint.webservices">{header}'
        "<soapenv:Body><urn:getCPNInstances/></soapenv:Body></soapenv:Envelope>"
    ).encode()
    assert post(mock, data)[0] == 200


def test_security_checked_before_body_validation(mock: MockChargePoint, tenant: Tenant) -> None:
    bad_body = "<urn:getLoad><searchQuery><sgID>not-a-number</sgID></searchQuery></urn:getLoad>"
    status, data = post(mock, guide_style(tenant.license_key, "wrong", bad_body))
    assert (status, fault_of(data)) == (500, FAILED)


def test_security_zeep_wrong_password_raises_fault_with_code(
    mock: MockChargePoint, tenant: Tenant
) -> None:
    client = mock.client(Tenant(tenant.org_id, tenant.organization_name, tenant.license_key, "x"))
    with pytest.raises(Fault) as raised:
        client.service.getCPNInstances()
    assert raised.value.code == "wsse:FailedAuthentication"


def test_security_zeep_without_wsse_gets_invalid_security(mock: MockChargePoint) -> None:
    from mockcp.testing import IN_PROCESS_BASE, InProcessTransport

    client = zeep.Client(
        IN_PROCESS_BASE + "/cp_api_5.1.wsdl", transport=InProcessTransport(mock.wsgi)
    )
    service = client.create_service(
        "{urn:dictionary:com.chargepoint.webservices}chargepointservicesSOAP",
        IN_PROCESS_BASE + SOAP_PATH,
    )
    with pytest.raises(Fault) as raised:
        service.getCPNInstances()
    assert raised.value.code == "wsse:InvalidSecurity"
