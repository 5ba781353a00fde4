"""spyne services, one per WSDL area; method names are the WSDL's operation names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spyne import ComplexModelBase, rpc

from mockcp.soap.wire import server_fault

# Which issue brings each operation that is not implemented yet (README coverage table).
PENDING: dict[str, str] = {}


def pending(
    operation: str, request: type[ComplexModelBase], response: type[ComplexModelBase], issue: str
) -> Any:
    """A declared operation that answers a SOAP ``Server`` fault until its issue lands."""
    PENDING[operation] = issue

    def handler(ctx: Any, request_object: Any) -> Any:
        raise server_fault(
            f"Operation {operation} is not implemented yet in mockcp ({issue}); "
            "see the coverage table in the README."
        )

    handler.__name__ = handler.__qualname__ = operation
    return rpc(request, _returns=response, _body_style="bare", _operation_name=operation)(handler)


def operation(
    request: type[ComplexModelBase], response: type[ComplexModelBase]
) -> Callable[[Callable[[Any, Any], Any]], Any]:
    """Declare a handler as the WSDL operation of its name (bare request and response)."""

    def decorate(handler: Callable[[Any, Any], Any]) -> Any:
        return rpc(
            request, _returns=response, _body_style="bare", _operation_name=handler.__name__
        )(handler)

    return decorate
