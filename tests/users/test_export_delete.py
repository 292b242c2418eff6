"""Export contains every user table's rows (and no secrets); deletion leaves nothing behind.

Rows are created in EVERY table that has a user_id column, by walking Base.metadata, so a table
added later is covered automatically.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, time
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import JSON, Boolean, Date, Float, Integer, Numeric, String, Text, Time, Uuid, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.email import last_email_to
from personal_assistant.db.base import Base, UTCDateTime
from personal_assistant.db.models import AuditEvent, User
from personal_assistant.users.account import is_secret_column
from personal_assistant.users.repository import user_tables
from tests.fixtures.factories import TEST_PASSWORD


def _model_for(table):
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    raise AssertionError(f"no model for {table.name}")


def _value(column, tag: str, created: dict[str, object]):
    """A recognisable value for one column; `tag` makes values unique per user."""
    for fk in column.foreign_keys:
        target = fk.column.table.name
        if target == "users":
            return None  # set by the caller
        row = created.get(target)
        return getattr(row, fk.column.key) if row is not None else None
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return clock.now()
    if isinstance(kind, Uuid):
        return uuid.uuid4()
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, Numeric):
        return Decimal("1.5")
    if isinstance(kind, Float):
        return 0.5
    if isinstance(kind, Date):
        return date(2030, 1, 2)
    if isinstance(kind, Time):
        return time(8, 0)
    if isinstance(kind, JSON):
        return {"marker": f"{tag}-{column.name}"}
    if isinstance(kind, String | Text):
        text = f"{tag}-{column.name}"
        length = getattr(kind, "length", None)
        return text[-length:] if length else text
    raise AssertionError(f"add a value for {column.table.name}.{column.name} ({kind!r})")


async def fill_every_user_table(session: AsyncSession, user_id: uuid.UUID, tag: str) -> dict[str, object]:
    """One row per user-owned table (and per other table with a user_id), all columns set."""
    created: dict[str, object] = {}
    for table in user_tables():
        model = _model_for(table)
        values = {}
        for column in table.columns:
            if column.primary_key and column.name == "id":
                continue
            values[column.key] = user_id if column.name == "user_id" else _value(column, tag, created)
        row = model(**values)
        session.add(row)
        await session.flush()
        created[table.name] = row
    await session.commit()
    return created


async def test_export_contains_every_user_table_and_no_secrets(client, make_user, session):
    user = await make_user(name="Exporter")
    other = await make_user()
    created = await fill_every_user_table(session, user.id, "mine")
    await fill_every_user_table(session, other.id, "theirs")

    response = await client.get("/api/v1/me/export", headers=user.headers)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["user"]["email"] == user.email and data["user"]["name"] == "Exporter"
    assert "password_hash" not in data["user"]
    for table in user_tables():
        rows = data["tables"][table.name]
        ids = {r.get("id") for r in rows}
        mine = created[table.name]
        if hasattr(mine, "id"):
            assert str(mine.id) in ids, f"{table.name} row missing from the export"
        assert rows, f"{table.name} is empty in the export"
        for row in rows:
            assert not [c for c in row if is_secret_column(c)], f"secret column exported from {table.name}"
    text = json.dumps(data)
    assert "theirs-" not in text, "another user's data leaked into the export"
    secret_markers = [f"mine-{c.name}" for t in user_tables() for c in t.columns if is_secret_column(c.name)]
    assert secret_markers, "the schema should have secret columns to check"
    for marker in secret_markers:
        assert marker not in text


async def _rows_referencing(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Every column with a foreign key to users.id, in every table."""
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                n = (
                    await session.execute(select(func.count()).select_from(table).where(column == user_id))
                ).scalar_one()
                if n:
                    found[f"{table.name}.{column.name}"] = n
    found["users"] = (
        await session.execute(select(func.count()).select_from(User).where(User.id == user_id))
    ).scalar_one()
    return {k: v for k, v in found.items() if v}


async def test_delete_me_removes_every_row_and_keeps_an_anonymous_audit_event(client, make_user, session):
    user = await make_user()
    other = await make_user()
    await fill_every_user_table(session, user.id, "mine")
    await fill_every_user_table(session, other.id, "theirs")
    assert await _rows_referencing(session, user.id)

    wrong = await client.request("DELETE", "/api/v1/me", json={"password": "not my password!"}, headers=user.headers)
    assert wrong.status_code == 422 and "password" in wrong.json()["error"]["fields"]
    missing = await client.request("DELETE", "/api/v1/me", headers=user.headers)
    assert missing.status_code == 422
    assert await _rows_referencing(session, user.id)

    gone = await client.request("DELETE", "/api/v1/me", json={"password": TEST_PASSWORD}, headers=user.headers)
    assert gone.status_code == 204
    session.expire_all()
    assert await _rows_referencing(session, user.id) == {}
    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 401
    # the other user is untouched
    assert len(await _rows_referencing(session, other.id)) >= len(user_tables())
    events = (await session.execute(select(AuditEvent).where(AuditEvent.event == "user.deleted"))).scalars().all()
    assert len(events) == 1 and events[0].user_id is None
    assert user.email not in json.dumps(events[0].details) and str(user.id) not in json.dumps(events[0].details)


async def test_passwordless_account_deletes_after_a_recent_login(client, make_user, session):
    user = await make_user()
    row = await session.get(User, user.id)
    row.password_hash = None
    await session.commit()
    stale = await client.request("DELETE", "/api/v1/me", json={}, headers=user.headers)
    assert stale.status_code == 422 and stale.json()["error"]["code"] == "recent_login_required"
    await client.post("/api/v1/auth/magic-link", json={"email": user.email})
    link = next(x for x in last_email_to(user.email).body.splitlines() if x.startswith("https://"))
    token = parse_qs(urlsplit(link).query)["token"][0]
    tokens = (await client.get("/api/v1/auth/magic-link/verify", params={"token": token})).json()
    fresh = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await client.request("DELETE", "/api/v1/me", json={}, headers=fresh)).status_code == 204
    session.expire_all()
    assert await session.get(User, user.id) is None
