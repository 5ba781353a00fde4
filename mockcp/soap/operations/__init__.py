"""spyne services, one per WSDL area; method names are the WSDL's operation names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spyne import ComplexModelBase, rpc


def operation(
    request: type[ComplexModelBase], response: type[ComplexModelBase]
) -> Callable[[Callable[[Any, Any], Any]], Any]:
    """Declare a handler as the WSDL operation of its name (bare request and response)."""

    def decorate(handler: Callable[[Any, Any], Any]) -> Any:
        return rpc(
            request, _returns=response, _body_style="bare", _operation_name=handler.__name__
        )(handler)

    return decorate
