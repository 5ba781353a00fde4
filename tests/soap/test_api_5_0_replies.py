"""Every 5.0 operation through ``/services/5.0`` (issue 11): replies in 5.0 shapes.

A strict zeep client built on the published ``cp_api_5.0.wsdl`` calls all 25 operations
and parses every reply; each reply body also validates against the 5.0 schema (lxml),
so nothing 5.1 added is printed and what 5.1 moved is where 5.0 has it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import zeep
from lxml import etree
from werkzeug.test import Client

from mockcp.clock import ManualClock
from mockcp.testing import BINDING, IN_PROCESS_BASE, InProcessTransport, MockChargePoint
from tests.conftest import SHARED, START, require_shared
from tests.soap.envelopes import fault_of, guide_style
from tests.worlds.images import fresh_world

REFERENCE_5_0 = SHARED / "reference" / "cp_api_5.0.wsdl"
XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
PATH_5_0 = "/webservices/chargepoint/services/5.0"
SESSION = 100300009  # a session of the minimal world (tests/soap/test_load.py)

# One call per 5.0 operation, with arguments that answer rows in the minimal world.
CALLS: dict[str, dict[str, Any]] = {
    "getPublicStations": {"searchQuery": {"City": "Seattle"}},
    "getPublicStationStatus": {"searchQuery": {"stationID": "1:20001"}},
    "getStationStatus": {"searchQuery": {}},
    "getAlarms": {"searchQuery": {}},
    "clearAlarms": {
        "searchQuery": {
            "orgID": "1:ORG00002",
            "organizationName": "Harbor City Parking",
            "stationID": "1:20002",
            "clearReason": "Site visit",
        }
    },
    "getOrgsAndStationGroups": {"searchQuery": {}},
    "shedLoad": {
        "shedQuery": {
            "shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 3.0},
            "timeInterval": 0,
        }
    },
    "clearShedState": {"shedQuery": {"shedStation": {"stationID": "1:10002"}}},
    "getLoad": {"searchQuery": {"stationID": "1:10002"}},
    "getStationGroups": {"orgID": "1:ORG00001"},
    "getStationGroupDetails": {"sgID": 1001},
    "getCPNInstances": {},
    "getChargingSessionData": {"searchQuery": {}},
    "get15minChargingSessionData": {"sessionID": SESSION},
    "getStations": {"searchQuery": {}},
    "getStationRights": {"searchQuery": {}},
    "getStationRightsProfile": {"sgID": 2001},
    "registerFeeds": {
        "Events": {"feedEventName": ["station_charging_session_start"]},
        "searchQuery": {},
    },
    "updateFeed": {"subscriptionID": "42", "Refresh": True},
    "getUsers": {"searchQuery": {}},
    "updateUserStatus": {"userID": "664720", "associationType": "CONNECTION", "Status": "APPROVED"},
    "setWaitlistDone": {
        "stationID": "1:10002",
        "portID": "1",
        "userID": "664719",
        "customMessageText": "Your turn.",
    },
    "getTransactionData": {"searchQuery": {}},
    "createLoadShedEvent": {
        "shedEvent": {
            "stationID": "1:10002",
            "eventStartTime": START + timedelta(hours=3),
            "eventDuration": 60,
            "allowedLoadPerPort": 2.0,
        }
    },
    "removeLoadShedEvent": {},  # the event the test creates first
}


@pytest.fixture(scope="module")
def schema_5_0() -> etree.XMLSchema:
    root = etree.parse(str(require_shared(REFERENCE_5_0))).getroot()
    schema = root.find(f"{{{WSDL}}}types/{{{XS}}}schema")
    assert schema is not None
    return etree.XMLSchema(etree.fromstring(etree.tostring(schema)))


@pytest.fixture
def mock_5_0(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockChargePoint]:
    """The minimal world two hours after START: a fresh copy of the run's image of it."""
    at = START + timedelta(hours=2)
    with MockChargePoint(fresh_world(tmp_path_factory, "minimal", at), ManualClock(at)) as mock:
        yield mock


class Recording(InProcessTransport):
    """The in-process transport, keeping the last reply's bytes."""

    last: bytes = b""

    def post(self, address: str, message: bytes | str, headers: dict[str, str]) -> Any:
        reply = super().post(address, message, headers)
        self.last = reply.content
        return reply


def client_5_0(mock: MockChargePoint) -> tuple[zeep.Client, Recording]:
    tenant = mock.tenants()[0]
    transport = Recording(mock.wsgi)
    client = zeep.Client(
        str(require_shared(REFERENCE_5_0)),
        wsse=zeep.wsse.username.UsernameToken(tenant.license_key, tenant.password),
        transport=transport,
        settings=zeep.Settings(strict=True),
    )
    client._default_service = client.create_service(BINDING, IN_PROCESS_BASE + PATH_5_0)
    return client, transport


def test_the_calls_cover_every_5_0_operation() -> None:
    root = etree.parse(str(require_shared(REFERENCE_5_0))).getroot()
    operations = [op.get("name") for op in root.iter(f"{{{WSDL}}}operation")]
    assert set(CALLS) == set(operations)
    assert len(CALLS) == 25


@pytest.mark.parametrize("op", sorted(CALLS))
def test_strict_5_0_client_parses_and_the_reply_validates(
    mock_5_0: MockChargePoint, schema_5_0: etree.XMLSchema, op: str
) -> None:
    client, transport = client_5_0(mock_5_0)
    arguments = dict(CALLS[op])
    if op == "removeLoadShedEvent":
        created = client.service.createLoadShedEvent(**CALLS["createLoadShedEvent"])
        arguments["eventId"] = created.eventId
    if op == "clearAlarms":  # the first alarm's station and organisation
        alarm = client.service.getAlarms(searchQuery={}).Alarms[0]
        query = {"stationID": alarm.stationID, "orgID": alarm.orgID}
        arguments["searchQuery"] = {**arguments["searchQuery"], **query}
        arguments["searchQuery"]["organizationName"] = alarm.organizationName
    reply = getattr(client.service, op)(**arguments)
    assert reply is not None
    body = etree.fromstring(transport.last).find(f"{{{SOAP_ENV}}}Body")
    assert body is not None
    payload = body[0]
    assert etree.QName(payload).localname == f"{op}Response"
    schema_5_0.assertValid(etree.ElementTree(etree.fromstring(etree.tostring(payload))))
    code = payload.findtext("responseCode")
    assert code in {None, "100", "188"}, (code, payload.findtext("responseText"))


def test_the_same_strict_client_on_the_5_1_endpoint_fails(mock_5_0: MockChargePoint) -> None:
    """The check has teeth: 5.1 replies carry elements 5.0 lacks (what issue 11 reports)."""
    client, _ = client_5_0(mock_5_0)
    client._default_service = client.create_service(
        BINDING, IN_PROCESS_BASE + "/webservices/chargepoint/services/5.1"
    )
    with pytest.raises(zeep.exceptions.XMLParseError):
        client.service.getStations(searchQuery={})


def test_5_0_ports_carry_the_station_name_and_description_5_1_moved_up(
    mock_5_0: MockChargePoint,
) -> None:
    client, transport = client_5_0(mock_5_0)
    reply = client.service.getStations(searchQuery={"stationID": "1:10001"})
    row = etree.fromstring(transport.last).find(".//stationData")
    assert row is not None
    assert row.find("stationName") is None and row.find("recordNumber") is None
    ports = row.findall("Port")
    assert [port.findtext("stationName") for port in ports] == ["SUNRISE / GARAGE LEVEL 1 -001"] * 2
    assert all(port.find("Connectors") is None for port in ports)
    assert reply.stationData[0].Port[0].stationName == "SUNRISE / GARAGE LEVEL 1 -001"
    five_one = mock_5_0.client().service.getStations(searchQuery={"stationID": "1:10001"})
    assert five_one.stationData[0].stationName == "SUNRISE / GARAGE LEVEL 1 -001"
    assert five_one.stationData[0].Description == reply.stationData[0].Port[0].Description


def test_5_0_public_status_rows_are_oStatusdata(mock_5_0: MockChargePoint) -> None:
    client, transport = client_5_0(mock_5_0)
    reply = client.service.getPublicStationStatus(searchQuery={"stationID": "1:20001"})
    assert [port.portNumber for port in reply.stationStatusData[0].Port] == ["1", "2"]
    row = etree.fromstring(transport.last).find(".//stationStatusData")
    assert row is not None
    assert [child.tag for child in row] == ["stationID", "Port", "Port"]


@pytest.mark.parametrize(
    "op",
    [
        "getCustomGroupStations",
        "getFleetVehicles",
        "addFleetVehicle",
        "updateFleetVehicle",
        "deleteFleetVehicle",
        "getFleetUsageData",
        "getStationActiveFaults",
    ],
)
def test_operations_5_0_lacks_are_client_faults_naming_them(
    mock_5_0: MockChargePoint, op: str
) -> None:
    tenant = mock_5_0.tenants()[0]
    reply = Client(mock_5_0.wsgi).post(
        PATH_5_0,
        data=guide_style(tenant.license_key, tenant.password, f"<urn:{op}/>"),
        headers={"Content-Type": "text/xml"},
    )
    assert reply.status_code == 500
    assert fault_of(reply.get_data()) == (
        "soapenv:Client",
        f"Unknown operation: {op} is not an operation of the 5.0 API.",
    )
    five_one = Client(mock_5_0.wsgi).post(
        "/webservices/chargepoint/services/5.1",
        data=guide_style(tenant.license_key, tenant.password, f"<urn:{op}/>"),
    )
    assert b"is not an operation" not in five_one.get_data()


def test_5_0_uses_the_same_credentials_and_world(mock_5_0: MockChargePoint) -> None:
    client, _ = client_5_0(mock_5_0)
    five_zero = client.service.getStations(searchQuery={})
    five_one = mock_5_0.client().service.getStations(searchQuery={})
    assert [row.stationID for row in five_zero.stationData] == [
        row.stationID for row in five_one.stationData
    ]
    tenant = mock_5_0.tenants()[0]
    bad = Client(mock_5_0.wsgi).post(
        PATH_5_0, data=guide_style(tenant.license_key, "wrong", "<urn:getCPNInstances/>")
    )
    assert bad.status_code == 500
    assert fault_of(bad.get_data())[0] == "wsse:FailedAuthentication"


def test_5_0_over_real_http_from_the_served_wsdl(mock_5_0: MockChargePoint) -> None:
    """A client that loads ``/cp_api_5.0.wsdl`` from the server and calls what it says."""
    tenant = mock_5_0.tenants()[0]
    with mock_5_0.serve() as url:
        client = zeep.Client(
            f"{url}/cp_api_5.0.wsdl",
            wsse=zeep.wsse.username.UsernameToken(tenant.license_key, tenant.password),
        )
        assert len(client.wsdl.bindings[BINDING]._operations) == 25
        reply = client.service.getStationStatus(searchQuery={"stationID": "1:10001"})
        assert reply.responseCode == "100"
        assert [port.portNumber for port in reply.stationData[0].Port] == ["1", "2"]
        assert client.service._binding_options["address"] == f"{url}{PATH_5_0}"
