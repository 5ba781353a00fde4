"""The dashboard's JSON (/_mock/ui/api/*) in process on the minimal world: the API's numbers,
and clear JSON errors for bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from mockcp import scenario as sc
from mockcp.app import MockChargePointApp, create_app
from mockcp.clock import ManualClock, SimClock
from mockcp.codes import ResponseCode
from mockcp.config import Settings
from mockcp.data import SCENARIOS
from mockcp.domain.load.current import station_loads
from mockcp.domain.realm import members_of
from mockcp.testing import MockChargePoint
from mockcp.ui.app import UiApp
from mockcp.ui.views import CATEGORIES
from tests.conftest import START

ORG = "1:ORG00001"


@pytest.fixture
def web(mock: MockChargePoint, clock: ManualClock) -> Client:
    clock.advance(timedelta(hours=2))  # 19:00: 1:10002 draws 7.2 kW
    return Client(mock.wsgi)


def get(web: Client, path: str, status: int = 200) -> Any:
    reply = web.get("/_mock/ui/api/" + path)
    assert reply.status_code == status, reply.get_data(as_text=True)
    assert reply.mimetype == "application/json"
    return reply.get_json()


def test_ui_root_and_bare_path_redirect_to_the_page(web: Client) -> None:
    for path in ("/", "/_mock/ui"):
        reply = web.get(path)
        assert (reply.status_code, reply.headers["Location"]) == (302, "/_mock/ui/")
    page = web.get("/_mock/ui/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert b'src="static/app.js"' in page.get_data()
    assert web.get("/_mock/ui/static/app.js").mimetype == "text/javascript"


@pytest.mark.parametrize("name", ["nothing.js", "..%2Fapp.py", "views.py", "index.txt"])
def test_ui_static_serves_only_its_assets(web: Client, name: str) -> None:
    reply = web.get("/_mock/ui/static/" + name)
    assert reply.status_code == 404 and reply.get_json() == {"error": "Not Found"}


def test_ui_fleet_ports_equal_get_station_status(web: Client, client: zeep.Client) -> None:
    fleet = get(web, f"fleet?org={ORG}")
    status = client.service.getStationStatus(searchQuery={})
    api = {s.stationID: {p.portNumber: p.Status for p in s.Port} for s in status.stationData}
    page = {s["stationID"]: {p["portNumber"]: p["status"] for p in s["ports"]}
            for s in fleet["stations"]}
    assert page == api
    for station in fleet["stations"]:
        assert station["category"] in CATEGORIES
        assert (station["category"] == "inuse") == (
            "INUSE" in page[station["stationID"]].values()
            and station["category"] not in ("unreachable", "faulted", "shed")
        )


def test_ui_load_equals_get_load_and_shows_a_shed_cap(web: Client, client: zeep.Client) -> None:
    load = get(web, f"load?org={ORG}&sg=1001")
    reply = client.service.getLoad(searchQuery={"sgID": 1001})
    assert f"{load['kw']:.3f}" == reply.sgLoad
    assert load["capKw"] is None
    now = [p for p in load["series"] if p["t"] == load["now"]]
    assert now[0]["kw"] == load["kw"] and not now[0]["planned"]
    assert all(i["kwh"] >= 0 for i in load["intervals"]) and len(load["intervals"]) == 24
    shed = {
        "shedStation": {"stationID": "1:10002", "allowedLoadPerStation": 3.0},
        "timeInterval": 0,
    }
    assert client.service.shedLoad(shedQuery=shed).responseCode == "100"
    capped = get(web, f"load?org={ORG}&station=1:10002")
    station = client.service.getLoad(searchQuery={"stationID": "1:10002"}).stationData[0]
    assert Decimal(str(capped["kw"])) == Decimal(station.stationLoad)
    assert capped["capKw"] is not None and capped["capKw"] <= 3.0 + 1e-9
    fleet = {s["stationID"]: s for s in get(web, f"fleet?org={ORG}")["stations"]}
    assert fleet["1:10002"]["category"] == "shed"


def test_ui_sessions_energy_equals_get_charging_session_data(
    web: Client, client: zeep.Client
) -> None:
    day = get(web, f"sessions?org={ORG}")["now"][:10]
    ports = get(web, f"sessions?org={ORG}&day={day}")["ports"]
    sessions = [s for p in ports for s in p["sessions"]]
    assert sessions
    for session in sessions:
        reply = client.service.getChargingSessionData(
            searchQuery={"sessionID": session["sessionID"]}
        )
        row = reply.ChargingSessionData[0]
        assert Decimal(str(session["energy"])) == Decimal(str(row.Energy))
        assert session["start"] <= session["chargeEnd"] <= session["upTo"]
        assert session["start"] < f"{day}T24" and (session["end"] or session["upTo"]) > day


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("load?sg=abc", 400, "sg must be a whole number, not 'abc'"),
        ("load", 400, "name a group (sg) or a station (station)"),
        ("fleet?org=9:NOPE", 404, "no tenant with orgID '9:NOPE'"),
        ("sessions?day=13/03/2024", 400, "day must be YYYY-MM-DD, not '13/03/2024'"),
        ("nowhere", 404, "Not Found"),
    ],
)
def test_ui_api_bad_input_answers_json_errors(
    web: Client, path: str, status: int, error: str
) -> None:
    assert get(web, path, status) == {"error": error}


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (f"load?org={ORG}&sg=9999", ResponseCode.NO_DATA_FOUND),
        ("load?org=1:ORG00002&sg=1003", ResponseCode.OWN_STATION_GROUP_ONLY),
    ],
)
def test_ui_api_domain_errors_carry_the_catalogue_code(
    web: Client, path: str, code: ResponseCode
) -> None:
    assert get(web, path, 400) == {"error": code.text, "responseCode": code.code}


def test_ui_unknown_scenario_is_404_naming_the_known_ones(web: Client) -> None:
    names = get(web, "scenarios")
    assert "evening-peak-demand-response" in names
    reply = web.post("/_mock/ui/api/scenarios/nope")
    assert reply.status_code == 404
    assert reply.get_json() == {"error": f"no scenario named 'nope'; known: {', '.join(names)}"}


def test_ui_runs_a_steps_scenario_as_the_command_does(web: Client) -> None:
    """The dashboard runs a scenario in worlds its app hands it the factory of (nothing under
    the app imports mockcp.app): the same lines and checks as ``mockcp run-scenario``."""
    reply = web.post("/_mock/ui/api/scenarios/utility-event-client-sheds")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    ran = reply.get_json()
    lines, checks = sc.execute(SCENARIOS / "utility-event-client-sheds.yaml")
    assert ran["lines"] == lines and "2024-03-12 17:02Z  call shedLoad: Fault" in lines
    assert ran["checks"] == [
        {"name": c.name, "target": c.target, "measured": c.measured, "ok": c.ok} for c in checks
    ]
    assert len(ran["checks"]) == 3 and all(c["ok"] for c in ran["checks"])


def test_ui_scenario_worlds_come_from_the_factory_handed_down(mock: MockChargePoint) -> None:
    """UiApp builds each world of a run with the ``apps`` it was given: real apps, counted."""
    built: list[tuple[Settings, datetime]] = []

    def apps(settings: Settings, clock: SimClock | None) -> MockChargePointApp:
        assert clock is not None
        built.append((settings, clock.now()))
        return create_app(settings, clock)

    ui = UiApp(mock.wsgi.sessions, mock.wsgi.clock, lambda: 0, ({}, []), apps)
    reply = Client(ui).post("/api/scenarios/utility-event-client-sheds")
    assert reply.status_code == 200 and all(c["ok"] for c in reply.get_json()["checks"])
    minimal = Settings(database_url="sqlite://", fixture="minimal")
    assert built == [(minimal, datetime(2024, 3, 12, 16, 55, tzinfo=UTC))]  # the file's world


def test_ui_meta_lists_operations_and_forcible_codes(web: Client) -> None:
    meta = get(web, "meta")
    assert "getLoad" in meta["operations"] and meta["soapPath"].endswith("/5.1")
    names = {c["name"] for c in meta["codes"]}
    assert ResponseCode.NO_DATA_FOUND.name in names and ResponseCode.OK.name not in names


def test_ui_unexpected_failure_is_a_json_500_not_an_html_page(
    web: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("mockcp.ui.views.fleet", broken)
    assert get(web, "fleet", 500) == {"error": "internal error (RuntimeError)"}


@settings(max_examples=5, deadline=None)
@given(minutes=st.integers(0, 3 * 24 * 60))
def test_ui_fleet_and_load_equal_the_api_at_any_time(minutes: int) -> None:
    """Whenever the clock stands, the page's ports and group load are the API's."""
    clock = ManualClock(START + timedelta(minutes=minutes))
    with MockChargePoint(Settings(database_url="sqlite://", fixture="minimal"), clock) as mock:
        web, service = Client(mock.wsgi), mock.client(mock.tenants()[0]).service
        fleet = get(web, f"fleet?org={ORG}")
        status = service.getStationStatus(searchQuery={})
        assert {s["stationID"]: [p["status"] for p in s["ports"]] for s in fleet["stations"]} == {
            s.stationID: [p.Status for p in s.Port] for s in status.stationData
        }
        load = get(web, f"load?org={ORG}&sg=1001")
        assert f"{load['kw']:.3f}" == service.getLoad(searchQuery={"sgID": 1001}).sgLoad
        assert sum(s["kw"] for s in load["stations"]) == pytest.approx(load["kw"], abs=1e-6)


def test_ui_load_series_is_what_station_loads_gives_at_each_time(
    web: Client, mock: MockChargePoint
) -> None:
    """Every point of the chart is getLoad's sum had it been asked at that time."""
    load = get(web, f"load?org={ORG}&sg=1001")
    assert sum(p["kw"] > 0 for p in load["series"]) >= 4  # (not a chart of zeros)
    with mock.wsgi.sessions() as db:
        stations = members_of(db, 1001)
        for point in load["series"]:
            at = datetime.fromisoformat(point["t"].replace("Z", "+00:00"))
            expected = sum(s.kw for s in station_loads(db, stations, at))
            assert point["kw"] == round(expected, 3), point


def test_ui_fleet_colours_unreachable_and_faulted_stations(web: Client) -> None:
    """The minimal world has an offline station and a port out of service: both show."""
    stations = get(web, "fleet")["stations"]
    found = {s["category"] for s in stations}
    assert {"unreachable", "faulted"} <= found
    for station in stations:
        statuses = {p["status"] for p in station["ports"]}
        if station["network"].lower() == "unreachable":
            assert station["category"] == "unreachable" and statuses == {"UNREACHABLE"}
        elif any(p["fault"] for p in station["ports"]):
            assert station["category"] == "faulted"
