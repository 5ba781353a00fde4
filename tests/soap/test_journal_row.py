"""The journal row keeps what the client sent, read from the document spyne parsed
(``soap.recorder.keep_request``) rather than from a second parse of the body: the same
operation and parameters as a parse of the raw body gives, even for the empty and nil
elements the wire layer removes before spyne reads the request."""

from __future__ import annotations

from werkzeug.test import Client

from mockcp.soap.recorder import request_params
from mockcp.testing import MockChargePoint
from tests.soap.envelopes import SOAP_PATH, go_style, guide_style

XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
BODIES = [
    "<urn:getStations><searchQuery><stationID>1:10002</stationID></searchQuery></urn:getStations>",
    "<urn:getStations><searchQuery><stationID/><Address></Address></searchQuery></urn:getStations>",
    f'<urn:getLoad><searchQuery {XSI}><stationID xsi:nil="true"/></searchQuery></urn:getLoad>',
    "<urn:getCPNInstances/>",
    "<urn:getStations><searchQuery><stationID>x</stationID><stationID>y</stationID>"
    "</searchQuery></urn:getStations>",
]


def test_the_row_holds_the_parameters_as_sent(mock: MockChargePoint) -> None:
    tenant = mock.tenants()[0]
    sent = [guide_style(tenant.license_key, tenant.password, body) for body in BODIES]
    sent.append(go_style(tenant.license_key, tenant.password, "getStations",
                         "<searchQuery><stationID></stationID></searchQuery>"))
    for data in sent:
        Client(mock.wsgi).post(SOAP_PATH, data=data, content_type="text/xml")
    rows = mock.journal.calls()
    assert [(row["operation"], row["params"]) for row in rows] == [
        request_params(data, mock.settings.max_depth) for data in sent
    ]
    assert rows[1]["params"] == {"searchQuery": {"stationID": "", "Address": ""}}
    assert [row["orgID"] for row in rows] == [tenant.org_id] * len(sent)
