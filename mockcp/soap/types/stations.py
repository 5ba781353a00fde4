"""spyne types of the Station Information / Station Management station searches.

Declarations transcribed from the ChargePoint Web Services 5.1 schema: element
names, order, XSD types and occurrence are facts of the published interface.
"""

from __future__ import annotations

from spyne import (
    Boolean,
    ComplexModel,
    DateTime,
    Double,
    Integer32,
    Unicode,
)

from mockcp.soap.types.common import (
    TNS,
    geoData,
    pricingOptions,
    serialNumberData,
    stationIdListBound,
)
from mockcp.soap.types.station_rows import (
    customGroupstationDataExtended,
    oStatusdata,
    publicStatusdata,
    stationActiveFaults,
    stationData,
    stationDataExtended,
)


class stationSearchRequest(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationManufacturer", Unicode),
        ("stationModel", Unicode),
        ("stationName", Unicode),
        ("serialNumber", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Proximity", Double),
        ("proximityUnit", Unicode.customize(default="M")),
        ("Connector", Unicode),
        ("Voltage", Unicode),
        ("Current", Unicode),
        ("Power", Unicode),
        ("demoSerialNumber", serialNumberData),
        ("Reservable", Boolean),
        ("Geo", geoData),
        ("Level", Unicode),
        ("Mode", Unicode),
        ("Pricing", pricingOptions),
        ("startRecord", Integer32),
        ("numStations", Integer32),
    ]


class getPublicStations(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", stationSearchRequest.customize(min_occurs=1)),
    ]


class getPublicStationsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("stationData", stationData.customize(max_occurs="unbounded")),
        ("moreFlag", Integer32),
    ]


class stationIdList(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class statusSearchdata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationIDs", stationIdList),
        ("stationManufacturer", Unicode),
        ("stationModel", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Proximity", Double),
        ("proximityUnit", Unicode.customize(default="M")),
        ("Connector", Unicode),
        ("Voltage", Unicode),
        ("Current", Unicode),
        ("Power", Unicode),
        ("portDetails", Boolean),
        ("demoSerialNumber", serialNumberData),
        ("Reservable", Boolean),
        ("Geo", geoData),
        ("Status", Integer32),
        ("Level", Unicode),
        ("Mode", Unicode),
        ("Pricing", pricingOptions),
    ]


class getPublicStationStatus(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", statusSearchdata.customize(min_occurs=1)),
    ]


class getPublicStationStatusResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("stationStatusData", publicStatusdata.customize(max_occurs="unbounded")),
    ]


class statusSearchdataForGetStations(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationIDs", stationIdList),
        ("stationManufacturer", Unicode),
        ("stationModel", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Proximity", Double),
        ("proximityUnit", Unicode.customize(default="M")),
        ("Connector", Unicode),
        ("Voltage", Unicode),
        ("Current", Unicode),
        ("Power", Unicode),
        ("portDetails", Boolean),
        ("demoSerialNumber", serialNumberData),
        ("Reservable", Boolean),
        ("Geo", geoData),
        ("Status", Integer32),
        ("Level", Unicode),
        ("Mode", Unicode),
        ("Pricing", pricingOptions),
        ("startRecord", Integer32),
        ("numStations", Integer32),
    ]


class getStationStatus(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", statusSearchdataForGetStations.customize(min_occurs=1)),
    ]


class getStationStatusResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("stationData", oStatusdata.customize(max_occurs="unbounded")),
        ("moreFlag", Integer32),
    ]


class stationSearchRequestExtended(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationManufacturer", Unicode),
        ("stationModel", Unicode),
        ("stationName", Unicode),
        ("serialNumber", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Proximity", Double),
        ("proximityUnit", Unicode.customize(default="M")),
        ("Connector", Unicode),
        ("Voltage", Unicode),
        ("Current", Unicode),
        ("Power", Unicode),
        ("demoSerialNumber", serialNumberData),
        ("Reservable", Boolean),
        ("Geo", geoData),
        ("Level", Unicode),
        ("Mode", Unicode),
        ("Pricing", pricingOptions),
        ("orgID", Unicode),
        ("companyID", Unicode),
        ("organizationName", Unicode),
        ("sgID", Unicode),
        ("radioGroupID", Unicode),
        ("sgName", Unicode),
        ("stationActivationDate", DateTime),
        ("startRecord", Integer32),
        ("numStations", Integer32),
        ("warrantyService", Unicode),
    ]


class getStations(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", stationSearchRequestExtended.customize(min_occurs=1)),
    ]


class getStationsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("stationData", stationDataExtended.customize(max_occurs="unbounded")),
        ("moreFlag", Integer32),
    ]


class customGroupStationSearchRequestExtended(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("sgName", Unicode.customize(min_occurs=1)),
        ("startRecord", Integer32),
        ("numStations", Integer32),
    ]


class getCustomGroupStations(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        (
            "searchQuery",
            customGroupStationSearchRequestExtended.customize(min_occurs=1),
        ),
    ]


class getCustomGroupStationsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        (
            "stationData",
            customGroupstationDataExtended.customize(max_occurs="unbounded"),
        ),
        ("moreFlag", Integer32),
    ]


class getStationActiveFaultsExtended(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationIDs", stationIdListBound.customize(min_occurs=1)),
    ]


class getStationActiveFaults(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", getStationActiveFaultsExtended.customize(min_occurs=1)),
    ]


class getStationActiveFaultsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("stations", stationActiveFaults.customize(max_occurs="unbounded")),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS = frozenset(
    {
        "customGroupStationSearchRequestExtended",
        "getStationActiveFaultsExtended",
        "stationSearchRequest",
        "stationSearchRequestExtended",
        "statusSearchdata",
        "statusSearchdataForGetStations",
    }
)
