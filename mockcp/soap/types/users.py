"""spyne types of the Driver Management operations.

Declarations transcribed from the ChargePoint Web Services 5.1 schema: element
names, order, XSD types and occurrence are facts of the published interface.
"""

from __future__ import annotations

from spyne import (
    ComplexModel,
    DateTime,
    Enum,
    Integer32,
    Unicode,
)

from mockcp.soap.types.common import (
    TNS,
    credentialIDsData,
)

managedUserStatusTypes = Enum(
    "APPROVED", "NOT MANAGED", type_name="managedUserStatusTypes", __namespace__=TNS
)

updateUserStatus_Status = Enum(
    "APPROVED", "REJECTED", "REMOVED", type_name="updateUserStatus_Status", __namespace__=TNS
)

updateUserStatus_associationType = Enum(
    "CONNECTION",
    "MANAGEMENT_REALM",
    type_name="updateUserStatus_associationType",
    __namespace__=TNS,
)

connectedUserStatusTypes = Enum(
    "APPROVED",
    "NOT CONNECTED",
    "REJECTED",
    "PENDING",
    type_name="connectedUserStatusTypes",
    __namespace__=TNS,
)


class customInfoData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Key", Unicode),
        ("Value", Unicode),
    ]


class connectionDataRequest(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Status", connectedUserStatusTypes),
        ("customInfo", customInfoData),
    ]


class managementRealmRequest(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Status", managedUserStatusTypes),
        ("customInfo", customInfoData),
    ]


class getUsersSearchRequest(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("userID", Unicode),
        ("firstName", Unicode),
        ("lastName", Unicode),
        ("lastModifiedTimeStamp", DateTime),
        ("Connection", connectionDataRequest),
        ("managementRealm", managementRealmRequest),
        ("credentialID", Unicode),
        ("startRecord", Integer32),
        ("numUsers", Integer32),
    ]


class getUsers(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", getUsersSearchRequest.customize(min_occurs=1)),
    ]


class customInfosData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("customInfo", customInfoData.customize(max_occurs="unbounded")),
    ]


class connectionData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Status", connectedUserStatusTypes),
        ("requestTimeStamp", DateTime),
        ("customInfos", customInfosData),
    ]


class managementRealmData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Status", managedUserStatusTypes),
        ("signupTimeStamp", DateTime),
        ("customInfos", customInfosData),
    ]


class homeStationDetailsData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationSerialNumber", Unicode),
        ("stationStatus", Unicode),
        ("stationModelNumber", Unicode),
        ("stationMacAddress", Unicode),
        ("stationActivationDate", DateTime),
    ]


class userData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("lastModifiedTimestamp", DateTime),
        ("userID", Unicode),
        ("firstName", Unicode),
        ("lastName", Unicode),
        ("driverEmail", Unicode),
        ("Connection", connectionData),
        ("managementRealm", managementRealmData),
        ("credentialIDs", credentialIDsData),
        ("homeStationDetails", homeStationDetailsData),
        ("recordNumber", Integer32),
    ]


class userParams(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("user", userData.customize(max_occurs="unbounded")),
        ("moreFlag", Integer32),
    ]


class getUsersResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("users", userParams),
    ]


class updateUserStatus(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("userID", Unicode.customize(min_occurs=1)),
        ("associationType", updateUserStatus_associationType.customize(min_occurs=1)),
        ("Status", updateUserStatus_Status.customize(min_occurs=1)),
        ("customText", Unicode),
    ]


class updateUserStatusResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
    ]


class setWaitlistDone(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1)),
        ("portID", Unicode.customize(min_occurs=1)),
        ("userID", Unicode.customize(min_occurs=1)),
        ("customMessageText", Unicode.customize(min_occurs=1)),
    ]


class setWaitlistDoneResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS = frozenset(
    {
        "connectionDataRequest",
        "getUsersSearchRequest",
        "managementRealmRequest",
        "setWaitlistDone",
        "updateUserStatus",
    }
)
