"""spyne types of the organisation, station-group, rights, CPN and feed operations.

Declarations transcribed from the ChargePoint Web Services 5.1 schema: element
names, order, XSD types and occurrence are facts of the published interface.
"""

from __future__ import annotations

from spyne import (
    Boolean,
    ComplexModel,
    Date,
    Double,
    Enum,
    Integer32,
    Long,
    Unicode,
)

from mockcp.soap.types.common import (
    TNS,
    geoData,
    pricingOptions,
    serialNumberData,
)

registerFeeds_feedType = Enum(
    "all", "public", "restricted", type_name="registerFeeds_feedType", __namespace__=TNS
)


class getStationGroups(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("orgID", Unicode.customize(min_occurs=1)),
    ]


class groupsdata_stationData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("Geo", geoData),
    ]


class groupsdata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32),
        ("orgID", Unicode),
        ("sgName", Unicode),
        ("organizationName", Unicode),
        ("stationData", groupsdata_stationData.customize(max_occurs="unbounded")),
    ]


class getStationGroupsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("groupData", groupsdata.customize(max_occurs="unbounded")),
    ]


class getOrgsAndStationGroupsSearchQuery(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("orgID", Unicode),
        ("organizationName", Unicode),
        ("sgID", Integer32),
        ("sgName", Unicode),
    ]


class getOrgsAndStationGroups(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", getOrgsAndStationGroupsSearchQuery.customize(min_occurs=1)),
    ]


class ohostdata_sgData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32),
        ("sgName", Unicode),
        ("parentGroupID", Unicode),
    ]


class ohostdata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("orgID", Unicode),
        ("organizationName", Unicode),
        ("sgData", ohostdata_sgData.customize(max_occurs="unbounded")),
    ]


class getOrgsAndStationGroupsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("orgData", ohostdata.customize(max_occurs="unbounded")),
    ]


class getStationGroupDetails(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32.customize(min_occurs=1)),
        ("stationID", Unicode),
    ]


class childGroupData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32),
        ("sgName", Unicode),
    ]


class stationGroupData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
    ]


class getStationGroupDetailsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("groupName", Unicode),
        ("numStations", Integer32),
        ("groupData", childGroupData.customize(max_occurs="unbounded")),
        ("stationData", stationGroupData.customize(max_occurs="unbounded")),
    ]


class stationRightsSearchRequest_provisionDateRange(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("startDate", Date),
        ("endDate", Date),
    ]


class stationRightsSearchRequest(ComplexModel):
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
        ("sgName", Unicode),
        ("provisionDateRange", stationRightsSearchRequest_provisionDateRange),
        ("currentFault", Unicode),
        ("portStatus", Unicode),
        ("adminStatus", Unicode),
        ("networkStatus", Unicode),
        ("provisionStatus", Unicode),
        ("startRecord", Long),
    ]


class getStationRights(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", stationRightsSearchRequest.customize(min_occurs=1)),
    ]


class stationDataRights(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("stationSerialNum", Unicode),
        ("stationMacAddr", Unicode),
        ("companyID", Unicode),
    ]


class rightsData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Unicode),
        ("sgName", Unicode),
        ("stationRightsProfile", Unicode),
        ("stationData", stationDataRights.customize(max_occurs="unbounded")),
    ]


class getStationRightsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("rightsData", rightsData.customize(max_occurs="unbounded")),
        ("moreFlag", Integer32),
    ]


class getStationRightsProfile(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32.customize(min_occurs=1)),
        ("stationRightsProfile", Unicode),
    ]


class getStationRightsProfileResponse_taskList(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Task", Unicode.customize(min_occurs=1)),
        ("Description", Unicode.customize(min_occurs=1)),
    ]


class getStationRightsProfileResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        (
            "taskList",
            getStationRightsProfileResponse_taskList.customize(max_occurs="unbounded"),
        ),
    ]


# getCPNInstances has an empty request: spyne declares it in wrapped style, so the
# request and response wrappers come from the operation (soap/operations/orgs.py).


class ocpninstances(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("cpnID", Unicode),
        ("cpnName", Unicode),
        ("cpnDescription", Unicode),
    ]


class dataEventName(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("feedEventName", Unicode.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class feedStationSearch(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationModel", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
        ("City", Unicode),
        ("State", Unicode),
        ("Country", Unicode),
        ("postalCode", Unicode),
        ("Level", Unicode),
        ("Reservable", Boolean),
        ("Geo", geoData),
        ("Proximity", Integer32),
        ("proximityUnit", Integer32),
        ("Connector", Unicode),
        ("Voltage", Unicode),
        ("Current", Unicode),
        ("Power", Unicode),
        ("sgID", Integer32),
    ]


class registerFeeds(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Events", dataEventName.customize(min_occurs=1)),
        ("searchQuery", feedStationSearch.customize(min_occurs=1)),
        ("feedType", registerFeeds_feedType.customize(default="all")),
    ]


class registerFeedsResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("subscriptionID", Integer32),
    ]


class updateFeed(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("subscriptionID", Unicode.customize(min_occurs=1)),
        ("Refresh", Boolean.customize(min_occurs=1)),
    ]


class updateFeedResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS = frozenset(
    {
        "getOrgsAndStationGroupsSearchQuery",
        "registerFeeds",
        "stationRightsSearchRequest",
        "stationRightsSearchRequest_provisionDateRange",
        "updateFeed",
    }
)
