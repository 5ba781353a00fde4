"""spyne types of the Usage Analysis and Network Management (alarms) operations.

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
    Long,
    Unicode,
)

from mockcp.soap.types.common import (
    TNS,
    currencyCodeType,
    geoData,
    stationIdListBound,
    transTypes,
)


class getAlarmsSearchQuery(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("orgID", Unicode),
        ("companyID", Unicode),
        ("organizationName", Unicode),
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("sgID", Integer32),
        ("sgName", Unicode),
        ("startTime", DateTime),
        ("endTime", DateTime),
        ("portNumber", Unicode),
        ("startRecord", Integer32),
        ("numTransactions", Integer32),
        ("stationIDs", stationIdListBound),
    ]


class getAlarms(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", getAlarmsSearchQuery.customize(min_occurs=1)),
    ]


class oalarms(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("stationModel", Unicode),
        ("orgID", Unicode),
        ("companyID", Unicode),
        ("organizationName", Unicode),
        ("stationManufacturer", Unicode),
        ("stationSerialNum", Unicode),
        ("portNumber", Unicode),
        ("alarmType", Unicode),
        ("alarmTime", DateTime),
        ("recordNumber", Integer32),
    ]


class getAlarmsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("Alarms", oalarms.customize(max_occurs="unbounded")),
        ("moreFlag", Integer32),
    ]


class clearAlarmsSearchQuery(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("orgID", Unicode),
        ("organizationName", Unicode),
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("sgID", Integer32),
        ("sgName", Unicode),
        ("startTime", DateTime),
        ("endTime", DateTime),
        ("portNumber", Unicode),
        ("alarmType", Unicode),
        ("clearReason", Unicode),
    ]


class clearAlarms(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", clearAlarmsSearchQuery.customize(min_occurs=1)),
    ]


class clearAlarmsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
    ]


class getTransDataSearchRequest(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("stationMacAddr", Unicode),
        ("orgID", Unicode),
        ("organizationName", Unicode),
        ("pricingRuleName", Unicode),
        ("transactionType", transTypes),
        ("transactionID", Long),
        ("fromTransactionTimeStamp", DateTime),
        ("toTransactionTimeStamp", DateTime),
        ("companyID", Unicode),
        ("startRecord", Integer32),
        ("numTransactions", Integer32),
        ("anonymousCreditCardNumber", Unicode),
    ]


class getTransactionData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", getTransDataSearchRequest.customize(min_occurs=1)),
    ]


class transData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("stationMacAddr", Unicode),
        ("portNumber", Integer32),
        ("organizationName", Unicode),
        ("pricingRuleName", Unicode),
        ("transactionType", transTypes),
        ("transactionID", Long),
        ("Energy", Double),
        ("transactionTime", DateTime),
        ("startTime", DateTime),
        ("endTime", DateTime),
        ("Currency", currencyCodeType),
        ("grossAmount", Double),
        ("flexBillingServiceFee", Double),
        ("netRevenue", Double),
        ("exchangeRateUSD", Double),
        ("companyID", Unicode),
        ("recordNumber", Integer32),
        ("anonymousCreditCardNumber", Unicode),
        ("taxAmount", Double),
        ("netAmount", Double),
    ]


class transDataParams(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("transactionData", transData.customize(max_occurs="unbounded")),
    ]


class getTransactionDataResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("transactions", transDataParams),
        ("MoreFlag", Integer32),
    ]


class sessionSearchdata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("sessionID", Long),
        ("userID", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Proximity", Double),
        ("proximityUnit", Unicode),
        ("fromTimeStamp", DateTime),
        ("toTimeStamp", DateTime),
        ("startRecord", Long),
        ("Geo", geoData),
        ("stationIDs", stationIdListBound),
        ("activeSessionsOnly", Boolean.customize(default=False)),
    ]


class getChargingSessionData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", sessionSearchdata.customize(min_occurs=1)),
    ]


class sessionSearchResultdata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("portNumber", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("sessionID", Long),
        ("Energy", Double),
        ("startTime", DateTime),
        ("endTime", DateTime),
        ("totalChargingDuration", Unicode),
        ("totalSessionDuration", Unicode),
        ("userID", Unicode),
        ("startBatteryPercentage", Double),
        ("stopBatteryPercentage", Double),
        ("recordNumber", Long),
        ("credentialID", Unicode),
        ("endedBy", Unicode),
        ("vehicleMake", Unicode),
        ("vehicleModel", Unicode),
        ("vehicleModelYear", Unicode),
        ("vehicleType", Unicode),
        ("vehiclePortMAC", Unicode),
        ("driverOptedOut", Boolean),
        ("driverOptOutTimestamp", DateTime),
    ]


class getChargingSessionDataResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        (
            "ChargingSessionData",
            sessionSearchResultdata.customize(max_occurs="unbounded"),
        ),
        ("MoreFlag", Integer32),
    ]


class get15minChargingSessionData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sessionID", Long.customize(min_occurs=1)),
        ("energyConsumedInterval", Boolean),
    ]


class oChargingSessionsData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationTime", DateTime),
        ("energyConsumed", Double),
        ("peakPower", Double),
        ("rollingPowerAvg", Double),
    ]


class get15minChargingSessionDataResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("sessionID", Long),
        ("stationID", Unicode),
        ("portNumber", Unicode),
        ("fifteenminData", oChargingSessionsData.customize(max_occurs="unbounded")),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS = frozenset(
    {
        "clearAlarmsSearchQuery",
        "getAlarmsSearchQuery",
        "getTransDataSearchRequest",
        "sessionSearchdata",
    }
)
