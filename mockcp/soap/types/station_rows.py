"""spyne types of the station rows answered by the station searches (ports, pricing, faults).

Declarations transcribed from the ChargePoint Web Services 5.1 schema: element
names, order, XSD types and occurrence are facts of the published interface.
"""

from __future__ import annotations

from spyne import (
    Boolean,
    ComplexModel,
    Date,
    DateTime,
    Double,
    Integer32,
    Time,
    Unicode,
)

from mockcp.soap.types.common import (
    TNS,
    currencyCodeType,
    geoData,
)


class Connector(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("connectorLabel", Unicode),
        ("connectorStatus", Unicode),
        ("connectorFaultReason", Unicode),
    ]


class Connectors(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Connector", Connector.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class portData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("portNumber", Unicode),
        ("Geo", geoData),
        ("Reservable", Integer32),
        ("Status", Unicode),
        ("Level", Unicode),
        ("timeStamp", DateTime),
        ("Mode", Unicode),
        ("Connectors", Connectors.customize(max_occurs="unbounded")),
        ("Connector", Unicode),
        ("Voltage", Unicode),
        ("Current", Unicode),
        ("Power", Unicode),
        ("estimatedCost", Double),
    ]


class pricingSpecification(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Type", Unicode),
        ("startTime", Time),
        ("endTime", Time),
        ("minPrice", Double),
        ("maxPrice", Double),
        ("initialUnitPriceDuration", Integer32),
        ("unitPricePerHour", Double),
        ("unitPricePerHourThereafter", Double),
        ("unitPricePerSession", Double),
        ("unitPricePerKWh", Double),
        ("sessionTime", Unicode),
    ]


class stationData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationManufacturer", Unicode),
        ("stationModel", Unicode),
        ("stationMacAddr", Unicode),
        ("stationSerialNum", Unicode),
        ("stationName", Unicode),
        ("Description", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Port", portData.customize(max_occurs="unbounded")),
        ("Pricing", pricingSpecification.customize(max_occurs=2)),
        ("numPorts", Integer32),
        ("mainPhone", Unicode),
        ("modTimeStamp", DateTime),
        ("timezoneOffset", Unicode),
        ("currencyCode", currencyCodeType),
        ("recordNumber", Integer32),
    ]


class getStationData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("recordNumber", Integer32.customize(min_occurs=1)),
        ("stationID", Unicode),
        ("stationManufacturer", Unicode),
        ("stationModel", Unicode),
        ("stationMacAddr", Unicode),
        ("stationSerialNum", Unicode),
        ("stationName", Unicode),
        ("Description", Unicode),
        ("stationActivationDate", DateTime),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Port", portData.customize(max_occurs="unbounded")),
        ("Pricing", pricingSpecification.customize(max_occurs=2)),
        ("numPorts", Integer32),
        ("driverName", Unicode),
        ("driverAddress", Unicode),
        ("driverEmail", Unicode),
        ("driverPhoneNumber", Unicode),
        ("lastModifiedDate", DateTime),
        ("mainPhone", Unicode),
        ("modTimeStamp", DateTime),
        ("timezoneOffset", Unicode),
        ("currencyCode", currencyCodeType),
        ("warrantyExpirationDate", DateTime),
        ("warrantyService", Unicode),
        ("servicePlanExpiryDate", Date),
        ("demo", Unicode),
    ]


class publicPortDataStatus(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("portNumber", Unicode.customize(min_occurs=1)),
        ("Status", Unicode.customize(min_occurs=1)),
        ("TimeStamp", DateTime.customize(min_occurs=1)),
        ("Connectors", Connectors.customize(max_occurs="unbounded")),
        ("Connector", Unicode),
        ("Power", Unicode),
    ]


class publicStatusdata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1)),
        ("Port", publicPortDataStatus.customize(min_occurs=1, max_occurs="unbounded")),
        ("recordNumber", Integer32),
    ]


class portDataStatus(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("portNumber", Unicode.customize(min_occurs=1)),
        ("Status", Unicode.customize(min_occurs=1)),
        ("faultReason", Unicode),
        ("TimeStamp", DateTime.customize(min_occurs=1)),
        ("Connectors", Connectors.customize(max_occurs="unbounded")),
        ("Connector", Unicode),
        ("Power", Unicode),
    ]


class oStatusdata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1)),
        ("Port", portDataStatus.customize(min_occurs=1, max_occurs="unbounded")),
        ("recordNumber", Integer32),
        ("networkStatus", Unicode),
    ]


# The fields stationDataExtended and customGroupstationDataExtended both add to getStationData.
_EXTENDED_STATION_FIELDS = [
    ("orgID", Unicode.customize(min_occurs=1)),
    ("companyID", Unicode),
    ("organizationName", Unicode.customize(min_occurs=1)),
    ("sgID", Unicode),
    ("sgName", Unicode),
    ("siteValidated", Boolean),
    ("siteValidationDate", DateTime),
    ("wanIpAddress", Unicode),
    ("networkStatus", Unicode),
    ("stationFirmware", Unicode),
    ("stationReception", Integer32),
    ("radioGroupID", Unicode),
]


class stationDataExtended(getStationData):
    __namespace__ = TNS
    _type_info = list(_EXTENDED_STATION_FIELDS)


class customGroupstationDataExtended(getStationData):
    __namespace__ = TNS
    _type_info = list(_EXTENDED_STATION_FIELDS)


class fruFault(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("fruFaultCode", Unicode.customize(min_occurs=1)),
        ("fruFaultName", Unicode.customize(min_occurs=1)),
        ("fruFaultTime", DateTime.customize(min_occurs=1)),
        ("fruFaultSeverity", Unicode),
        ("fruFaultDescription", Unicode),
        ("fruFaultRemedy", Unicode),
    ]


class fruFaults(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("fruFault", fruFault.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class fru(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("fruID", Unicode.customize(min_occurs=1)),
        ("fruName", Unicode.customize(min_occurs=1)),
        ("partNumber", Unicode),
        ("serialNumber", Unicode.customize(min_occurs=1)),
        ("softwareVersion", Unicode),
        ("hardwareVersion", Unicode),
        ("fruFaults", fruFaults),
    ]


class frus(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("fru", fru.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class stationFault(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("faultCode", Unicode.customize(min_occurs=1)),
        ("faultName", Unicode.customize(min_occurs=1)),
        ("faultTime", DateTime.customize(min_occurs=1)),
        ("faultSeverity", Unicode),
        ("faultDescription", Unicode),
        ("remedy", Unicode),
        ("frus", frus.customize(min_occurs=1)),
    ]


class stationFaults(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationFault", stationFault.customize(min_occurs=1, max_occurs=100)),
    ]


class getStationActiveFaultsData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1)),
        ("stationFaults", stationFaults),
    ]


class stationActiveFaults(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("station", getStationActiveFaultsData.customize(min_occurs=1, max_occurs=100)),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS: frozenset[str] = frozenset()
