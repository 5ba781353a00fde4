"""ChargePoint's SOAP dialect: every wire-format override of mockcp lives here.

In (real-interface 1, 3): a hardened parser (no DTD, no entities, no href/id
resolution, size and depth limits), WS-Security checked before anything else,
then the body normalised before spyne's soft validation: children matched by
local name whatever their namespace, ``xsi:type`` dropped, empty optional
elements treated as absent (required ones: a Client fault), booleans ``true|false|1|0``, timestamps
with ``Z``, an offset or none (UTC).

Out (real-interface 1, 3.2, 3.3): ``soapenv``/``ns1`` prefixes, unqualified
children, a response ``wsse:Security`` header holding a ``wsu:Timestamp``,
values and rows printed by ``wire_out`` in the shape of the API version the
request was sent to (its endpoint path); faults as SOAP 1.1 with HTTP 500.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from lxml import etree
from spyne import ComplexModelBase, Fault
from spyne.model.primitive import (
    Boolean,
    Date,
    DateTime,
    Decimal,
    Double,
    Float,
    Integer,
    Unicode,
)
from spyne.protocol.soap import Soap11

from mockcp.clock import utc
from mockcp.soap import envelope as template
from mockcp.soap.context import RequestContext
from mockcp.soap.envelope import SOAP_ENV, WSSE, response_envelope
from mockcp.soap.versions import BY_PATH, V5_1, ApiVersion
from mockcp.soap.wire_out import build_children, format_value, formatter_for

__all__ = ["WSSE", "build_children", "format_value", "formatter_for", "response_envelope"]
from mockcp.soap.guard import PARSED, has_dtd, safe_parser

SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
TNS = "urn:dictionary:com.chargepoint.webservices"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


Authenticator = Callable[[Any, "etree._Element | None"], None]
Now = Callable[[], datetime]


class WireFault(Fault):  # type: ignore[misc]
    """A SOAP 1.1 fault with a fully qualified faultcode (``soapenv:Client``, ``wsse:…``)."""

    def __init__(self, prefix: str, code: str, text: str) -> None:
        super().__init__(f"{prefix}:{code}", text)
        self.prefix = prefix
        self.code = code
        self.text = text


def client_fault(text: str) -> WireFault:
    return WireFault("soapenv", "Client", text)


def server_fault(text: str) -> WireFault:
    return WireFault("soapenv", "Server", text)


def auth_fault(code: str, text: str) -> WireFault:
    return WireFault("wsse", code, text)


# --------------------------------------------------------------------- input


def parse_envelope(raw: bytes, max_bytes: int, max_depth: int) -> etree._Element:
    """Parse a request body safely or raise a ``Client`` fault naming the problem."""
    if not raw.strip():
        raise client_fault("Empty request body: a SOAP 1.1 envelope is required.")
    if len(raw) > max_bytes:
        raise client_fault(f"Request body of {len(raw)} bytes exceeds the limit of {max_bytes}.")
    try:
        root = etree.fromstring(raw, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise client_fault(f"Malformed XML: {exc}") from None
    if has_dtd(root):  # the parser saw it, whatever the encoding (no byte search)
        raise client_fault("DTDs and entity declarations are not allowed in SOAP messages.")
    _check_depth(root, max_depth)
    return root


def _check_depth(root: etree._Element, max_depth: int) -> None:
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise client_fault(f"XML nesting deeper than {max_depth} levels is not allowed.")
        stack.extend((child, depth + 1) for child in element)


def split_envelope(root: etree._Element) -> tuple[etree._Element | None, etree._Element]:
    """The Security-bearing Header (or None) and the Body's first element."""
    if root.tag == f"{{{SOAP12_ENV}}}Envelope":
        raise client_fault("SOAP 1.2 is not supported: send a SOAP 1.1 envelope.")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise client_fault(f"Expected a SOAP 1.1 Envelope, got {etree.QName(root).localname}.")
    header = root.find(f"{{{SOAP_ENV}}}Header")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None or len(body) == 0:
        raise client_fault("The SOAP Body is missing or empty: it must hold one operation element.")
    return header, body[0]


def normalise(
    element: etree._Element, cls: type[ComplexModelBase], operation: str | None = None
) -> None:
    """Rewrite a request element in place so spyne reads it as the 5.1 schema means it.

    The one rule for empty elements (what SOAP stacks send for an unset field: suds,
    Go structs without ``omitempty``, request templates): an empty optional element
    is absent, whatever its type; an empty required element of a simple type other than
    a free string is a ``Client`` fault naming it, as the real service's schema
    validation answers (``""`` is a valid ``xsd:string``: the operation answers it).
    """
    operation = operation or etree.QName(element).localname
    for name in list(element.attrib):
        if str(name).startswith(f"{{{XSI}}}"):
            del element.attrib[name]
    flat = cls.get_flat_type_info(cls)
    for child in list(element):
        member = flat.get(etree.QName(child).localname)
        repeatable = member is not None and issubclass(member, ComplexModelBase)
        if repeatable and member.Attributes.max_occurs > 1:
            _split_repeats(child, member)
    for child in list(element):
        local = etree.QName(child).localname
        child.tag = local
        member = flat.get(local)
        if member is None:
            continue
        optional = member.Attributes.min_occurs == 0
        if child.get(f"{{{XSI}}}nil") in {"true", "1"} or (
            optional and issubclass(member, ComplexModelBase) and _is_blank(child)
        ):
            element.remove(child)
        elif issubclass(member, ComplexModelBase):
            normalise(child, member, operation)
        else:
            _normalise_simple(element, child, member, operation)


def _split_repeats(element: etree._Element, cls: type[ComplexModelBase]) -> None:
    """One array item holding its single value several times becomes several items.

    KIN's Go client sends ``<Port><portNumber>1</portNumber><portNumber>2</portNumber></Port>``
    for two ports (real-interface 4.3); each value is moved into a copy of its own.
    """
    flat = cls.get_flat_type_info(cls)
    names = [etree.QName(child).localname for child in element]
    if len(names) < 2 or len(set(names)) != 1 or names[0] not in flat:
        return
    if flat[names[0]].Attributes.max_occurs != 1:
        return
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for offset, extra in enumerate(list(element)[1:], start=1):
        copy = etree.Element(element.tag)
        copy.append(extra)
        parent.insert(at + offset, copy)


def _is_blank(element: etree._Element) -> bool:
    """No text anywhere below: an empty placeholder such as KIN's ``<shedGroup></shedGroup>``."""
    return all(not (node.text or "").strip() for node in element.iter())


def _normalise_simple(
    parent: etree._Element, child: etree._Element, member: Any, operation: str
) -> None:
    text = (child.text or "").strip()
    if not text and len(child) == 0:
        if member.Attributes.min_occurs == 0:
            parent.remove(child)
            return
        if issubclass(member, Unicode) and not member.Attributes.values:
            return  # "" is a valid xsd:string: the operation answers it (guide codes)
        raise client_fault(
            f"Invalid {operation} request: element '{child.tag}' is required "
            "and must not be empty."
        )
    if issubclass(member, Boolean):
        lowered = text.lower()
        if lowered not in {"true", "false", "1", "0"}:
            raise client_fault(
                f"Element {child.tag}: {text!r} is not a boolean (true, false, 1, 0)."
            )
        child.text = "true" if lowered in {"true", "1"} else "false"
    elif issubclass(member, DateTime) and not issubclass(member, Date):
        child.text = _canonical_datetime(child.tag, text)
    elif issubclass(member, Integer | Decimal | Double | Float):
        child.text = text
        _check_number(child.tag, text, member)


INT64 = 2**63  # no stored key or count is wider: larger integers can match nothing
_NUMBER = re.compile(
    r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$", re.I
)


def _check_number(tag: str, text: str, member: Any) -> None:
    """Numbers Python would take but the store cannot: NaN, infinities, over 64 bits."""
    shown = text if len(text) <= 40 else text[:40] + "..."
    if issubclass(member, Integer):
        if text.lstrip("+-").isdigit() and abs(int(text)) >= INT64:
            raise client_fault(f"Element {tag}: {shown!r} is out of range (64-bit integers).")
        return
    if not _NUMBER.match(text):
        raise client_fault(f"Element {tag}: {shown!r} is not a number.")
    if not math.isfinite(float(text)):
        raise client_fault(f"Element {tag}: {shown!r} is not a finite number.")


def _canonical_datetime(tag: str, text: str) -> str:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise client_fault(f"Element {tag}: {text!r} is not an ISO-8601 date-time.") from None
    try:
        return utc(value).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        raise client_fault(
            f"Element {tag}: {text!r} is outside years 1-9999 once taken to UTC."
        ) from None


_FREQ = re.compile(r"'(\w+)' member does not respect frequency constraints")


def clarify_fault(fault: Fault, operation: str) -> WireFault:
    """spyne's validation faults, reworded to name the element and the rule."""
    text = str(fault.faultstring)
    match = _FREQ.search(text)
    if match:
        text = (
            f"Invalid {operation} request: element '{match.group(1)}' is missing or "
            "occurs more often than the schema allows."
        )
    elif _PYTHON_WORDS.search(text):  # spyne passes some exception texts on: never show them
        text = f"Invalid {operation} request: a value does not match its schema type."
    else:
        text = f"Invalid {operation} request: {text}"
    return client_fault(text)


_PYTHON_WORDS = re.compile(r"Error\b|could not convert|invalid literal|Traceback|NoneType")


# -------------------------------------------------------------------- output


def fault_envelope(fault: Fault) -> etree._Element:
    """A SOAP 1.1 fault envelope as the real service sends it (empty Header)."""
    if isinstance(fault, WireFault):
        prefix, code, text = fault.prefix, fault.code, fault.text
    else:
        client = str(fault.faultcode).startswith("Client")
        prefix, code, text = "soapenv", "Client" if client else "Server", str(fault.faultstring)
    nsmap = {"soapenv": SOAP_ENV}
    if prefix == "wsse":
        nsmap["wsse"] = WSSE
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap=nsmap)
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Header")
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    fault_el = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault_el, "faultcode").text = f"{prefix}:{code}"
    etree.SubElement(fault_el, "faultstring").text = text
    return envelope


def original(cls: Any) -> Any:
    """The declared class behind a spyne ``customize()`` copy (which must not be instantiated)."""
    return getattr(cls, "__orig__", None) or cls


def version_of(ctx: Any) -> ApiVersion:
    """The API version a request was sent to: its endpoint path says (soap/versions.py)."""
    environ = getattr(getattr(ctx, "transport", None), "req_env", None) or {}
    path = str(environ.get("PATH_INFO", "")).rstrip("/")
    # By suffix: a router may leave its own prefix (a sandbox) in front of the endpoint path.
    return next((v for p, v in BY_PATH.items() if path.endswith(p)), V5_1)


def fault_bytes(fault: Fault) -> bytes:
    return bytes(etree.tostring(fault_envelope(fault), xml_declaration=True, encoding="UTF-8"))


class ChargePointSoap11(Soap11):  # type: ignore[misc]
    """spyne's SOAP 1.1 protocol speaking ChargePoint's dialect (both directions)."""

    def __init__(
        self,
        authenticate: Authenticator,
        now: Now,
        max_bytes: int,
        max_depth: int,
    ) -> None:
        super().__init__(validator="soft", cleanup_namespaces=False)
        self._authenticate = authenticate
        self._now = now
        self._max_bytes = max_bytes
        self._max_depth = max_depth

    def create_in_document(self, ctx: Any, charset: str | None = None) -> None:
        raw = b"".join(
            part if isinstance(part, bytes) else str(part).encode() for part in ctx.in_string
        )
        environ = getattr(ctx.transport, "req_env", None) or {}
        body, parsed = environ.pop(PARSED, (None, None))  # the guard's tree, used once
        if template.LEAN and parsed is not None and body == raw and len(raw) <= self._max_bytes:
            _check_depth(parsed, self._max_depth)  # the guard refused DTDs already
            ctx.in_document = parsed
            return
        ctx.in_document = parse_envelope(raw, self._max_bytes, self._max_depth)

    def decompose_incoming_envelope(self, ctx: Any, message: Any = None) -> None:
        header, payload = split_envelope(ctx.in_document)
        self._authenticate(ctx, header)
        local = etree.QName(payload).localname
        methods = self.app.interface.service_method_map.get(f"{{{TNS}}}{local}")
        version = version_of(ctx)
        if not methods or local not in version.operations:
            raise client_fault(
                f"Unknown operation: {local} is not an operation of the {version.name} API."
            )
        payload.tag = f"{{{TNS}}}{local}"
        normalise(payload, methods[0].in_message)
        ctx.in_header_doc = None
        ctx.in_body_doc = payload
        ctx.method_request_string = payload.tag

    def deserialize(self, ctx: Any, message: Any) -> None:
        try:
            super().deserialize(ctx, message)
        except WireFault:
            raise
        except Fault as fault:
            raise clarify_fault(fault, etree.QName(ctx.in_body_doc).localname) from None
        except (ValueError, TypeError, AttributeError, ArithmeticError):
            operation = etree.QName(ctx.in_body_doc).localname
            raise client_fault(
                f"Invalid {operation} request: a value does not match its schema type."
            ) from None

    def serialize(self, ctx: Any, message: Any) -> None:
        if ctx.out_error is not None:
            ctx.out_document = fault_envelope(ctx.out_error)
            return
        out_cls = original(ctx.descriptor.out_message)
        wrapper = etree.Element(f"{{{TNS}}}{out_cls.get_type_name()}", nsmap={"ns1": TNS})
        version = version_of(ctx)
        if len(ctx.out_object) == 1 and isinstance(ctx.out_object[0], out_cls):
            build_children(wrapper, out_cls, ctx.out_object[0], version)
        else:
            names = list(out_cls.get_flat_type_info(out_cls))
            obj = out_cls(**dict(zip(names, ctx.out_object, strict=False)))
            build_children(wrapper, out_cls, obj, version)
        udc = ctx.udc  # the call's own instant (read once per call, soap/context.py)
        now = udc.stamp_instant() if isinstance(udc, RequestContext) else self._now()
        if not template.LEAN:
            ctx.out_document = response_envelope(now, wrapper)
            return
        ctx.out_document = wrapper  # the answer's body element; its bytes are made here:
        ctx.out_string = [template.envelope_bytes(*template.timestamp_strings(now), wrapper)]

    def create_out_string(self, ctx: Any, charset: str | None = None) -> None:
        if ctx.out_string is None:  # a fault: its envelope is serialised by spyne
            super().create_out_string(ctx, charset)

    def fault_to_http_response_code(self, fault: Fault) -> str:
        return "500 Internal Server Error"
