"""getOrgsAndStationGroups, getStationGroups, getStationGroupDetails, getStationRightsProfile.

Guide 7.3-7.5 and 7.7 against the minimal world: Sunrise (1:ORG00001) owns groups 1001 >
{1002, 1003} and was granted network_manager on Harbor's group 2001; Harbor (1:ORG00002)
was granted station_manager on station 1:10002 only.
"""

from __future__ import annotations

import pytest
import zeep

from mockcp.codes import ResponseCode
from mockcp.testing import MockChargePoint
from tests.helpers import assert_code
from tests.soap.work import work_of

NETWORK_MANAGER_TASKS = [
    ("view_station", "View station details and status"),
    ("manage_load", "Shed and restore load"),
    ("view_sessions", "View charging sessions"),
    ("manage_drivers", "Approve and remove drivers"),
]


# getOrgsAndStationGroups (7.5)


def test_getOrgsAndStationGroups_lists_own_and_granted_groups(any_client: zeep.Client) -> None:
    reply = any_client.service.getOrgsAndStationGroups(searchQuery={})
    assert_code(reply, ResponseCode.OK)
    shape = [
        (o.orgID, o.organizationName, [(g.sgID, g.sgName, g.parentGroupID) for g in o.sgData])
        for o in reply.orgData
    ]
    assert shape == [
        (
            "1:ORG00001",
            "Sunrise Energy Co-op",
            [
                (1001, "Sunrise - All Sites", "0"),
                (1002, "Sunrise - Downtown Garage", "1001"),
                (1003, "Sunrise - Fleet Depot", "1001"),
            ],
        ),
        ("1:ORG00002", "Harbor City Parking", [(2001, "Harbor - Main Lot", "0")]),
    ]


def test_getOrgsAndStationGroups_filters_combine(any_client: zeep.Client) -> None:
    reply = any_client.service.getOrgsAndStationGroups(
        searchQuery={"orgID": "1:ORG00001", "sgName": "sunrise - fleet depot"}
    )
    assert [(o.orgID, [g.sgID for g in o.sgData]) for o in reply.orgData] == [
        ("1:ORG00001", [1003])
    ]
    reply = any_client.service.getOrgsAndStationGroups(searchQuery={"sgID": 2001})
    assert [(o.orgID, [g.sgID for g in o.sgData]) for o in reply.orgData] == [
        ("1:ORG00002", [2001])
    ]
    reply = any_client.service.getOrgsAndStationGroups(
        searchQuery={"organizationName": "Harbor City Parking"}
    )
    assert [o.orgID for o in reply.orgData] == ["1:ORG00002"]


def test_getOrgsAndStationGroups_realm_hides_ungranted_groups(other_client: zeep.Client) -> None:
    reply = other_client.service.getOrgsAndStationGroups(searchQuery={})
    shape = [(o.orgID, [g.sgID for g in o.sgData]) for o in reply.orgData]
    assert shape == [("1:ORG00001", []), ("1:ORG00002", [2001])]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"orgID": "ORG00001"}, ResponseCode.ORG_ID_FORMAT),
        ({"orgID": "1:ORG99999"}, ResponseCode.INVALID_ORG_ID),
        ({"sgID": 0}, ResponseCode.INVALID_STATION_GROUP_ID),
        ({"sgID": 424242}, ResponseCode.STATION_GROUP_NOT_IN_DATABASE),
        ({"sgName": "No Such Group"}, ResponseCode.NO_CUSTOM_GROUPS),
        ({"organizationName": "Nobody Inc"}, ResponseCode.INVALID_ORGANIZATION_DETAILS),
    ],
)
def test_getOrgsAndStationGroups_errors(
    any_client: zeep.Client, query: dict[str, object], code: ResponseCode
) -> None:
    reply = any_client.service.getOrgsAndStationGroups(searchQuery=query)
    assert_code(reply, code)
    assert reply.orgData == []


def test_getOrgsAndStationGroups_outside_realm_org_and_group(other_client: zeep.Client) -> None:
    assert_code(
        other_client.service.getOrgsAndStationGroups(searchQuery={"sgID": 1001}),
        ResponseCode.OWN_STATION_GROUP_ONLY,
    )


# getStationGroups (7.3)


def test_getStationGroups_returns_groups_with_station_geo(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationGroups("1:ORG00002")
    assert_code(reply, ResponseCode.OK)
    [group] = reply.groupData
    assert (group.sgID, group.orgID, group.sgName, group.organizationName) == (
        2001,
        "1:ORG00002",
        "Harbor - Main Lot",
        "Harbor City Parking",
    )
    assert [(s.stationID, s.Geo.Lat, s.Geo.Long) for s in group.stationData] == [
        ("1:20001", "47.60533", "-122.34008"),  # guide 7.3.5 prints <Lat>30</Lat>: no padding
        ("1:20002", "47.60541", "-122.34015"),
    ]


def test_getStationGroups_own_org_lists_every_group(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationGroups("1:ORG00001")
    assert [(g.sgID, [s.stationID for s in g.stationData]) for g in reply.groupData] == [
        (1001, ["1:10001", "1:10002", "1:10003"]),
        (1002, ["1:10001", "1:10002"]),
        (1003, ["1:10003"]),
    ]


@pytest.mark.parametrize(
    ("org_id", "code"),
    [
        ("not-an-org", ResponseCode.ORG_ID_FORMAT),
        ("1:ORG55555", ResponseCode.INVALID_ORG_ID),
    ],
)
def test_getStationGroups_bad_org(any_client: zeep.Client, org_id: str, code: ResponseCode) -> None:
    reply = any_client.service.getStationGroups(org_id)
    assert_code(reply, code)
    assert reply.groupData == []


def test_getStationGroups_org_without_visible_groups_is_156(other_client: zeep.Client) -> None:
    assert_code(other_client.service.getStationGroups("1:ORG00001"), ResponseCode.NO_CUSTOM_GROUPS)


def test_getStationGroups_org_outside_realm_is_178(mock: object) -> None:
    from mockcp.db.layout_stamp import record_layout
    from mockcp.db.models import RightsGrant
    from mockcp.testing import MockChargePoint

    assert isinstance(mock, MockChargePoint)  # its own world: this test revokes a grant
    with mock.wsgi.sessions() as db, db.begin():
        db.query(RightsGrant).filter(RightsGrant.grantee_org_pk == 2).delete()
        record_layout(db)  # as every writer of grants does (db/layout_stamp.py)
    client = mock.client(mock.tenants()[1])
    assert_code(client.service.getStationGroups("1:ORG00001"), ResponseCode.ORG_OUTSIDE_REALM)


# getStationGroupDetails (7.4)


def test_getStationGroupDetails_children_and_stations(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationGroupDetails(sgID=1001)
    assert_code(reply, ResponseCode.OK)
    assert (reply.groupName, reply.numStations) == ("Sunrise - All Sites", 3)
    assert [(g.sgID, g.sgName) for g in reply.groupData] == [
        (1002, "Sunrise - Downtown Garage"),
        (1003, "Sunrise - Fleet Depot"),
    ]
    assert reply.stationData[0].stationID == "1:10001"
    assert reply.stationData[0].stationName == "SUNRISE / GARAGE LEVEL 1 -001"
    assert reply.stationData[0].Address == "1500 Pearl St, Boulder, Colorado, 80302, United States"


def test_getStationGroupDetails_one_station(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationGroupDetails(sgID=2001, stationID="1:20002")
    assert [s.stationID for s in reply.stationData] == ["1:20002"]
    assert (
        reply.stationData[0].Address
        == "1201 Alaskan Way, Seattle, Washington, 98101, United States"
    )
    assert reply.numStations == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"sgID": -3}, ResponseCode.INVALID_STATION_GROUP_ID),
        ({"sgID": 999}, ResponseCode.STATION_GROUP_NOT_IN_DATABASE),
        ({"sgID": 1002, "stationID": "10001"}, ResponseCode.STATION_ID_FORMAT),
        ({"sgID": 1002, "stationID": "1:10003"}, ResponseCode.NO_STATION_IN_GROUP),
        ({"sgID": 1002, "stationID": "1:10999"}, ResponseCode.INVALID_STATION_ID),
    ],
)
def test_getStationGroupDetails_errors(
    any_client: zeep.Client, args: dict[str, object], code: ResponseCode
) -> None:
    reply = any_client.service.getStationGroupDetails(**args)
    assert_code(reply, code)
    assert (reply.groupName, reply.stationData) == (None, [])


def test_getStationGroupDetails_group_outside_realm_is_125(other_client: zeep.Client) -> None:
    reply = other_client.service.getStationGroupDetails(sgID=1002)
    assert_code(reply, ResponseCode.OWN_STATION_GROUP_ONLY)
    assert reply.stationData == []


# getStationRightsProfile (7.7)


def test_getStationRightsProfile_granted_profile_tasks(any_client: zeep.Client) -> None:
    reply = any_client.service.getStationRightsProfile(sgID=2001)
    assert_code(reply, ResponseCode.OK)
    assert [(t.Task, t.Description) for t in reply.taskList] == NETWORK_MANAGER_TASKS


def test_getStationRightsProfile_named_profile_must_be_the_one_held(
    any_client: zeep.Client,
) -> None:
    ok = any_client.service.getStationRightsProfile(
        sgID=2001, stationRightsProfile="network_manager"
    )
    assert len(ok.taskList) == 4
    reply = any_client.service.getStationRightsProfile(sgID=2001, stationRightsProfile="installer")
    assert_code(reply, ResponseCode.INVALID_RIGHTS_PROFILE)
    assert reply.taskList == []


@pytest.mark.parametrize(
    ("sg_id", "code"),
    [
        (0, ResponseCode.INVALID_STATION_GROUP_ID),
        (31337, ResponseCode.STATION_GROUP_NOT_IN_DATABASE),
    ],
)
def test_getStationRightsProfile_bad_group(
    any_client: zeep.Client, sg_id: int, code: ResponseCode
) -> None:
    assert_code(any_client.service.getStationRightsProfile(sgID=sg_id), code)


def test_getStationRightsProfile_group_outside_realm_is_125(other_client: zeep.Client) -> None:
    assert_code(
        other_client.service.getStationRightsProfile(sgID=1001), ResponseCode.OWN_STATION_GROUP_ONLY
    )


def test_getStationGroups_reads_every_group_s_stations_in_one_query(
    mock: MockChargePoint, client: zeep.Client
) -> None:
    """Sunrise's three groups cost the statements of Harbor's one (a query per group before);
    counted on the full path (each body asked once: no kept answer), never timed."""
    client.service.getStations(searchQuery={})  # the call's state, realm and index kept
    client.service.getStations(searchQuery={})
    counts = {}
    for org_id in ("1:ORG00002", "1:ORG00001"):
        work, reply = work_of(mock, lambda org_id=org_id: client.service.getStationGroups(org_id))
        assert_code(reply, ResponseCode.OK)
        counts[len(reply.groupData)] = work.statements
    assert set(counts) == {1, 3}
    assert counts[1] > 1  # the full path, not an answer kept in memory
    assert counts[3] == counts[1], counts
