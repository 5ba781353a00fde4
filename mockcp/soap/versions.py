"""The published API versions: one set of operations and types, one shape per version.

mockcp's types (``soap/types``) declare the newest published schema, 5.1. An older
version is a delta against it, read from the two published WSDLs (the table below is
what ``tests/soap/wsdl_delta.py`` computes from ``cp_api_5.1.wsdl`` and
``cp_api_5.0.wsdl``, and a test keeps it so): the operations it publishes, the fields a
type lacks, the fields a type has that 5.1 moved to the enclosing row, and the fields
whose type changed. The WSDL generator (``soap/wsdl.py``) and the serializer
(``soap/wire.py``) both apply the delta, so a version is a parameter, never a copy.

A 5.2 would slot in the other way round: its types become the declarations, 5.1 gains
a delta against them (as 5.0 has one now), and 5.2 is added below with its own path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# portType order of the 5.1 interface (real-interface 2).
OPERATIONS_5_1 = (
    "getPublicStations",
    "getPublicStationStatus",
    "getStationStatus",
    "getAlarms",
    "clearAlarms",
    "getOrgsAndStationGroups",
    "shedLoad",
    "clearShedState",
    "getLoad",
    "getStationGroups",
    "getStationGroupDetails",
    "getCPNInstances",
    "getChargingSessionData",
    "get15minChargingSessionData",
    "getStations",
    "getCustomGroupStations",
    "getStationRights",
    "getStationRightsProfile",
    "registerFeeds",
    "updateFeed",
    "getUsers",
    "updateUserStatus",
    "setWaitlistDone",
    "getTransactionData",
    "getFleetVehicles",
    "addFleetVehicle",
    "updateFleetVehicle",
    "deleteFleetVehicle",
    "getFleetUsageData",
    "createLoadShedEvent",
    "removeLoadShedEvent",
    "getStationActiveFaults",
)


@dataclass(frozen=True)
class ExtraField:
    """A field this version has and 5.1 lacks: printed from the enclosing row's field."""

    name: str
    xsd: str  # its XSD type, "xsd:string"
    after: str  # the field it follows in this version's type


@dataclass(frozen=True)
class ApiVersion:
    name: str  # "5.1"
    operations: tuple[str, ...]  # portType order
    absent: Mapping[str, frozenset[str]] = field(default_factory=dict)  # type -> 5.1 fields
    extra: Mapping[str, tuple[ExtraField, ...]] = field(default_factory=dict)
    retyped: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (type, field) -> type

    @property
    def soap_path(self) -> str:
        return f"/webservices/chargepoint/services/{self.name}"

    @property
    def wsdl_path(self) -> str:
        return f"/cp_api_{self.name}.wsdl"

    def lacks(self, type_name: str, field_name: str) -> bool:
        return field_name in self.absent.get(type_name, frozenset())


V5_1 = ApiVersion("5.1", OPERATIONS_5_1)

# Computed from the published 5.0 and 5.1 WSDLs (tests/soap/wsdl_delta.py).
V5_0 = ApiVersion(
    "5.0",
    tuple(
        op
        for op in OPERATIONS_5_1
        if op
        not in {
            "getCustomGroupStations",
            "getFleetVehicles",
            "addFleetVehicle",
            "updateFleetVehicle",
            "deleteFleetVehicle",
            "getFleetUsageData",
            "getStationActiveFaults",
        }
    ),
    absent={
        "getAlarmsSearchQuery": frozenset({"companyID", "stationIDs"}),
        "getLoad_searchQuery": frozenset({"sessionID"}),
        "getPublicStationsResponse": frozenset({"moreFlag"}),
        "getStationData": frozenset(
            {
                "Description",
                "demo",
                "recordNumber",
                "servicePlanExpiryDate",
                "stationName",
                "warrantyExpirationDate",
                "warrantyService",
            }
        ),
        "getTransDataSearchRequest": frozenset({"anonymousCreditCardNumber", "companyID"}),
        "oStatusdata": frozenset({"networkStatus", "recordNumber"}),
        "oalarms": frozenset({"companyID"}),
        "portData": frozenset({"Connectors"}),
        "portDataStatus": frozenset({"Connectors", "faultReason"}),
        "sessionSearchResultdata": frozenset(
            {
                "driverOptOutTimestamp",
                "driverOptedOut",
                "endedBy",
                "startBatteryPercentage",
                "stopBatteryPercentage",
                "totalChargingDuration",
                "totalSessionDuration",
                "vehicleMake",
                "vehicleModel",
                "vehicleModelYear",
                "vehiclePortMAC",
                "vehicleType",
            }
        ),
        "sessionSearchdata": frozenset({"activeSessionsOnly", "stationIDs", "userID"}),
        "stationData": frozenset({"Description", "recordNumber", "stationName"}),
        "stationDataExtended": frozenset(
            {
                "companyID",
                "networkStatus",
                "radioGroupID",
                "siteValidated",
                "siteValidationDate",
                "stationFirmware",
                "stationReception",
                "wanIpAddress",
            }
        ),
        "stationDataRights": frozenset({"companyID"}),
        "stationPortData": frozenset({"lastBatteryPercent", "sessionID"}),
        "stationRightsSearchRequest": frozenset({"companyID"}),
        "stationSearchRequest": frozenset({"numStations", "startRecord"}),
        "stationSearchRequestExtended": frozenset({"companyID", "radioGroupID", "warrantyService"}),
        "transData": frozenset(
            {"anonymousCreditCardNumber", "companyID", "netAmount", "taxAmount"}
        ),
        "userData": frozenset({"driverEmail", "homeStationDetails"}),
    },
    extra={
        "portData": (
            ExtraField("stationName", "xsd:string", after="portNumber"),
            ExtraField("Description", "xsd:string", after="Geo"),
        ),
    },
    retyped={("getPublicStationStatusResponse", "stationStatusData"): "oStatusdata"},
)

VERSIONS: tuple[ApiVersion, ...] = (V5_1, V5_0)
BY_PATH = {version.soap_path: version for version in VERSIONS}
BY_WSDL_PATH = {version.wsdl_path: version for version in VERSIONS}
