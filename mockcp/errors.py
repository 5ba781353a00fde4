"""The one exception of the catalogue, and its only subclass."""

from __future__ import annotations

from mockcp.codes import ResponseCode


class CPError(Exception):
    """A ChargePoint business error: a catalogue member plus its template fields.

    Rendered once, by the SOAP layer, as the operation's response carrying
    ``responseCode``/``responseText`` (HTTP 200).
    """

    def __init__(self, code: ResponseCode, **fields: object) -> None:
        self.code = code
        self.fields = fields
        self.text = code.render(**fields)
        super().__init__(f"{code.code}: {self.text}")

    def __str__(self) -> str:
        return f"{self.code.code}: {self.text}"


class AuthError(CPError):
    """A WS-Security failure: rendered as a SOAP fault (HTTP 500), not a response.

    ``fault_code`` is the WS-Security fault's local name: ``FailedAuthentication``
    for a wrong key or password, ``InvalidSecurity`` for a missing or garbled header.
    """

    def __init__(self, fault_code: str, reason: str) -> None:
        super().__init__(ResponseCode.PLAN_NOT_AUTHORIZED)
        self.fault_code = fault_code
        self.reason = reason

    def __str__(self) -> str:
        return f"wsse:{self.fault_code}: {self.reason}"
