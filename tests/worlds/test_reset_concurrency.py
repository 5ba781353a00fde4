"""Resets and restores while SOAP calls run over real HTTP: every answer is the old world
or the new one, never a mix, never a fault or a 500."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest
import zeep
from zeep.wsse.username import UsernameToken

from mockcp.config import Settings
from mockcp.testing import MockChargePoint
from tests.conftest import START
from tests.worlds.helpers import SHED_30, admin

SHED = (Decimal("5.040"), 1, 30)
UNSHED = (Decimal("7.200"), 0, 0)


@pytest.mark.server
def test_restores_under_load_answer_old_or_new_never_a_mix(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", fixture="minimal",
                        clock_mode="frozen", clock_start=START)
    with MockChargePoint(settings) as mock, mock.serve() as base:
        app = mock.wsgi
        admin(app, "POST", "/clock", {"advance": "PT2H"})
        # Both worlds planned up to the (frozen) clock before the readers start: concurrent
        # first reads of an unplanned world race in the simulator (see the report, i17).
        client = mock.client()
        client.service.getLoad(searchQuery={"stationID": "1:10002"})
        admin(app, "POST", "/snapshots", {"name": "unshed"})
        assert client.service.shedLoad(shedQuery=SHED_30).Success == 1
        client.service.getLoad(searchQuery={"stationID": "1:10002"})
        admin(app, "POST", "/snapshots", {"name": "shed"})
        tenant = mock.tenants()[0]
        seen: list[tuple[Decimal, int, int]] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def reader() -> None:
            wsse = UsernameToken(tenant.license_key, tenant.password)
            client = zeep.Client(f"{base}/cp_api_5.1.wsdl", wsse=wsse)
            try:
                while not stop.is_set():
                    reply = client.service.getLoad(searchQuery={"stationID": "1:10002"})
                    port = reply.stationData[0].Port[0]
                    seen.append((port.portLoad, port.shedState, port.percentShed))
            except BaseException as exc:  # a fault or an HTTP error ends the test
                errors.append(exc)

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        for round_ in range(16):
            name = "unshed" if round_ % 2 else "shed"
            assert admin(app, "POST", f"/snapshots/{name}/restore")[0] == 200
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert len(seen) > 0
    assert set(seen) <= {SHED, UNSHED}
