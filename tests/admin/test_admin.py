"""The control plane: health, tenants, reset, journal (JSON under /_mock/)."""

from __future__ import annotations

import json

import zeep
from sqlalchemy import delete
from werkzeug.test import Client

from mockcp.db.models import CpnInstance
from mockcp.testing import MockChargePoint


def get_json(mock: MockChargePoint, path: str) -> tuple[int, object]:
    reply = Client(mock.wsgi).get(path)
    assert reply.headers["Content-Type"] == "application/json"
    return reply.status_code, json.loads(reply.get_data())


def test_health_is_ready(mock: MockChargePoint) -> None:
    assert get_json(mock, "/_mock/health") == (200, {"status": "ready"})


def test_tenants_lists_every_organisation_with_credentials(mock: MockChargePoint) -> None:
    status, body = get_json(mock, "/_mock/tenants")
    assert status == 200
    assert [(t["orgID"], t["organizationName"]) for t in body] == [  # type: ignore[union-attr]
        ("1:ORG00001", "Sunrise Energy Co-op"),
        ("1:ORG00002", "Harbor City Parking"),
    ]
    assert all(len(t["licenseKey"]) > 20 and len(t["password"]) == 32 for t in body)  # type: ignore[union-attr]


def test_tenant_credentials_work_over_soap(mock: MockChargePoint) -> None:
    _, body = get_json(mock, "/_mock/tenants")
    for entry in body:  # type: ignore[union-attr]
        tenant = next(t for t in mock.tenants() if t.license_key == entry["licenseKey"])
        assert tenant.password == entry["password"]


def test_reset_rebuilds_the_world(mock: MockChargePoint, client: zeep.Client) -> None:
    with mock.wsgi.sessions() as db, db.begin():
        db.execute(delete(CpnInstance).where(CpnInstance.id > 2))
    assert len(client.service.getCPNInstances()) == 2
    reply = Client(mock.wsgi).post("/_mock/reset")
    assert (reply.status_code, json.loads(reply.get_data())) == (200, {"status": "reset"})
    assert len(client.service.getCPNInstances()) == 4
    assert get_json(mock, "/_mock/health") == (200, {"status": "ready"})


def test_journal_records_soap_calls(mock: MockChargePoint, client: zeep.Client) -> None:
    client.service.getCPNInstances()
    _, body = get_json(mock, "/_mock/journal")
    assert isinstance(body, list) and len(body) == 1
    entry = body[0]
    assert entry["wallTime"].endswith("Z") and entry["durationMs"] >= 0
    assert {k: v for k, v in entry.items() if k not in {"wallTime", "durationMs"}} == {
        "id": 1,
        "simTime": "2024-03-12T17:00:00Z",
        "version": "5.1",
        "operation": "getCPNInstances",
        "orgID": "1:ORG00001",
        "httpStatus": 200,
        "responseCode": "100",
        "fault": None,
        "params": {},
        "details": {},
    }


def test_unknown_admin_path_is_json_404(mock: MockChargePoint) -> None:
    status, body = get_json(mock, "/_mock/nothing")
    assert status == 404
    assert body == {"error": "Not Found", "path": "/_mock/nothing"}


def test_soap_requests_during_a_reset_wait_for_the_new_world(mock: MockChargePoint) -> None:
    import threading

    client = mock.client()
    errors: list[BaseException] = []
    counts: list[int] = []

    def call_repeatedly() -> None:
        try:
            for _ in range(15):
                counts.append(len(client.service.getCPNInstances()))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    thread = threading.Thread(target=call_repeatedly)
    thread.start()
    for _ in range(5):
        assert Client(mock.wsgi).post("/_mock/reset").status_code == 200
    thread.join(timeout=60)
    assert errors == []
    assert counts == [4] * 15
