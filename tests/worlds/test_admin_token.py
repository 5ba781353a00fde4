"""The control-plane token, in process: who passes, who gets a JSON 401."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from werkzeug.test import Client

from mockcp.app import create_app
from mockcp.clock import ManualClock
from mockcp.exposure import admin_token, is_loopback
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.images import fresh_world

REFUSED = {"error": "the control plane needs 'Authorization: Bearer <admin token>'"}


@pytest.fixture
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockChargePoint]:
    """A minimal world whose control plane needs the token ``s3cret`` (a fresh copy of the
    run's image of the minimal world at START)."""
    mock = MockChargePoint(fresh_world(tmp_path_factory, "minimal", START))
    mock.app = create_app(mock.settings, ManualClock(START), admin_token="s3cret")
    yield mock
    mock.app.engine.dispose()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong", "Basic s3cret", "s3cret", "Bearer s3cret2", "Bearer "],
)
def test_a_call_without_the_token_is_a_json_401_and_changes_nothing(
    locked: MockChargePoint, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    client = Client(locked.wsgi)
    for method, path in (("POST", "/_mock/reset"), ("POST", "/_mock/clock"),
                         ("GET", "/_mock/journal"), ("POST", "/_mock/snapshots")):
        reply = client.open(path, method=method, headers=headers, json={"advance": "P1D"})
        assert (reply.status_code, json.loads(reply.get_data())) == (401, REFUSED)
        assert reply.headers["WWW-Authenticate"] == 'Bearer realm="mockcp"'
    assert locked.wsgi.clock.now() == START


def test_the_token_opens_the_control_plane_and_health_and_soap_stay_open(
    locked: MockChargePoint,
) -> None:
    client = Client(locked.wsgi)
    reply = client.post(
        "/_mock/clock", json={"advance": "P1D"}, headers={"Authorization": "Bearer s3cret"}
    )
    assert reply.status_code == 200
    assert json.loads(client.get("/_mock/health").get_data()) == {"status": "ready"}
    assert len(locked.client().service.getCPNInstances()) == 4


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.4", False),
        ("example.test", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_token_is_made_up_beyond_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOCKCP_ADMIN_TOKEN", raising=False)
    assert admin_token("127.0.0.1", None) == (None, False)
    token, made_up = admin_token("0.0.0.0", None)
    assert made_up and token is not None and len(token) >= 32
    assert admin_token("0.0.0.0", None)[0] != token  # a new one each start
    assert admin_token("0.0.0.0", "") == (None, False)
    assert admin_token("127.0.0.1", "given") == ("given", False)
    monkeypatch.setenv("MOCKCP_ADMIN_TOKEN", "from-env")
    assert admin_token("0.0.0.0", None) == ("from-env", False)
    assert admin_token("0.0.0.0", "flag") == ("flag", False)
    monkeypatch.setenv("MOCKCP_ADMIN_TOKEN", "")
    assert admin_token("0.0.0.0", None) == (None, False)
