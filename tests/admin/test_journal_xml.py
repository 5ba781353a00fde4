"""The journal keeps each call's XML by default, bounded: each message cut at a size with a
marker, only the newest calls keep it, and a switch turns it off."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.test import Client

from mockcp.cli import build_parser, settings_from_args
from mockcp.clock import ManualClock
from mockcp.config import Settings
from mockcp.domain import journal
from mockcp.domain.journal import JournalEntry
from mockcp.testing import MockChargePoint
from tests.conftest import START

ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:urn="urn:dictionary:com.chargepoint.webservices"><soapenv:Header>'
    '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
    'oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken>'
    "<wsse:Username>{user}</wsse:Username><wsse:Password>{password}</wsse:Password>"
    "</wsse:UsernameToken></wsse:Security></soapenv:Header><soapenv:Body>"
    "<urn:getStations><searchQuery/></urn:getStations></soapenv:Body></soapenv:Envelope>"
)


def call_and_journal(settings: Settings) -> tuple[bytes, bytes, dict[str, Any]]:
    """One getStations over the WSGI app: the raw request, the raw answer, its journal entry."""
    with MockChargePoint(settings, ManualClock(START)) as mock:
        tenant = mock.tenants()[0]
        web = Client(mock.wsgi)
        request = ENVELOPE.format(user=tenant.license_key, password=tenant.password).encode()
        reply = web.post("/webservices/chargepoint/services/5.1", data=request,
                         content_type="text/xml; charset=utf-8")
        assert reply.status_code == 200
        entries = web.get("/_mock/journal?operation=getStations&xml=1").get_json()
    return request, reply.get_data(), entries[-1]


def test_the_journal_keeps_each_calls_xml_by_default() -> None:
    assert Settings().journal_xml is True
    request, answer, entry = call_and_journal(Settings(database_url="sqlite://", fixture="minimal"))
    assert entry["requestXml"] == request.decode()
    assert entry["responseXml"] == answer.decode()
    assert "<responseCode>100</responseCode>" in entry["responseXml"]


def test_a_long_message_is_cut_at_the_cap_with_a_marker() -> None:
    small = Settings(database_url="sqlite://", fixture="minimal", journal_xml_bytes=300)
    request, answer, entry = call_and_journal(small)
    assert len(answer) > 300
    kept, marker = entry["responseXml"].rsplit("\n", 1)
    assert marker == f"<!-- mockcp: cut at 300 of {len(answer)} bytes -->"
    assert kept == answer[:300].decode()
    assert entry["requestXml"].endswith(f"<!-- mockcp: cut at 300 of {len(request)} bytes -->")


def test_the_switch_turns_it_off() -> None:
    off = Settings(database_url="sqlite://", fixture="minimal", journal_xml=False)
    _, _, entry = call_and_journal(off)
    assert (entry["requestXml"], entry["responseXml"]) == (None, None)
    args = build_parser().parse_args(["serve", "--no-journal-xml"])
    assert settings_from_args(args).journal_xml is False
    assert settings_from_args(build_parser().parse_args(["serve"])).journal_xml is True
    assert Settings.from_env(environ={"MOCKCP_JOURNAL_XML": "false"}).journal_xml is False


@settings(max_examples=20, deadline=None)
@given(text=st.text(max_size=60), limit=st.integers(0, 80))
def test_clip_keeps_whole_characters_up_to_the_cap(text: str, limit: int) -> None:
    data = text.encode()
    clipped = journal.clip_xml(data, limit)
    if len(data) <= limit:
        assert clipped == text
    else:
        head, marker = clipped.rsplit("\n", 1)
        assert marker == f"<!-- mockcp: cut at {limit} of {len(data)} bytes -->"
        assert text.startswith(head) and len(head.encode()) <= limit
        assert len(head.encode()) > limit - 4  # (at most one character's bytes dropped)


@settings(max_examples=4, deadline=None)
@given(calls=st.integers(1, 330), keep=st.integers(1, 150))
def test_only_the_newest_calls_keep_their_xml(calls: int, keep: int) -> None:
    """The newest ``keep`` calls always have their XML; at most one sweep more ever do."""
    base = Settings(database_url="sqlite://", fixture="minimal")
    with MockChargePoint(dataclasses.replace(base, journal_xml_calls=keep)) as mock:
        at = datetime(2024, 3, 12, 17, tzinfo=UTC)
        call = journal.Call(
            at=at, wall_at=at, version="5.1", operation="getStations", org_id=None,
            http_status=200, response_code="100", fault=None, duration_ms=1.0, params={},
            request_xml="<request/>", response_xml="<response/>",
        )
        with mock.wsgi.journal.reading() as db:  # the journal's own database
            for _ in range(calls):
                journal.record(db, call, 10_000, keep)
            db.commit()
            rows = db.execute(
                select(JournalEntry.id, JournalEntry.request_xml).order_by(JournalEntry.id)
            ).all()
            total = db.scalar(select(func.count()).select_from(JournalEntry))
    assert total == len(rows) >= calls
    assert all(xml == "<request/>" for _, xml in rows[-keep:])
    assert sum(xml is not None for _, xml in rows) <= keep + journal.XML_SWEEP
