"""mockcp.testing's in-process zeep clients parse a served WSDL once per distinct bytes and
zeep settings: each client still fetches what its own app serves, and works alone."""

from __future__ import annotations

import dataclasses

import pytest

from mockcp.testing import MockChargePoint


def test_clients_of_two_mocks_serving_the_same_wsdl_share_its_parse(
    mock: MockChargePoint,
) -> None:
    with MockChargePoint() as other:
        first, second = mock.client(), other.client(other.tenants()[1])
        assert first.wsdl is second.wsdl
        assert first.transport is not second.transport  # each calls its own app
        assert [c.cpnName for c in second.service.getCPNInstances()] == ["USA", "EU", "AU", "CA"]
        assert first.service.getStations(searchQuery={}).responseCode == "100"


def test_another_served_wsdl_or_other_zeep_settings_get_their_own_parse(
    mock: MockChargePoint,
) -> None:
    public = "http://mock.example:9000/webservices/chargepoint/services/5.1"
    served = mock.client()
    with MockChargePoint(dataclasses.replace(mock.settings, database_url="sqlite://",
                                             wsdl_public_url=public)) as moved:
        elsewhere = moved.client()
        assert elsewhere.wsdl is not served.wsdl
        [service] = elsewhere.wsdl.services.values()
        assert [port.binding_options["address"] for port in service.ports.values()] == [public]
        assert elsewhere.service.getCPNInstances()[0].cpnName == "USA"  # still in process
    loose = mock.client(strict=False)
    assert loose.wsdl is not served.wsdl and loose.settings.strict is False
    assert loose.service.getCPNInstances()[0].cpnName == "USA"


@pytest.mark.parametrize("strict", [True, False])
def test_the_same_settings_twice_share_the_parse(mock: MockChargePoint, strict: bool) -> None:
    assert mock.client(strict=strict).wsdl is mock.client(strict=strict).wsdl
