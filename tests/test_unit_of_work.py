"""A write is answered only after it is committed: when the database refuses the COMMIT itself,
the client gets a 5xx and nothing is stored (a 2xx always means the row is there).

The commit is made to fail at the database with a deferred constraint trigger (PostgreSQL runs
it at COMMIT), so the failure comes from where it would in production, not from a mocked session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, text

from personal_assistant.db.models import Message, SmsWebhookReceipt, Task
from personal_assistant.db.session import session_scope
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed


@pytest.fixture
async def failing_commit(database_url: str) -> AsyncIterator[callable]:
    """fail_commit_on("tasks") makes every COMMIT that inserted into that table fail."""
    if not database_url.startswith("postgresql"):
        pytest.skip("deferred constraint triggers (a COMMIT that fails) are PostgreSQL's")
    tables: list[str] = []

    async def fail_commit_on(table: str) -> None:
        async with session_scope() as s:
            await s.execute(text(
                "CREATE OR REPLACE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$"
            ))
            await s.execute(text(
                f"CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_commit()"
            ))
        tables.append(table)

    yield fail_commit_on
    async with session_scope() as s:
        for table in tables:
            await s.execute(text(f"DROP TRIGGER IF EXISTS test_refuse_commit ON {table}"))
        await s.execute(text("DROP FUNCTION IF EXISTS test_refuse_commit()"))


async def _count(model) -> int:
    async with session_scope() as s:
        return int((await s.execute(select(func.count()).select_from(model))).scalar_one())


async def test_api_write_whose_commit_fails_answers_5xx_and_stores_nothing(client, make_user, failing_commit):
    user = await make_user()
    await failing_commit("tasks")
    response = await client.post("/api/v1/tasks", json={"title": "renew passport"}, headers=user.headers)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert await _count(Task) == 0


async def test_webhook_whose_commit_fails_answers_5xx_and_claims_nothing(
    client, make_user, twilio_webhooks, failing_commit
):
    """Twilio retries a 5xx; the retry must not be dropped as a duplicate of a text never stored."""
    user = await make_user()
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="add task renew passport")
    await failing_commit("messages")
    refused = await post_signed(client, "/webhooks/twilio/sms", params)
    assert refused.status_code == 500
    assert await _count(SmsWebhookReceipt) == 0 and await _count(Message) == 0
