"""The world lock is per world: on PostgreSQL each schema (the parent's, each sandbox's) has
its own advisory key, so one sandbox's writer never queues behind another world's."""

from __future__ import annotations

from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from mockcp.db.engine import make_engine
from mockcp.sim.store.locking import hold_world, world_lock_key
from tests.worlds.stores import postgres_url


def in_schema(url: str, schema: str) -> str:
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def test_each_schema_has_its_own_key_and_every_process_the_same_one() -> None:
    base = "postgresql+psycopg://mockcp@127.0.0.1:5432/mockcp"
    a, b = make_url(in_schema(base, "mockcp_sb_a")), make_url(in_schema(base, "mockcp_sb_b"))
    assert world_lock_key(a) != world_lock_key(b) != world_lock_key(make_url(base))
    assert world_lock_key(a) == world_lock_key(make_url(in_schema(base, "mockcp_sb_a")))


def test_a_writer_in_one_schema_does_not_hold_another_schemas_world() -> None:
    url = postgres_url()
    first, second = in_schema(url, "mockcp_sb_first"), in_schema(url, "mockcp_sb_second")
    engines = [make_engine(u) for u in (first, second, first)]
    try:
        with Session(engines[0]) as writer, engines[1].connect() as other, \
                engines[2].connect() as same:
            writer.begin()
            hold_world(writer)  # the first world's writer holds its lock to its end

            def free(conn: object, key: int) -> bool:
                got = conn.execute(  # type: ignore[attr-defined]
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}
                ).scalar_one()
                conn.rollback()  # type: ignore[attr-defined]
                return bool(got)

            assert free(other, world_lock_key(engines[1].url))  # the other world is free
            assert not free(same, world_lock_key(engines[2].url))  # its own world is held
            writer.rollback()
            assert free(same, world_lock_key(engines[2].url))  # and free once it ends
    finally:
        for engine in engines:
            engine.dispose()
