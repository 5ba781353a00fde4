"""A comparable shape of a WSDL's schema: names, order, types, occurrence, compositors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"


def _local(tag: str) -> str:
    return tag.split("}")[-1]


@dataclass(frozen=True)
class Field:
    name: str
    type: Any  # "xsd:int", "tns:geoData", or a nested Shape for an inline type
    min_occurs: str
    max_occurs: str
    default: str | None


@dataclass(frozen=True)
class Shape:
    compositor: str | None
    base: str | None
    fields: tuple[Field, ...]
    facets: tuple[tuple[str, str], ...] = ()


def _type_name(value: str) -> str:
    prefix, _, name = value.rpartition(":")
    return ("xsd:" if prefix in {"xs", "xsd"} else "tns:") + name


def complex_shape(node: etree._Element) -> Shape:
    base = None
    body = node
    content = node.find(f"{{{XS}}}complexContent")
    if content is not None:
        body = content.find(f"{{{XS}}}extension")
        base = _type_name(body.get("base"))
    compositor = None
    fields: list[Field] = []
    for group in body:
        if not isinstance(group.tag, str) or _local(group.tag) not in {"sequence", "all", "choice"}:
            continue
        compositor = _local(group.tag)
        for element in group.iterchildren(f"{{{XS}}}element"):
            fields.append(_field(element))
    return Shape(compositor, base, tuple(fields))


def simple_shape(node: etree._Element) -> Shape:
    restriction = node.find(f"{{{XS}}}restriction")
    facets = tuple((_local(f.tag), f.get("value")) for f in restriction if isinstance(f.tag, str))
    return Shape("restriction", _type_name(restriction.get("base")), (), facets)


def _field(element: etree._Element) -> Field:
    if element.get("type"):
        kind: Any = _type_name(element.get("type"))
    elif element.find(f"{{{XS}}}complexType") is not None:
        kind = complex_shape(element.find(f"{{{XS}}}complexType"))
    else:
        kind = simple_shape(element.find(f"{{{XS}}}simpleType"))
    return Field(
        element.get("name"),
        kind,
        element.get("minOccurs", "1"),
        element.get("maxOccurs", "1"),
        element.get("default"),
    )


@dataclass
class WsdlShape:
    types: dict[str, Shape]
    elements: dict[str, Shape]
    operations: list[str]
    soap_actions: dict[str, str]
    messages: dict[str, str]
    binding: str
    port_type: str
    service: str
    port: str
    address: str


def read(data: bytes) -> WsdlShape:
    root = etree.fromstring(data)
    schema = root.find(f"{{{WSDL}}}types/{{{XS}}}schema")
    types: dict[str, Shape] = {}
    elements: dict[str, Shape] = {}
    for node in schema:
        if not isinstance(node.tag, str):
            continue
        kind = _local(node.tag)
        if kind == "complexType":
            types[node.get("name")] = complex_shape(node)
        elif kind == "simpleType":
            types[node.get("name")] = simple_shape(node)
        elif kind == "element":
            inner = node.find(f"{{{XS}}}complexType")
            elements[node.get("name")] = complex_shape(inner)
    port_type = root.find(f"{{{WSDL}}}portType")
    binding = root.find(f"{{{WSDL}}}binding")
    service = root.find(f"{{{WSDL}}}service")
    port = service.find(f"{{{WSDL}}}port")
    messages = {
        m.get("name"): m.find(f"{{{WSDL}}}part").get("element").split(":")[-1]
        for m in root.iterchildren(f"{{{WSDL}}}message")
    }
    return WsdlShape(
        types=types,
        elements=elements,
        operations=[op.get("name") for op in port_type.iterchildren(f"{{{WSDL}}}operation")],
        soap_actions={
            op.get("name"): op.find(f"{{{SOAP}}}operation").get("soapAction")
            for op in binding.iterchildren(f"{{{WSDL}}}operation")
        },
        messages=messages,
        binding=binding.get("name"),
        port_type=port_type.get("name"),
        service=service.get("name"),
        port=port.get("name") + " -> " + port.get("binding").split(":")[-1],
        address=port.find(f"{{{SOAP}}}address").get("location"),
    )
