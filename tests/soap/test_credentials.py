"""The credential cache (soap/credentials.py): a hit is free, a change in another process is
seen on the very next request (issue 18).

Two apps on one SQLite file stand for two server processes: each has its own cache; what one
writes through the credentials stamp (db/stamps.py) the other must honour at once.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from mockcp.app import MockChargePointApp, create_app
from mockcp.config import Settings
from mockcp.db.activity import WorldMeta
from mockcp.db.models import ApiCredential
from mockcp.db.stamps import CREDENTIALS_KEY, credentials_digest, record_credentials
from mockcp.domain import principal as principal_module
from mockcp.domain.tenants import Tenant, list_tenants
from mockcp.soap import credentials as credentials_module
from tests.conftest import START
from tests.soap.envelopes import cpn_call

FAILED = "The security token could not be authenticated or authorized"


def open_app(db_file: Path) -> MockChargePointApp:
    """An app that computes every call: the credential cache of the full path is counted
    here (a repeated read served from memory, ``mockcp/answers.py``, looks up no one)."""
    return create_app(
        Settings(
            database_url=f"sqlite:///{db_file}",
            fixture="minimal",
            clock_mode="frozen",
            clock_start=START,
            answer_cache=False,
        )
    )


@pytest.fixture
def pair(tmp_path: Path) -> tuple[MockChargePointApp, MockChargePointApp]:
    db_file = tmp_path / "shared.sqlite3"
    return open_app(db_file), open_app(db_file)


def first_tenant(app: MockChargePointApp) -> Tenant:
    with app.sessions() as db:
        return list_tenants(db)[0]


def call(app: MockChargePointApp, key: str, password: str) -> tuple[int, str, str]:
    return cpn_call(app, key, password)


def change_password(app: MockChargePointApp, key: str, password: str) -> None:
    """Another process rewrites a credential the way every writer must: stamp included."""
    with app.sessions() as db, db.begin():
        row = db.scalars(select(ApiCredential).where(ApiCredential.license_key == key)).one()
        row.password = password
        record_credentials(db)


def test_password_changed_by_another_process_is_honoured_on_the_next_request(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    one, other = pair
    tenant = first_tenant(one)
    assert call(one, tenant.license_key, tenant.password) == (200, "ok", "getCPNInstancesResponse")
    assert call(one, tenant.license_key, tenant.password) == (
        200,
        "ok",
        "getCPNInstancesResponse",
    )  # now cached
    change_password(other, tenant.license_key, "a-new-password")
    assert call(one, tenant.license_key, tenant.password) == (
        500,
        "wsse:FailedAuthentication",
        FAILED,
    )
    assert call(one, tenant.license_key, "a-new-password") == (200, "ok", "getCPNInstancesResponse")


def test_deactivated_credential_is_refused_at_once(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    one, other = pair
    tenant = first_tenant(one)
    assert call(one, tenant.license_key, tenant.password) == (200, "ok", "getCPNInstancesResponse")
    with other.sessions() as db, db.begin():
        row = db.scalars(
            select(ApiCredential).where(ApiCredential.license_key == tenant.license_key)
        ).one()
        row.active = False
        record_credentials(db)
    assert call(one, tenant.license_key, tenant.password) == (
        500,
        "wsse:FailedAuthentication",
        FAILED,
    )


class CountingLookup:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object) -> principal_module.Principal | None:
        self.calls += 1
        return principal_module.lookup(*args)  # type: ignore[arg-type]


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> CountingLookup:
    counter = CountingLookup()
    monkeypatch.setattr(credentials_module, "lookup", counter)
    return counter


def test_a_known_caller_is_not_looked_up_again(
    pair: tuple[MockChargePointApp, MockChargePointApp], lookups: CountingLookup
) -> None:
    one, _ = pair
    tenant = first_tenant(one)
    for _ in range(3):
        assert call(one, tenant.license_key, tenant.password) == (
            200,
            "ok",
            "getCPNInstancesResponse",
        )
    assert lookups.calls == 1


def test_a_wrong_password_is_never_answered_from_memory(
    pair: tuple[MockChargePointApp, MockChargePointApp], lookups: CountingLookup
) -> None:
    one, _ = pair
    tenant = first_tenant(one)
    assert call(one, tenant.license_key, tenant.password) == (200, "ok", "getCPNInstancesResponse")
    for _ in range(2):
        assert call(one, tenant.license_key, tenant.password + "x") == (
            500,
            "wsse:FailedAuthentication",
            FAILED,
        )
    assert lookups.calls == 3


def test_a_world_without_a_stamp_is_looked_up_every_time(
    pair: tuple[MockChargePointApp, MockChargePointApp], lookups: CountingLookup
) -> None:
    one, _ = pair
    tenant = first_tenant(one)
    with one.sessions() as db, db.begin():
        db.execute(delete(WorldMeta).where(WorldMeta.key == CREDENTIALS_KEY))
    for _ in range(2):
        assert call(one, tenant.license_key, tenant.password) == (
            200,
            "ok",
            "getCPNInstancesResponse",
        )
    assert lookups.calls == 2


def test_loaded_world_carries_the_stamp_of_its_credentials(
    pair: tuple[MockChargePointApp, MockChargePointApp],
) -> None:
    one, _ = pair
    with one.sessions() as db:
        stored = db.get(WorldMeta, CREDENTIALS_KEY)
        assert stored is not None
        assert stored.value == credentials_digest(db)
        row = db.scalars(select(ApiCredential)).first()
        assert row is not None
        row.password += "!"
        db.flush()
        assert credentials_digest(db) != stored.value
        db.rollback()


CACHES: dict[int, credentials_module.CredentialCache] = {}


@functools.cache
def shared_world() -> MockChargePointApp:
    return create_app(
        Settings(
            database_url="sqlite://", fixture="minimal", clock_mode="frozen", clock_start=START
        )
    )


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["change", "deactivate", "reactivate", "restamp"]), st.integers(0, 1)
    ),
    max_size=8,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(steps=ACTIONS)
def test_cache_answers_what_a_lookup_answers_after_any_credential_writes(
    steps: list[tuple[str, int]],
) -> None:
    """Whatever writers do (with the stamp kept, as the contract says), in any order and
    rolled back between examples, the cache never answers other than the database."""
    app = shared_world()
    cache = CACHES.setdefault(id(app), credentials_module.CredentialCache())
    with app.sessions() as db:
        rows = db.scalars(select(ApiCredential).order_by(ApiCredential.id)).all()
        try:
            for number, (action, who) in enumerate(steps):
                row = rows[who % len(rows)]
                if action == "change":
                    row.password = f"changed-{number}"
                elif action in ("deactivate", "reactivate"):
                    row.active = action == "reactivate"
                record_credentials(db)
                for each in rows:
                    for password in (each.password, each.password + "x", f"changed-{number}"):
                        expected = principal_module.lookup(db, each.license_key, password)
                        assert cache.principal(db, each.license_key, password) == expected
        finally:
            db.rollback()
