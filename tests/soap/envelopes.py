"""Hand-built SOAP envelopes shaped like real clients' requests (real-interface 1, 4)."""

from __future__ import annotations

from lxml import etree

SOAP_PATH = "/webservices/chargepoint/services/5.1"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "urn:dictionary:com.chargepoint.webservices"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"


def security(key: str, password: str, must_understand: bool = True, extras: str = "") -> str:
    mu = ' soapenv:mustUnderstand="1"' if must_understand else ""
    return (
        f'<soapenv:Header xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}"><wsse:Security{mu}>'
        f"<wsse:UsernameToken><wsse:Username>{key}</wsse:Username>"
        f'<wsse:Password Type="{PASSWORD_TEXT}">{password}</wsse:Password>{extras}'
        "</wsse:UsernameToken></wsse:Security></soapenv:Header>"
    )


def guide_style(key: str, password: str, body: str) -> bytes:
    """As the guide's samples: ``urn:`` wrapper, unqualified children, mustUnderstand."""
    return (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:urn="{TNS}">{security(key, password)}<soapenv:Body>{body}</soapenv:Body>'
        "</soapenv:Envelope>"
    ).encode()


def go_style(key: str, password: str, operation: str, inner: str) -> bytes:
    """As Go's encoding/xml: children in the default namespace, no prefixes on the body."""
    return (
        '<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<Header><Security xmlns="{WSSE}" '
        'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'soapenv:mustUnderstand="1"><UsernameToken>'
        f'<Username>{key}</Username><Password Type="{PASSWORD_TEXT}">{password}</Password>'
        "</UsernameToken></Security></Header>"
        f'<Body><{operation} xmlns="{TNS}">{inner}</{operation}></Body></Envelope>'
    ).encode()


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def fault_of(data: bytes) -> tuple[str, str]:
    """(faultcode, faultstring) of a fault response."""
    root = parse(data)
    fault = root.find(".//{http://schemas.xmlsoap.org/soap/envelope/}Fault")
    assert fault is not None, data
    return fault.findtext("faultcode") or "", fault.findtext("faultstring") or ""


def cpn_call(app: object, key: str, password: str) -> tuple[int, str, str]:
    """(HTTP status, "ok" or faultcode, answer element or faultstring) of getCPNInstances
    sent in process to ``app`` (a WSGI application)."""
    from werkzeug.test import Client

    reply = Client(app).post(SOAP_PATH, data=guide_style(key, password, "<urn:getCPNInstances/>"))
    root = parse(reply.get_data())
    fault = root.find(f".//{{{SOAP_ENV}}}Fault")
    if fault is not None:
        code, text = str(fault.findtext("faultcode")), str(fault.findtext("faultstring"))
        return reply.status_code, code, text
    body = root.find(f"{{{SOAP_ENV}}}Body")
    assert body is not None
    return reply.status_code, "ok", etree.QName(body[0]).localname
