"""Operations whose issue has not landed answer a clean SOAP Server fault, not a parse error."""

from __future__ import annotations

import pytest
import zeep
from zeep.exceptions import Fault

from mockcp.soap.operations import PENDING
from tests.soap.minimal_args import minimal_args


@pytest.mark.parametrize("operation", sorted(PENDING))
def test_pending_operation_reference_client_gets_not_implemented_fault(
    reference_client: zeep.Client, operation: str
) -> None:
    args = minimal_args(reference_client, operation)
    with pytest.raises(Fault) as raised:
        getattr(reference_client.service, operation)(**args)
    assert raised.value.code == "soapenv:Server"
    assert raised.value.message == (
        f"Operation {operation} is not implemented yet in mockcp ({PENDING[operation]}); "
        "see the coverage table in the README."
    )


def test_pending_operation_served_wsdl_client_gets_same_fault(client: zeep.Client) -> None:
    with pytest.raises(Fault) as raised:
        client.service.getFleetVehicles(searchQuery={})
    assert raised.value.code == "soapenv:Server"
    assert "getFleetVehicles is not implemented yet" in raised.value.message
