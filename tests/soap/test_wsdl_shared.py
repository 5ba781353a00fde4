"""Every app of a process shares one built WSDL per version (``soap/wsdl.py``): the second app
copies the first one's, with its own address, and the bytes are those of a fresh build."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from mockcp.app import create_app
from mockcp.config import Settings
from mockcp.soap import wsdl
from mockcp.soap.versions import V5_0, V5_1

ADDRESS = "http://mock.example.test/webservices/chargepoint/services/5.1"


def test_a_second_app_renders_the_same_wsdl_without_building_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(wsdl, "_BUILT", {})
    built: list[str] = []
    real = wsdl.build_wsdl

    def counted(app: Any, version: Any = V5_1) -> etree._Element:
        built.append(version.name)
        return real(app, version)

    monkeypatch.setattr(wsdl, "build_wsdl", counted)
    settings = Settings(database_url="sqlite://", fixture="minimal")
    first, second = create_app(settings), create_app(settings)
    try:
        one = first.wsdl_bytes(ADDRESS)
        two = second.wsdl_bytes(ADDRESS)
        other = second.wsdl_bytes("http://elsewhere.test/x")
        older = second.wsdl_bytes(ADDRESS, V5_0)
        document = real(second.soap, V5_1)  # built afresh, as before the sharing
        document.find(f".//{{{wsdl.SOAP}}}address").set("location", ADDRESS)  # type: ignore[union-attr]
        fresh = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    finally:
        first.close()
        second.close()
    assert built == ["5.1", "5.0"]  # once per version, whichever app asked first
    assert one == two
    assert f'location="{ADDRESS}"'.encode() in one
    assert b'location="http://elsewhere.test/x"' in other
    assert other.replace(b"http://elsewhere.test/x", ADDRESS.encode()) == one  # only the address
    assert older != one  # 5.0 publishes fewer operations
    assert fresh == one
