"""spyne types of the Fleet Management operations.

Declarations transcribed from the ChargePoint Web Services 5.1 schema: element
names, order, XSD types and occurrence are facts of the published interface.
"""

from __future__ import annotations

from spyne import (
    ComplexModel,
    Date,
    DateTime,
    Double,
    Enum,
    Float,
    Integer32,
    Long,
    Time,
    Unicode,
)

from mockcp.soap.types.common import (
    TNS,
    credentialIDsData,
    transTypes,
)

chargingType = Enum(
    "Fault", "Charged", "Charging", "Not Plugged In", type_name="chargingType", __namespace__=TNS
)

fraudDetectionTypes = Enum(
    "Unknown",
    "Verified (Power Values Matched)",
    "Fraud Detected (Session Termination Disabled)",
    "Fraud Detected (Session Terminated)",
    "Suspect (No Vehicle Info Available)",
    "Suspect (More than 1 active session for fleet vehicle)",
    "Unknown (Increased validity score)",
    "Unknown (not enabled)",
    "Unknown (Session Ended too Quickly)",
    "Under Interrogation (Shed load on station)",
    "Session Validated",
    type_name="fraudDetectionTypes",
    __namespace__=TNS,
)


class searchDataForFleetVehicles(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("fleetVehicleID", Unicode),
        ("fleetName", Unicode),
        ("vehicleID", Unicode),
        ("VIN", Unicode),
        ("license", Unicode),
        ("color", Unicode),
        ("make", Unicode),
        ("model", Unicode),
        ("year", Integer32),
        ("fleetUserID", Unicode),
        ("credentialID", Unicode),
        ("orgID", Unicode),
        ("organizationName", Unicode),
        ("telematicsProvider", Unicode),
        ("telematicsStatus", Unicode),
        ("startRecord", Integer32),
        ("numRecords", Integer32),
        ("modifiedSince", DateTime),
        ("fleetVehicleCreateDate", Date),
        ("vehicleChargingStatus", chargingType),
    ]


class getFleetVehicles(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", searchDataForFleetVehicles.customize(min_occurs=1)),
    ]


class responseDataForFleetVehicles(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("recordNumber", Integer32),
        ("lastModifiedTimestamp", DateTime),
        ("fleetVehicleID", Unicode),
        ("fleetName", Unicode),
        ("vehicleID", Unicode),
        ("VIN", Unicode),
        ("license", Unicode),
        ("color", Unicode),
        ("make", Unicode),
        ("model", Unicode),
        ("year", Integer32),
        ("fleetUserID", Unicode),
        ("credentialIDs", credentialIDsData),
        ("orgID", Unicode),
        ("organizationName", Unicode),
        ("telematicsProvider", Unicode),
        ("telematicsStatus", Unicode),
        ("fleetVehicleCreateDate", DateTime),
        ("vehicleChargingStatus", Unicode),
    ]


class getFleetVehiclesResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        (
            "fleetVehicle",
            responseDataForFleetVehicles.customize(max_occurs="unbounded"),
        ),
        ("moreFlag", Integer32),
    ]


class ChargePointCardId(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("chargePointCardSn", Unicode.customize(max_occurs="unbounded")),
        ("mifareID", Unicode.customize(max_occurs="unbounded")),
    ]


class vehiclePortMACInfo(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("vehiclePortMacID", Unicode.customize(max_occurs="unbounded")),
    ]


class addDataForFleetVehicle(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("chargePointCards", ChargePointCardId.customize(min_occurs=1)),
        ("licensePlate", Unicode.customize(min_occurs=1)),
        ("fleetName", Unicode.customize(min_occurs=1)),
        ("vehicleID", Unicode),
        ("vin", Unicode),
        ("color", Unicode),
        ("make", Unicode.customize(min_occurs=1)),
        ("model", Unicode.customize(min_occurs=1)),
        ("year", Unicode.customize(min_occurs=1)),
        ("companyCode", Unicode),
        ("driverID", Unicode),
        ("vehiclePortMacIDs", vehiclePortMACInfo),
    ]


class addFleetVehicle(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        # Guide 10.1 (and its sample) allows several vehicles in one call; the WSDL publishes
        # maxOccurs 1, which soap.wsdl restores (PUBLISHED_MAX_OCCURS).
        ("vehicle", addDataForFleetVehicle.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class addFleetVehicleResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("fleetVehicleID", Unicode.customize(max_occurs="unbounded")),
    ]


class updateDataForFleetVehicle(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("fleetVehicleID", Unicode.customize(min_occurs=1)),
        ("chargePointCards", ChargePointCardId),
        ("licensePlate", Unicode),
        ("fleetName", Unicode),
        ("vehicleID", Unicode),
        ("vin", Unicode),
        ("color", Unicode),
        ("make", Unicode),
        ("model", Unicode),
        ("year", Unicode),
        ("companyCode", Unicode),
        ("driverID", Unicode),
        ("vehiclePortMacIDs", vehiclePortMACInfo),
    ]


class updateFleetVehicle(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        # Guide 10.3 (and its sample): several vehicles in one call; the WSDL publishes
        # maxOccurs 1 here and in the response, which soap.wsdl restores (PUBLISHED_MAX_OCCURS).
        ("vehicle", updateDataForFleetVehicle.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class updateFleetVehicleResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("vehicle", updateDataForFleetVehicle.customize(max_occurs="unbounded")),
    ]


class deleteFleetVehicle(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("fleetVehicleID", Unicode.customize(min_occurs=1)),
    ]


class deleteFleetVehicleResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
    ]


class searchDataForFleetUsage(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("transactionID", Long),
        ("transactionType", transTypes),
        ("fleetVehicleID", Unicode),
        ("fleetName", Unicode),
        ("vehicleID", Unicode),
        ("License", Unicode),
        ("fleetDriverID", Unicode),
        ("credentialID", Unicode),
        ("fleetOrgID", Unicode),
        ("fleetOrgName", Unicode),
        ("fraudDetectionStatus", fraudDetectionTypes),
        ("fromTimeStamp", DateTime),
        ("toTimeStamp", DateTime),
        ("stationOrgName", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("postalCode", Unicode),
        ("Country", Unicode),
        ("paymentType", Unicode),
        ("startRecord", Integer32),
        ("numRecords", Integer32),
        ("stationID", Unicode),
        ("portNumber", Integer32),
        ("ID", Unicode),
    ]


class getFleetUsageData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", searchDataForFleetUsage.customize(min_occurs=1)),
    ]


class responseDataForFleetUsage(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("recordNumber", Integer32),
        ("fleetVehicleID", Unicode),
        ("fleetName", Unicode),
        ("vehicleID", Unicode),
        ("License", Unicode),
        ("fleetDriverID", Unicode),
        ("credentialID", Unicode),
        ("fleetOrgID", Unicode),
        ("fleetOrgName", Unicode),
        ("fleetUserID", Unicode),
        ("fraudDetectionStatus", Unicode),
        ("transactionID", Long),
        ("transactionType", transTypes),
        ("transactionTime", DateTime),
        ("Energy", Double),
        ("gasolineSavings", Float),
        ("ghgSavings", Float),
        ("fleetCustomerID", Unicode),
        ("Odometer", Float),
        ("startTime", DateTime),
        ("endTime", DateTime),
        ("startSOC", Float),
        ("endSOC", Float),
        ("chargingTime", Time),
        ("sessionDuration", Time),
        ("portType", Unicode),
        ("plugType", Unicode),
        ("Currency", Unicode),
        ("Fee", Float),
        ("paymentID", Unicode),
        ("paymentSourceAccount", Unicode),
        ("paymentType", Unicode),
        ("pricingRule", Unicode),
        ("stationOrgName", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("postalCode", Unicode),
        ("Country", Unicode),
        ("VIN", Unicode),
        ("stationID", Unicode),
        ("portNumber", Integer32),
        ("ID", Unicode),
    ]


class getFleetUsageDataResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("fleetUsageData", responseDataForFleetUsage.customize(max_occurs="unbounded")),
        ("moreFlag", Integer32),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS = frozenset(
    {
        "addDataForFleetVehicle",
        "deleteFleetVehicle",
        "searchDataForFleetUsage",
        "searchDataForFleetVehicles",
        "updateDataForFleetVehicle",
    }
)
