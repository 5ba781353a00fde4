"""The dashboard in a real browser (headless Chromium), on the demo world over real HTTP.

One server and one browser for the module; the clock only moves forward, so each test
reads the simulated time it runs at and compares the page with the API at that time.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.request import urlopen

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from mockcp.clock import utc
from mockcp.codes import ResponseCode
from mockcp.db.models import Station
from tests.ui.conftest import TENANT, Served, open_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.slow]


def css(browser: webdriver.Chrome, selector: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, selector)


def tab(browser: webdriver.Chrome, view: str) -> None:
    css(browser, f"nav [data-view={view}]").click()


def utc_ms(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


def clock_iso(served: Served) -> str:
    return utc(served.clock.now()).strftime("%Y-%m-%dT%H:%M:%SZ")


def wait_for(browser: webdriver.Chrome, selector: str, now: str, seconds: float = 30) -> None:
    """Until the element's data-now says the page drew it for the simulated time ``now``."""
    WebDriverWait(browser, seconds).until(
        lambda d: (
            d.execute_script(
                "const n = document.querySelector(arguments[0]); return n && n.dataset.now;",
                selector,
            )
            == now
        )
    )


def stations_on_page(browser: webdriver.Chrome) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = browser.execute_script(
        """const out = {};
        for (const g of document.querySelectorAll('.station')) {
          out[g.dataset.stationId] = {category: g.dataset.category, ports: g.dataset.ports,
                                      kw: g.dataset.kw};
        }
        return out;"""
    )
    return found


def line_points(browser: webdriver.Chrome, selector: str) -> list[list[float]]:
    points: list[list[float]] = json.loads(css(browser, selector).get_attribute("data-points"))
    return points


def severe_console_entries(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_dashboard_root_redirects_to_the_page_and_loads_without_console_error(
    served: Served, browser: webdriver.Chrome
) -> None:
    browser.get(served.base + "/")
    WebDriverWait(browser, 90).until(
        lambda d: d.execute_script("return document.body.dataset.ready === '1'")
    )
    assert browser.current_url == served.base + "/_mock/ui/"
    wait_for(browser, "#fleet-map", clock_iso(served))
    with served.mock.wsgi.sessions() as db:
        world = set(db.scalars(select(Station.station_id)))
    assert set(stations_on_page(browser)) == world  # the whole world: every organisation
    legend = sum(int(css(browser, f"#legend-{c} strong").text) for c in
                 ("available", "inuse", "unreachable", "faulted", "shed"))
    assert legend == len(world)
    assert css(browser, "#clock-now").text == clock_iso(served)[:16].replace("T", " ") + "Z"
    for view in ("load", "sessions", "activity", "controls", "onboarding", "fleet"):
        tab(browser, view)
        assert css(browser, f"#view-{view}").is_displayed()
    for _ in range(60):  # keyboard only: Tab to the Sessions tab, Enter opens it
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.switch_to.active_element.get_attribute("data-view") == "sessions":
            break
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert css(browser, "#view-sessions").is_displayed()
    assert not css(browser, "#view-fleet").is_displayed()
    assert severe_console_entries(browser) == []


def test_dashboard_numbers_equal_what_the_api_answers_at_the_same_time(
    served: Served, browser: webdriver.Chrome
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    now = clock_iso(served)
    wait_for(browser, "#fleet-map", now)
    service = served.client()
    status = service.getStationStatus(searchQuery={})
    api = {s.stationID: ",".join(f"{p.portNumber}:{p.Status}" for p in s.Port)
           for s in status.stationData}
    page = stations_on_page(browser)
    assert {k: v["ports"] for k, v in page.items()} == api
    # a station in use: its detail shows getLoad's station and port loads
    busy = next(k for k, v in page.items() if "INUSE" in v["ports"])
    css(browser, f'.station[data-station-id="{busy}"]').send_keys(Keys.ENTER)
    reply = service.getLoad(searchQuery={"stationID": busy})
    assert css(browser, "#detail-kw").text == f"{Decimal(reply.stationData[0].stationLoad):.3f}"
    for port in reply.stationData[0].Port:
        cell = css(browser, f'#station-detail tr[data-port="{port.portNumber}"] .port-kw')
        assert cell.text == f"{Decimal(port.portLoad):.3f}"
    screenshot(browser, "fleet")
    tab(browser, "load")
    wait_for(browser, "#load-chart", now)
    group = Select(css(browser, "#load-group")).first_selected_option.get_attribute("value")
    assert css(browser, "#load-now").text == service.getLoad(searchQuery={"sgID": group}).sgLoad
    screenshot(browser, "load")
    tab(browser, "sessions")
    wait_for(browser, "#sessions-chart", now)
    css(browser, "#day-before").click()
    WebDriverWait(browser, 90).until(
        lambda d: css(d, "#sessions-chart").get_attribute("data-day") < now[:10]
    )
    shown = browser.execute_script(
        "return [...document.querySelectorAll('g.session')].map("
        "g => [g.dataset.sessionId, g.dataset.energy]);"
    )
    assert len(shown) >= 5
    for session_id, energy in shown[:: max(1, len(shown) // 5)]:
        row = service.getChargingSessionData(searchQuery={"sessionID": int(session_id)})
        assert f"{Decimal(str(row.ChargingSessionData[0].Energy)):.6f}" == energy
    screenshot(browser, "sessions")


def test_dashboard_advancing_the_clock_moves_the_load_chart_and_the_colours(
    served: Served, browser: webdriver.Chrome
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    before = clock_iso(served)
    wait_for(browser, "#fleet-map", before)
    colours = {k: v["category"] for k, v in stations_on_page(browser).items()}
    tab(browser, "load")
    wait_for(browser, "#load-chart", before)
    load_before = line_points(browser, ".load-line")
    css(browser, "button[data-advance=PT1H]").click()
    WebDriverWait(browser, 10).until(lambda d: clock_iso(served) != before)
    after = clock_iso(served)
    wait_for(browser, "#load-chart", after)
    load_after = line_points(browser, ".load-line")
    assert load_after[-1][0] - load_before[-1][0] == 3600 * 1000  # the "now" end moved 1 h
    assert load_after != load_before
    tab(browser, "fleet")
    wait_for(browser, "#fleet-map", after)
    moved = {k: v["category"] for k, v in stations_on_page(browser).items()}
    assert moved.keys() == colours.keys()
    assert moved != colours
    fills = browser.execute_script(
        "return [...document.querySelectorAll('.station')].map("
        "g => [g.dataset.category, g.querySelector('circle').getAttribute('fill')]);"
    )
    palette = {"available": "#2e9d5b", "inuse": "#2f6fd6", "unreachable": "#8a8f98",
               "faulted": "#d64545", "shed": "#e09a1a"}
    assert all(palette[category] == fill for category, fill in fills)
    assert severe_console_entries(browser) == []


def test_dashboard_live_load_shows_the_shed_against_its_untouched_twin(
    served: Served, browser: webdriver.Chrome
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    tab(browser, "load")
    before = clock_iso(served)
    wait_for(browser, "#load-chart", before)
    group = int(Select(css(browser, "#load-group")).first_selected_option.get_attribute("value"))
    service = served.client()
    shed = {"shedGroup": {"sgID": group, "allowedLoadPerStation": 1}, "timeInterval": 60}
    assert service.shedLoad(shedQuery=shed).responseCode == "100"
    css(browser, "button[data-advance=PT15M]").click()
    WebDriverWait(browser, 10).until(lambda d: clock_iso(served) != before)
    after = clock_iso(served)
    wait_for(browser, "#load-chart", after)
    load, twin = line_points(browser, ".load-line"), dict(line_points(browser, ".live-twin-line"))
    start, end = (utc_ms(before), utc_ms(after))
    window = [(twin[t], kw) for t, kw in load if start <= t <= end]
    assert window and all(free >= kw - 1e-9 for free, kw in window)
    assert sum(free for free, _ in window) > sum(kw for _, kw in window)  # the shed bit
    assert all(twin[t] == kw for t, kw in load if t < start)  # one curve before the shed
    assert css(browser, "#load-now").text == service.getLoad(searchQuery={"sgID": group}).sgLoad
    with urlopen(f"{served.base}/_mock/ui/api/load?org={TENANT}&sg={group}") as reply:
        api = json.load(reply)
    shown = css(browser, "#load-not-drawn")
    assert float(shown.get_attribute("data-kwh")) == api["notDrawnKwh"] > 0
    assert shown.text == f"{api['notDrawnKwh']:.1f}"
    screenshot(browser, "load-twin")
    clear = service.clearShedState(shedQuery={"shedGroup": {"sgID": group}})
    assert clear.responseCode == "100"


def test_dashboard_evening_peak_scenario_shows_the_shed_against_the_twin(
    served: Served, browser: webdriver.Chrome
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    tab(browser, "load")
    Select(css(browser, "#scenario")).select_by_value("evening-peak-demand-response")
    css(browser, "#scenario-run").click()
    WebDriverWait(browser, 180).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".shed-line"))
    shed, twin = line_points(browser, ".shed-line"), line_points(browser, ".twin-line")
    cap = line_points(browser, ".cap-line")
    event = css(browser, "rect.event")
    assert [t for t, _ in shed] == [t for t, _ in twin]
    during = [
        (s, w) for (t, s), (_, w) in zip(shed, twin, strict=True) if cap[0][0] <= t <= cap[-1][0]
    ]
    assert during and sum(s for s, _ in during) < 0.5 * sum(w for _, w in during)
    by_time = dict(shed)
    assert all(by_time[t] <= c + 1e-9 for t, c in cap if t in by_time)
    assert float(event.get_attribute("width")) > 0
    assert float(css(browser, "#scenario-not-drawn").text) > 0
    checks = browser.find_elements(By.CSS_SELECTOR, "#scenario-checks li")
    assert checks and all(c.get_attribute("class") == "ok" for c in checks)
    browser.execute_script("arguments[0].scrollIntoView()", css(browser, "#scenario-chart"))
    screenshot(browser, "load-scenario")


def test_dashboard_soap_call_appears_in_the_activity_feed_within_a_second(
    served: Served, browser: webdriver.Chrome
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    tab(browser, "activity")
    rows = len(browser.find_elements(By.CSS_SELECTOR, "#activity-feed tr[data-operation]"))
    reply = served.client().getOrgsAndStationGroups(searchQuery={})
    assert reply.responseCode == "100"
    # the feed is redrawn every 500 ms: a row read between two redraws may go stale; read again
    stale = (StaleElementReferenceException,)
    WebDriverWait(browser, 1.0, poll_frequency=0.05, ignored_exceptions=stale).until(
        lambda d: (
            css(d, "#activity-feed tr[data-operation]").get_attribute("data-operation")
            == "getOrgsAndStationGroups"
        )
    )
    assert len(browser.find_elements(By.CSS_SELECTOR, "#activity-feed tr[data-operation]")) > rows
    text = WebDriverWait(browser, 5, ignored_exceptions=stale).until(
        lambda d: css(d, "#activity-feed tr[data-operation]").text
    )
    assert text.split()[-2:] == [TENANT, "100"]
    assert text.startswith(clock_iso(served)[:16].replace("T", " ") + "Z")
    WebDriverWait(browser, 5, ignored_exceptions=stale).until(
        lambda d: css(d, "#activity-feed tr[data-operation]").click() is None
    )
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr.details"))
    # the call's XML is a click away by default (the journal keeps it, bounded)
    response = WebDriverWait(browser, 5, ignored_exceptions=stale).until(
        lambda d: (lambda t: t if "getOrgsAndStationGroupsResponse" in t else False)(
            css(d, "tr.details pre.response-xml").text
        )
    )
    assert "<responseCode>100</responseCode>" in response
    assert "getOrgsAndStationGroups" in css(browser, "tr.details pre.request-xml").text
    screenshot(browser, "activity")


def test_dashboard_armed_forced_answer_is_what_the_next_call_gets(
    served: Served, browser: webdriver.Chrome
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    tab(browser, "controls")
    Select(css(browser, "#fault-operation")).select_by_value("getLoad")
    Select(css(browser, "#fault-code")).select_by_value(ResponseCode.NO_DATA_FOUND.name)
    Select(css(browser, "#fault-org")).select_by_value(TENANT)
    css(browser, "#token").send_keys("demo-token")
    browser.execute_script(  # record what the page sends (the server here needs no token)
        """window.sent = [];
        const original = window.fetch;
        window.fetch = (url, init) => {
          window.sent.push([String(url), init.method || 'GET', init.headers.Authorization]);
          return original(url, init);
        };"""
    )
    css(browser, "#fault-arm").click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#fault-pending li")
    )
    assert "getLoad: NO_DATA_FOUND (160) × 1 for 1:ORG00001" in css(browser, "#fault-pending").text
    sent = browser.execute_script("return window.sent;")
    assert ["../faults", "POST", "Bearer demo-token"] in sent
    browser.execute_script("sessionStorage.clear();")
    screenshot(browser, "controls")
    reply = served.client().getLoad(searchQuery={"sgID": 1000})
    assert (reply.responseCode, reply.responseText) == (
        ResponseCode.NO_DATA_FOUND.code,
        ResponseCode.NO_DATA_FOUND.text,
    )
    assert served.client().getLoad(searchQuery={"sgID": 1000}).responseCode == "100"


def test_dashboard_onboarding_snippet_runs_against_the_server(
    served: Served, browser: webdriver.Chrome, capsys: pytest.CaptureFixture[str]
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    tab(browser, "onboarding")
    card = css(browser, f'.tenant-card[data-org="{TENANT}"]')
    tenant = next(t for t in served.mock.tenants() if t.org_id == TENANT)
    assert tenant.license_key in card.text and tenant.password in card.text
    snippet = card.find_element(By.CSS_SELECTOR, "pre.snippet").text
    assert served.base + "/cp_api_5.1.wsdl" in snippet
    capsys.readouterr()
    exec(compile(snippet, "onboarding-snippet", "exec"), {})  # the partner's first call
    assert capsys.readouterr().out.split()[0] == "100"
    screenshot(browser, "onboarding")


def test_dashboard_reset_from_the_page_drops_armed_answers(
    served: Served, browser: webdriver.Chrome
) -> None:
    open_page(browser, served, f"?org={TENANT}")
    tab(browser, "controls")
    Select(css(browser, "#fault-operation")).select_by_value("getStations")
    Select(css(browser, "#fault-code")).select_by_value("server")
    css(browser, "#fault-arm").click()
    WebDriverWait(browser, 10).until(
        lambda d: "getStations: Server fault" in css(d, "#fault-pending").text
    )
    css(browser, "#world-reset").click()
    WebDriverWait(browser, 120).until(lambda d: css(d, "#reset-state").text == "reset done")
    assert browser.find_elements(By.CSS_SELECTOR, "#fault-pending li") == []
    assert served.client().getStations(searchQuery={}).responseCode == "100"
    tab(browser, "fleet")
    wait_for(browser, "#fleet-map", clock_iso(served), seconds=60)
    assert severe_console_entries(browser) == []
