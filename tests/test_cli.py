"""The ``mockcp`` command, as a user runs it: a real process, a real port, a file database."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import zeep
from zeep.wsse.username import UsernameToken

from mockcp.cli import main
from tests.serving import free_port, get_json, wait_ready


@pytest.mark.server
@pytest.mark.parametrize("fixture", ["minimal", "demo"])
def test_serve_starts_prints_credentials_and_answers(tmp_path: Path, fixture: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "mockcp",
        "serve",
        "--port",
        str(port),
        "--fixture",
        fixture,
        "--db",
        f"sqlite:///{tmp_path / 'mock.sqlite3'}",
        "--clock",
        "frozen",
        "--start",
        "2024-03-12T17:00:00Z",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_ready(base, process)
        with urllib.request.urlopen(f"{base}/_mock/health", timeout=5) as reply:
            assert reply.headers["Server"] == "mockcp"  # the production server (waitress)
        tenants = get_json(f"{base}/_mock/tenants")
        assert isinstance(tenants, list)
        assert len(tenants) == (2 if fixture == "minimal" else 4)
        client = zeep.Client(
            f"{base}/cp_api_5.1.wsdl",
            wsse=UsernameToken(tenants[0]["licenseKey"], tenants[0]["password"]),
        )
        assert [c.cpnName for c in client.service.getCPNInstances()] == ["USA", "EU", "AU", "CA"]
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"SOAP endpoint {base}/webservices/chargepoint/services/5.1" in output
    assert f"WSDL          {base}/cp_api_5.1.wsdl" in output
    for tenant in tenants:
        assert tenant["orgID"] in output and tenant["licenseKey"] in output
        assert tenant["password"] in output


def test_dump_wsdl_prints_the_wsdl_with_the_given_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["dump-wsdl", "--address", "http://example.test/x"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<?xml") and '<soap:address location="http://example.test/x"/>' in out


def test_a_file_database_is_rebuilt_when_the_world_changes(tmp_path: Path) -> None:
    from mockcp.app import create_app
    from mockcp.config import Settings
    from mockcp.domain.tenants import list_tenants

    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    for fixture, orgs in (("minimal", 2), ("demo", 4), ("minimal", 2)):
        app = create_app(Settings(database_url=url, fixture=fixture, clock_mode="frozen"))
        with app.sessions() as db:
            assert len(list_tenants(db)) == orgs
        app.engine.dispose()
