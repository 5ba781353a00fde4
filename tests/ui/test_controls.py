"""The dashboard's control-plane controls in a real browser: station events, snapshots and
resets, on the minimal world behind a control-plane token (so every control must carry it).

One server and one browser for the module, tests in order: the clock starts at 19:00 UTC,
when a car charges at 7.2 kW on 1:10002 port 1 (session 100300009).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from mockcp.clock import ManualClock, utc
from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.helpers import CHARGING, SESSION
from tests.ui.conftest import Served, open_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.slow]
TOKEN = "w15-controls-token"
NEEDS_TOKEN = "the control plane needs 'Authorization: Bearer <admin token>'"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("ui-controls")
    clock = ManualClock(CHARGING)
    settings = Settings(database_url=f"sqlite:///{folder / 'controls.sqlite3'}", fixture="minimal")
    with MockChargePoint(settings, clock) as mock:
        mock.wsgi.admin_token = TOKEN  # (as `mockcp serve --admin-token` sets it)
        with mock.serve() as base:
            yield Served(mock, base, clock)


def css(browser: webdriver.Chrome, selector: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, selector)


def controls(browser: webdriver.Chrome, served: Served, token: str | None = TOKEN) -> None:
    """The Controls tab, with ``token`` typed (None: a tab that never had one)."""
    open_page(browser, served)
    browser.execute_script("sessionStorage.clear();")
    if token is not None:
        css(browser, "nav [data-view=controls]").click()
        css(browser, "#token").clear()
        css(browser, "#token").send_keys(token)
        open_page(browser, served)  # (the token stays in this tab's sessionStorage)
    css(browser, "nav [data-view=controls]").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#event-station option")
    )


def choose(browser: webdriver.Chrome, selector: str, value: str, seconds: float = 30) -> None:
    """Select ``value`` in a drop-down the page may be drawing again (its options refresh
    after every control: an element found a moment before can be stale)."""

    def chosen(driver: webdriver.Chrome) -> bool:
        Select(css(driver, selector)).select_by_value(value)
        return True

    WebDriverWait(browser, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(
        chosen
    )


def text_of(browser: webdriver.Chrome, selector: str, starts: str, seconds: float = 30) -> str:
    """The element's text once it starts with ``starts`` (a control answered)."""
    seen: list[str] = []

    def answered(driver: webdriver.Chrome) -> str | bool:
        seen.append(css(driver, selector).text)
        return seen[-1] if seen[-1].startswith(starts) else False

    try:
        found: str = WebDriverWait(browser, seconds).until(answered)
    except TimeoutException:
        raise AssertionError(f"{selector} never started with {starts!r}: {seen[-1:]}") from None
    return found


def port_one(served: Served, station: str) -> Any:
    reply = served.client().getLoad(searchQuery={"stationID": station})
    return next(p for p in reply.stationData[0].Port if p.portNumber == "1")


def status_of(served: Served, station: str) -> list[str]:
    reply = served.client().getStationStatus(searchQuery={"stationID": station})
    return [p.Status for p in reply.stationData[0].Port]


def clock_iso(served: Served) -> str:
    return utc(served.clock.now()).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_controls_send_station_events_with_the_token_only(
    served: Served, browser: webdriver.Chrome
) -> None:
    controls(browser, served, token=None)
    assert port_one(served, "1:10002").sessionID == SESSION
    choose(browser, "#event-station", "1:10002")
    choose(browser, "#event-type", "unplug")
    css(browser, "#event-port").clear()
    css(browser, "#event-port").send_keys("1")
    css(browser, "#event-send").click()
    assert text_of(browser, "#event-state", "event:") == f"event: {NEEDS_TOKEN}"
    assert port_one(served, "1:10002").sessionID == SESSION  # nothing happened
    css(browser, "#token").send_keys(TOKEN)
    css(browser, "#event-send").click()
    done = text_of(browser, "#event-state", "unplug on 1:10002")
    assert done.endswith("1 session(s) touched")
    port = port_one(served, "1:10002")
    assert (port.sessionID, float(port.portLoad)) == (0, 0.0)
    ended = served.client().getChargingSessionData(searchQuery={"sessionID": SESSION})
    assert utc(ended.ChargingSessionData[0].endTime) == utc(served.clock.now())
    # a port fault: the API reports the port out of order and the map colours it
    choose(browser, "#event-station", "1:10001")
    choose(browser, "#event-type", "portFault")
    css(browser, "#event-fault").send_keys("GFCI Trip")
    css(browser, "#event-send").click()
    text_of(browser, "#event-state", "portFault on 1:10001")
    assert status_of(served, "1:10001")[0] != "AVAILABLE"
    css(browser, "#event-send").click()  # the same fault again cannot happen: a clear 409
    assert text_of(browser, "#event-state", "event:") == (
        "event: port 1 already has a fault (GFCI Trip)"
    )
    screenshot(browser, "controls-events")
    css(browser, "nav [data-view=fleet]").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script(
            "const g = document.querySelector('.station[data-station-id=\"1:10001\"]');"
            "return g && g.dataset.category;"
        )
        == "faulted"
    )


def test_controls_save_restore_and_delete_a_snapshot(
    served: Served, browser: webdriver.Chrome
) -> None:
    controls(browser, served)
    saved_at = clock_iso(served)
    css(browser, "#snapshot-name").send_keys("before-offline")
    css(browser, "#snapshot-save").click()
    assert text_of(browser, "#snapshot-state", "saved") == "saved before-offline"
    item = WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '#snapshot-list li[data-name="before-offline"]')
    )[0]
    assert saved_at.replace("T", " ")[:16] in item.text
    # the world moves on: an hour later, 1:20001 goes offline
    css(browser, "button[data-advance=PT1H]").click()
    WebDriverWait(browser, 10).until(lambda d: clock_iso(served) != saved_at)
    choose(browser, "#event-station", "1:20001")
    choose(browser, "#event-type", "offline")
    css(browser, "#event-send").click()
    text_of(browser, "#event-state", "offline on 1:20001")
    assert set(status_of(served, "1:20001")) == {"UNREACHABLE"}
    css(browser, '#snapshot-list li[data-name="before-offline"] .snapshot-restore').click()
    assert text_of(browser, "#snapshot-state", "restored") == "restored before-offline"
    assert clock_iso(served) == saved_at
    assert "UNREACHABLE" not in status_of(served, "1:20001")
    WebDriverWait(browser, 10).until(
        lambda d: css(d, "#clock-now").text == saved_at.replace("T", " ")[:16] + "Z"
    )
    screenshot(browser, "controls-snapshots")
    css(browser, '#snapshot-list li[data-name="before-offline"] .snapshot-delete').click()
    assert text_of(browser, "#snapshot-state", "deleted") == "deleted before-offline"
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#snapshot-list li") == []
    )
    css(browser, "#snapshot-name").send_keys("/bad name")  # a clear refusal, not a page
    css(browser, "#snapshot-save").click()
    assert text_of(browser, "#snapshot-state", "snapshot:").startswith("snapshot: ")


def test_controls_reset_to_the_start_and_to_a_new_start(
    served: Served, browser: webdriver.Chrome
) -> None:
    controls(browser, served)
    css(browser, "#snapshot-name").send_keys("kept")
    css(browser, "#snapshot-save").click()
    assert text_of(browser, "#snapshot-state", "saved") == "saved kept"
    css(browser, "#world-reset").click()
    assert text_of(browser, "#reset-state", "reset done", 120) == "reset done"
    assert browser.find_elements(By.CSS_SELECTOR, '#snapshot-list li[data-name="kept"]')
    assert served.clock.now() == CHARGING
    assert port_one(served, "1:10002").sessionID == SESSION  # the unplug is undone
    assert status_of(served, "1:10001")[0] != "UNKNOWN"
    # a new start: another day, another seed
    css(browser, "#reset-start").send_keys("2024-06-04T18:00:00Z")
    css(browser, "#reset-seed").send_keys("7")
    choose(browser, "#reset-fixture", "minimal")
    css(browser, "#world-reset-new").click()
    assert text_of(browser, "#reset-state", "reset", 120) == "reset done"
    assert served.clock.now() == datetime(2024, 6, 4, 18, 0, tzinfo=UTC)
    assert served.mock.wsgi.settings.root_seed == 7
    WebDriverWait(browser, 10).until(lambda d: css(d, "#clock-now").text == "2024-06-04 18:00Z")
    assert served.client().getStations(searchQuery={}).responseCode == "100"
    css(browser, "#reset-seed").clear()
    css(browser, "#reset-seed").send_keys("-1")
    css(browser, "#world-reset-new").click()
    assert text_of(browser, "#reset-state", "reset:") == (
        "reset: seed must be a whole number from 0 to 2**63-1"
    )
    screenshot(browser, "controls-reset")
