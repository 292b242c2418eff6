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


@pytest.fixture
def slow_gemini(settings_env):
    from tests.fixtures.fake_gemini import FakeGemini

    fake = FakeGemini.start()
    settings_env(GEMINI_API_KEY="test-gemini-key", GEMINI_BASE_URL=fake.url, AGENT_ROUTING="llm_first")
    yield fake
    fake.stop()


async def test_a_slow_llm_call_holds_no_transaction_and_keeps_no_one_waiting(
    client, make_user, twilio_webhooks, slow_gemini, database_url
):
    """Gemini takes 5 s to answer Alice: meanwhile Bob's texts are acknowledged at once and no
    database connection sits idle in a transaction (pg_stat_activity)."""
    import asyncio
    import time

    from personal_assistant.workers.enqueue import wait_for_in_process_jobs
    from tests.fixtures import fake_gemini as fg

    if not database_url.startswith("postgresql"):
        pytest.skip("pg_stat_activity is PostgreSQL's")
    slow = fg.text("Done, it's on your list.")
    slow.delay_seconds = 5
    slow_gemini.script(slow)
    alice, bob = await make_user(), await make_user()
    assert (await post_signed(client, "/webhooks/twilio/sms",
                              inbound_params(from_=alice.phone, to=SHARED_NUMBER, body="add task renew passport"))
            ).status_code == 200
    async with asyncio.timeout(10):
        while not slow_gemini.requests:  # noqa: ASYNC110 - Alice's turn is now waiting on Gemini
            await asyncio.sleep(0.02)

    acks = []
    for n in range(5):
        started = time.perf_counter()
        response = await post_signed(client, "/webhooks/twilio/sms",
                                     inbound_params(from_=bob.phone, to=SHARED_NUMBER, body=f"hello {n}"))
        acks.append(time.perf_counter() - started)
        assert response.status_code == 200
    await asyncio.sleep(1.5)  # Alice's call still has seconds to go
    async with session_scope() as s:
        # A transaction is "held" if it has been idle for a while, not for the instant between
        # BEGIN and its first statement.
        held = (await s.execute(text(
            "SELECT pid, query, now() - state_change FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction' AND now() - state_change > interval '500 milliseconds'"
        ))).all()
    assert held == []
    assert max(acks) < 1.0, acks  # nowhere near the 5 s Alice's turn is waiting for

    await wait_for_in_process_jobs(limit_seconds=30)
    async with session_scope() as s:
        replies = (await s.execute(select(Message).where(Message.user_id == alice.id,
                                                         Message.direction == "outbound"))).scalars().all()
    assert [r.body for r in replies] == ["Done, it's on your list."]
