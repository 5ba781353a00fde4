"""spyne types shared by several WSDL areas, and the named simple types.

Declarations transcribed from the ChargePoint Web Services 5.1 schema: element
names, order, XSD types and occurrence are facts of the published interface.
"""

from __future__ import annotations

from spyne import (
    ComplexModel,
    Double,
    Enum,
    Integer32,
    Time,
    Unicode,
)

TNS = "urn:dictionary:com.chargepoint.webservices"

currencyCodeType = Unicode(pattern="[A-Z]{3}", type_name="currencyCodeType", __namespace__=TNS)

transTypes = Enum(
    "Session",
    "Reservation",
    "Reservation Cancel",
    "Reservation Usage Addendum",
    type_name="transTypes",
    __namespace__=TNS,
)


class geoData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Lat", Unicode.customize(min_occurs=1)),
        ("Long", Unicode.customize(min_occurs=1)),
    ]


class pricingOptions(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("startTime", Time.customize(min_occurs=1)),
        ("Duration", Integer32.customize(min_occurs=1)),
        ("energyRequired", Double.customize(min_occurs=1)),
        ("vehiclePower", Double.customize(min_occurs=1)),
    ]


class serialNumberData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("serialNumber", Unicode.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class stationIdListBound(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1, max_occurs=100)),
    ]


class credentialIDsData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("credentialID", Unicode.customize(max_occurs="unbounded")),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS = frozenset(
    {
        "geoData",
        "pricingOptions",
    }
)
