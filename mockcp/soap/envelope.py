"""A response envelope as bytes, without building or serialising its constant part (issue 18).

Every answer wraps its body element in the same envelope (``response_envelope`` below): a
``soapenv:Header`` holding a ``wsse:Security`` with a ``wsu:Timestamp`` of the call's instant.
Only the three timestamp strings change from call to call, so the envelope is rendered once,
by ``response_envelope`` itself with markers in place of those strings, and cut into a
template. An answer is then the template filled with the instant, the body element serialised
alone by lxml, and the closing tags: the very bytes lxml writes for the whole tree (the body
element declares its own ``ns1`` prefix and its children are unqualified, so it prints alike
alone and in place). ``tests/soap/test_envelope.py`` compares both for any instant and body.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lxml import etree

from mockcp.clock import utc

# False: spyne's own way (the whole tree serialised by spyne, the body parsed a second time):
# tests/soap/test_lean_path.py answers every recorded request both ways and compares bytes.
LEAN = True

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"

_MARKS = ("MOCKCPID", "MOCKCPCREATED", "MOCKCPEXPIRES", "MOCKCPBODY")


def response_envelope(now: datetime, body_element: etree._Element) -> etree._Element:
    """``soapenv:Envelope`` with the wsse/wsu Timestamp header around ``body_element``."""
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV})
    header = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Header")
    security = etree.SubElement(header, f"{{{WSSE}}}Security", nsmap={"wsse": WSSE, "wsu": WSU})
    security.set(f"{{{SOAP_ENV}}}mustUnderstand", "1")
    stamp = etree.SubElement(security, f"{{{WSU}}}Timestamp")
    stamp_id, created, expires = timestamp_strings(now)
    stamp.set(f"{{{WSU}}}Id", stamp_id)
    etree.SubElement(stamp, f"{{{WSU}}}Created").text = created
    etree.SubElement(stamp, f"{{{WSU}}}Expires").text = expires
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    body.append(body_element)
    return envelope



def _template() -> list[bytes]:
    envelope = response_envelope(datetime(2000, 1, 1), etree.Element(_MARKS[3]))
    stamp = envelope[0][0][0]
    stamp.set(f"{{{WSU}}}Id", _MARKS[0])
    stamp[0].text, stamp[1].text = _MARKS[1], _MARKS[2]
    text = bytes(etree.tostring(envelope, encoding="UTF-8", xml_declaration=True))
    before_id, rest = text.split(_MARKS[0].encode())
    between, rest = rest.split(_MARKS[1].encode())
    expires, rest = rest.split(_MARKS[2].encode())
    before_body, after_body = rest.split(f"<{_MARKS[3]}/>".encode())
    return [before_id, between, expires, before_body, after_body]


_PARTS: list[bytes] = []


def timestamp_strings(now: datetime) -> tuple[str, str, str]:
    """The response Timestamp's ``wsu:Id``, ``Created`` and ``Expires`` (five minutes on)."""
    return (
        "Timestamp-" + now.strftime("%Y%m%d%H%M%S%f"),
        _ms(now),
        _ms(now + timedelta(minutes=5)),
    )


def _ms(instant: datetime) -> str:
    return utc(instant).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def envelope_bytes(stamp_id: str, created: str, expires: str, body: etree._Element) -> bytes:
    """The whole answer: ``response_envelope(now, body)`` serialised as spyne's protocol does
    (UTF-8, with the XML declaration), from the timestamp's three strings and the body."""
    serialised = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    return _head(stamp_id, created, expires) + serialised + _parts()[4]


def _parts() -> list[bytes]:
    if not _PARTS:
        _PARTS[:] = _template()
    return _PARTS


def _head(stamp_id: str, created: str, expires: str) -> bytes:
    """Everything of an answer before its body element, for the timestamp's three strings."""
    head, created_at, expires_at, body_at, _ = _parts()
    return b"".join(
        (head, stamp_id.encode(), created_at, created.encode(), expires_at, expires.encode(),
         body_at)
    )  # fmt: skip


def body_bytes(answer: bytes, now: datetime) -> bytes | None:
    """The body element's bytes of ``answer`` when ``answer`` is exactly what
    ``envelope_bytes`` writes for the instant ``now`` around them; None for anything else (a
    fault, another envelope): ``stamped(now, body_bytes(answer, now)) == answer``."""
    prefix, end = _head(*timestamp_strings(now)), _parts()[4]
    if len(answer) < len(prefix) + len(end) or not answer.startswith(prefix):
        return None
    if not answer.endswith(end):
        return None
    return answer[len(prefix) : len(answer) - len(end)]


def stamped(now: datetime, body: bytes) -> bytes:
    """An answer of already serialised body bytes, stamped with the instant ``now``: the bytes
    ``envelope_bytes`` writes for the same body element at the same instant."""
    return _head(*timestamp_strings(now)) + body + _parts()[4]
