"""The data layer's promises: every user-owned table is scoped, the schema has no drift,
errors have one format."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from personal_assistant.db.base import Base
from personal_assistant.db.migrations import include_object
from personal_assistant.db.models import SYSTEM_TABLES, Task
from personal_assistant.db.repository import ScopedRepository
from personal_assistant.db.session import get_engine


def test_every_user_owned_table_has_an_indexed_cascading_user_id():
    for table in Base.metadata.sorted_tables:
        if table.name in SYSTEM_TABLES:
            continue
        assert "user_id" in table.c, f"{table.name} has no user_id"
        column = table.c.user_id
        assert not column.nullable, f"{table.name}.user_id is nullable"
        fks = [fk for fk in column.foreign_keys if fk.column.table.name == "users"]
        assert fks and fks[0].ondelete == "CASCADE", f"{table.name}.user_id does not cascade"
        indexed = any(
            idx.columns.keys()[0] == "user_id" for idx in table.indexes
        ) or any(c.columns.keys()[:1] == ["user_id"] for c in table.constraints if hasattr(c, "columns"))
        assert indexed, f"{table.name}.user_id is not indexed"


async def test_migrated_database_indexes_user_id_in_every_user_table():
    async with get_engine().connect() as conn:
        def check(sync_conn):
            insp = inspect(sync_conn)
            missing = []
            for table in Base.metadata.sorted_tables:
                if table.name in SYSTEM_TABLES:
                    continue
                leading = [ix["column_names"][:1] for ix in insp.get_indexes(table.name)]
                leading += [u["column_names"][:1] for u in insp.get_unique_constraints(table.name)]
                if ["user_id"] not in leading:
                    missing.append(table.name)
            return missing

        assert await conn.run_sync(check) == []


async def test_migrations_match_the_models():
    """`alembic check` in a test: the migrated schema has no drift from the models."""

    def diff(sync_conn):
        context = MigrationContext.configure(
            sync_conn, opts={"include_object": include_object, "compare_type": True}
        )
        return compare_metadata(context, Base.metadata)

    async with get_engine().connect() as conn:
        assert await conn.run_sync(diff) == []


def test_scoped_repository_refuses_to_exist_without_a_user():
    with pytest.raises(TypeError):
        ScopedRepository(session=None, user_id=None)  # type: ignore[arg-type]


async def test_another_users_row_is_not_found(session, make_user):
    alice = await make_user()
    bob = await make_user()
    task = Task(user_id=alice.id, title="renew passport")
    session.add(task)
    await session.commit()

    class Tasks(ScopedRepository[Task]):
        model = Task
        label = "task"

    assert (await Tasks(session, alice.id).get(task.id)).title == "renew passport"
    assert await Tasks(session, bob.id).find(task.id) is None
    assert await Tasks(session, bob.id).find("not-a-uuid") is None
    assert await Tasks(session, bob.id).count() == 0


async def test_health_ready_and_metrics(client):
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    metrics = await client.get("/metrics")
    assert "http_requests_total" in metrics.text


async def test_unknown_route_and_bad_token_use_the_error_format(client):
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    bad = await client.get(f"/api/v1/tasks/{uuid.uuid4()}", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_token"
    invalid = await client.post("/api/v1/auth/signup", json={"email": "not-an-email"})
    assert invalid.status_code == 422
    assert "password" in invalid.json()["error"]["fields"]
