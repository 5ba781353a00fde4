"""spyne types of the Demand Response / Energy Management operations.

Declarations transcribed from the ChargePoint Web Services 5.1 schema: element
names, order, XSD types and occurrence are facts of the published interface.
"""

from __future__ import annotations

from typing import Any

from spyne import (
    Boolean,
    ComplexModel,
    DateTime,
    Decimal,
    Double,
    Float,
    Integer32,
    Long,
    Unicode,
)

from mockcp.soap.types.common import (
    TNS,
)

percentShedRange = Integer32(ge=0, le=100, type_name="percentShedRange", __namespace__=TNS)


def _any_int32(cls: Any, value: Any) -> bool:
    """The range is published, but checked by the rules: 174 over 100, 123 below 0 (guide)."""
    return value is None or (isinstance(value, int) and -(2**31) <= value < 2**31)


percentShedRange.validate_native = staticmethod(_any_int32)


class shedLoadGroupInputData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32.customize(min_occurs=1)),
        ("allowedLoadPerStation", Decimal),
        ("percentShedPerStation", percentShedRange),
    ]


class shedLoadStationInputData_Ports_Port(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("portNumber", Unicode.customize(min_occurs=1)),
        ("allowedLoadPerPort", Decimal),
        ("percentShedPerPort", percentShedRange),
    ]


class shedLoadStationInputData_Ports(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        (
            "Port",
            shedLoadStationInputData_Ports_Port.customize(min_occurs=1, max_occurs="unbounded"),
        ),
    ]


class shedLoadStationInputData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1)),
        ("allowedLoadPerStation", Decimal),
        ("percentShedPerStation", percentShedRange),
        ("Ports", shedLoadStationInputData_Ports),
    ]


class shedLoadQueryInputData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("shedGroup", shedLoadGroupInputData),
        ("shedStation", shedLoadStationInputData),
        ("timeInterval", Integer32.customize(min_occurs=1)),
    ]


class shedLoad(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("shedQuery", shedLoadQueryInputData.customize(min_occurs=1)),
    ]


class shedLoadResponse_Ports_Port(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("portNumber", Unicode.customize(min_occurs=1)),
        ("allowedLoadPerPort", Decimal),
        ("percentShedPerPort", percentShedRange),
    ]


class shedLoadResponse_Ports(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        (
            "Port",
            shedLoadResponse_Ports_Port.customize(min_occurs=1, max_occurs="unbounded"),
        ),
    ]


class shedLoadResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("Success", Integer32),
        ("sgID", Integer32),
        ("stationID", Unicode),
        ("allowedLoadPerStation", Decimal),
        ("percentShedPerStation", percentShedRange),
        ("Ports", shedLoadResponse_Ports),
    ]


class shedGroupInputData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32.customize(min_occurs=1)),
    ]


class portDataShed(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("portNumber", Unicode.customize(min_occurs=1)),
    ]


class portsDataBlock(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("Port", portDataShed.customize(min_occurs=1, max_occurs="unbounded")),
    ]


class shedStationInputData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode.customize(min_occurs=1)),
        ("Ports", portsDataBlock),
    ]


class shedQueryInputData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("shedGroup", shedGroupInputData),
        ("shedStation", shedStationInputData),
    ]


class clearShedState(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("shedQuery", shedQueryInputData.customize(min_occurs=1)),
    ]


class clearShedStateResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("Success", Integer32),
        ("sgID", Integer32),
        ("stationID", Unicode),
    ]


class getLoad_searchQuery(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("sgID", Integer32),
        ("stationID", Unicode),
        ("sessionID", Long),
    ]


class getLoad(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("searchQuery", getLoad_searchQuery.customize(min_occurs=1)),
    ]


class stationPortData(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("portNumber", Unicode),
        ("userID", Unicode),
        ("credentialID", Unicode),
        ("shedState", Integer32),
        ("portLoad", Decimal),
        ("allowedLoad", Decimal),
        ("percentShed", percentShedRange),
        ("sessionID", Long),
        ("lastBatteryPercent", Float),
    ]


class stationloaddata(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("stationName", Unicode),
        ("Address", Unicode),
        ("stationLoad", Decimal),
        ("Port", stationPortData.customize(max_occurs="unbounded")),
    ]


class getLoadResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("sgID", Integer32),
        ("numStations", Integer32),
        ("groupName", Unicode),
        ("sgLoad", Unicode),
        ("stationData", stationloaddata.customize(max_occurs="unbounded")),
    ]


class shedEvent(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("stationID", Unicode),
        ("sgID", Unicode),
        ("eventStartTime", DateTime.customize(min_occurs=1)),
        ("eventDuration", Integer32.customize(min_occurs=1)),
        ("allowOptOut", Boolean),
        ("allowedLoadPerPort", Double),
        ("percentShedPerStation", Double),
    ]


class createLoadShedEvent(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("shedEvent", shedEvent.customize(min_occurs=1)),
    ]


class createLoadShedEventResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("eventId", Integer32),
    ]


class removeLoadShedEvent(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("eventId", Integer32.customize(min_occurs=1)),
    ]


class removeLoadShedEventResponse(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("responseCode", Unicode.customize(min_occurs=1)),
        ("responseText", Unicode),
        ("response", Unicode),
    ]


# Types whose reference compositor is xs:all (any order on the wire).
ALL_GROUPS = frozenset(
    {
        "shedLoadGroupInputData",
        "shedLoadQueryInputData",
        "shedLoadStationInputData",
        "shedLoadStationInputData_Ports_Port",
        "shedQueryInputData",
        "shedStationInputData",
    }
)
