"""WS-Security UsernameToken (PasswordText) on requests: who is calling.

Guide 2.3-2.4; real-interface 1 and 3.6. Accepted with or without
``mustUnderstand``, Nonce and Created. A wrong key or password is
``wsse:FailedAuthentication``; a missing or garbled header ``wsse:InvalidSecurity``.
"""

from __future__ import annotations

from lxml import etree
from sqlalchemy.orm import Session  # typing of the session passed in

from mockcp.domain.principal import Principal, lookup
from mockcp.errors import AuthError
from mockcp.soap.credentials import UNREAD, CredentialCache, Unread
from mockcp.soap.wire import WSSE

PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"


def read_token(header: etree._Element | None) -> tuple[str, str]:
    """The (Username, Password) of the UsernameToken, or AuthError(InvalidSecurity)."""
    if header is None:
        raise AuthError("InvalidSecurity", "A security header is required: no SOAP Header found.")
    security = header.find(f"{{{WSSE}}}Security")
    if security is None:
        raise AuthError("InvalidSecurity", "A security header is required: no wsse:Security found.")
    token = security.find(f"{{{WSSE}}}UsernameToken")
    if token is None:
        raise AuthError("InvalidSecurity", "wsse:Security holds no wsse:UsernameToken.")
    username = token.findtext(f"{{{WSSE}}}Username")
    password_el = token.find(f"{{{WSSE}}}Password")
    if not username or password_el is None or password_el.text is None:
        raise AuthError("InvalidSecurity", "The UsernameToken needs a Username and a Password.")
    kind = password_el.get("Type")
    if kind is not None and kind != PASSWORD_TEXT:
        raise AuthError("InvalidSecurity", "Only PasswordText passwords are supported.")
    return username.strip(), password_el.text  # a password is compared as sent, spaces too


def authenticate(
    header: etree._Element | None,
    db: Session,
    cache: CredentialCache | None = None,
    stamp: str | None | Unread = UNREAD,
) -> Principal:
    """The Principal of the request's credentials, or AuthError (``cache``: soap/credentials.py,
    ``stamp``: the credentials stamp when the call read it already)."""
    username, password = read_token(header)
    if cache is not None:
        principal = cache.principal(db, username, password, stamp)
    else:
        principal = lookup(db, username, password)
    if principal is None:
        raise AuthError(
            "FailedAuthentication",
            "The security token could not be authenticated or authorized",
        )
    return principal
