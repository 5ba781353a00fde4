"""A real server on the demo world and a headless Chromium driving the dashboard.

Chromium and chromedriver come from Debian (``.ci/chromium.sh``); the tests fail loudly
when they are missing. Screenshots go to ``artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import zeep
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from zeep.wsse.username import UsernameToken

from mockcp.app import SOAP_PATH, WSDL_PATH
from mockcp.clock import ManualClock
from mockcp.testing import MockChargePoint
from tests.worlds.images import fresh_world

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# 17:45 in Denver on a Tuesday: the evening peak of the demo world's first tenant.
START = datetime(2024, 3, 13, 0, 45, tzinfo=UTC)
TENANT = "1:ORG00001"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,800", "--hide-scrollbars", "--disable-dev-shm-usage",
)


class Served:
    """The running mock: its base URL, clock and SOAP clients over real HTTP."""

    def __init__(self, mock: MockChargePoint, base: str, clock: ManualClock) -> None:
        self.mock, self.base, self.clock = mock, base, clock

    def client(self, org_id: str = TENANT) -> Any:
        tenant = next(t for t in self.mock.tenants() if t.org_id == org_id)
        client = zeep.Client(
            self.base + WSDL_PATH, wsse=UsernameToken(tenant.license_key, tenant.password)
        )
        return client.create_service(
            "{urn:dictionary:com.chargepoint.webservices}chargepointservicesSOAP",
            self.base + SOAP_PATH,
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    clock = ManualClock(START)
    settings = fresh_world(tmp_path_factory, "demo", START)  # a SQLite file of its own
    with MockChargePoint(settings, clock) as mock, mock.serve() as base:
        yield Served(mock, base, clock)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    for path in (CHROMIUM, CHROMEDRIVER):
        assert path.is_file(), f"{path} is missing: run .ci/chromium.sh (apt-get install chromium)"
    profile = tempfile.mkdtemp(prefix="mockcp-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_window_size(1280, 800)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(browser: webdriver.Chrome, served: Served, query: str = "") -> None:
    browser.get(served.base + "/_mock/ui/" + query)
    WebDriverWait(browser, 90).until(
        lambda d: d.execute_script("return document.body.dataset.ready === '1'")
    )


def screenshot(browser: webdriver.Chrome, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    partial = SHOTS / f".{name}.{os.getpid()}.png"  # xdist: never a half-written file
    browser.save_screenshot(str(partial))
    os.replace(partial, path)
    return path
