"""One turn at a time per user (in-process lock, and the Redis lock shared by processes);
different users in parallel."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.lock import user_turn_lock
from personal_assistant.agent.service import post_web_message
from personal_assistant.db.models import Message
from personal_assistant.db.session import session_scope
from tests.agent.scripted import ScriptedProvider, answer
from tests.fixtures.factories import load_user


async def _post(user_ctx, text: str, chain: ProviderChain, started: asyncio.Event | None = None):
    async with session_scope() as s:
        user = await load_user(s, user_ctx)
        if started is not None:
            started.set()
        return await post_web_message(s, user, text, chain=chain)


def _echo(ctx, results):
    return answer(f"got: {ctx.text} (history {len(ctx.history)})")


@pytest.fixture(params=["in-process", "redis"])
def lock_mode(request, settings_env):
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings_env(REDIS_URL=url)
    return request.param


async def test_two_messages_of_one_user_are_processed_in_order(make_user, lock_mode):
    user = await make_user()
    provider = ScriptedProvider(_echo, _echo, delay=0.3)
    chain = ProviderChain(None, provider)
    first_started = asyncio.Event()
    first = asyncio.create_task(_post(user, "first", chain, first_started))
    await first_started.wait()
    await asyncio.sleep(0.05)
    second = asyncio.create_task(_post(user, "second", chain))
    a, b = await asyncio.gather(first, second)

    # The second turn started only after the first ended, and saw the first exchange.
    assert provider.events == [("start", "first"), ("end", "first"), ("start", "second"), ("end", "second")]
    assert a.outbound.body == "got: first (history 0)"
    assert b.outbound.body == "got: second (history 2)"
    async with session_scope() as s:
        rows = (await s.execute(select(Message).where(Message.user_id == user.id)
                                .order_by(Message.created_at))).scalars().all()
    assert [m.body for m in rows if m.direction == "outbound"] == [a.outbound.body, b.outbound.body]


async def test_different_users_run_in_parallel(make_user, lock_mode, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer: the database itself serializes writing transactions")
    alice, bob = await make_user(), await make_user()
    provider = ScriptedProvider(_echo, _echo, delay=0.3)
    chain = ProviderChain(None, provider)
    await asyncio.gather(_post(alice, "alice", chain), _post(bob, "bob", chain))
    starts = [i for i, (event, _) in enumerate(provider.events) if event == "start"]
    assert starts == [0, 1]  # both started before either finished


async def test_on_one_writer_databases_concurrent_turns_of_two_users_both_succeed(make_user, lock_mode):
    alice, bob = await make_user(), await make_user()
    provider = ScriptedProvider(_echo, _echo, delay=0.3)
    chain = ProviderChain(None, provider)
    a, b = await asyncio.gather(_post(alice, "alice", chain), _post(bob, "bob", chain))
    assert (a.outbound.body, b.outbound.body) == ("got: alice (history 0)", "got: bob (history 0)")


async def test_the_lock_is_released_when_a_turn_fails(make_user, lock_mode):
    user = await make_user()
    with pytest.raises(RuntimeError):
        async with user_turn_lock(user.id):
            raise RuntimeError("boom")
    async with asyncio.timeout(2):
        async with user_turn_lock(user.id):
            pass


async def _sms_job_style(user_ctx, text: str, hold_seconds: float, started: asyncio.Event | None = None):
    """Like the SMS job: the turn inside a savepoint, then more work before the outer commit."""
    from personal_assistant.agent.service import handle_inbound

    async with session_scope() as s:
        user = await load_user(s, user_ctx)
        if started is not None:
            started.set()
        async with s.begin_nested():
            reply = await handle_inbound(s, user, text, channel="sms")
        await asyncio.sleep(hold_seconds)  # e.g. sending the reply through Twilio
    return reply


async def test_inside_a_savepoint_the_lock_is_held_until_the_callers_commit(make_user, lock_mode):
    from personal_assistant.db.models import Reminder

    user = await make_user(timezone="America/New_York")
    started = asyncio.Event()
    first = asyncio.create_task(_sms_job_style(user, "remind me to call mom", 0.4, started))
    await started.wait()
    await asyncio.sleep(0.05)
    second = asyncio.create_task(_sms_job_style(user, "7pm", 0.0))
    question, done = await asyncio.gather(first, second)

    # The second turn waited for the first one's commit, so it saw the open question and completed it.
    assert "?" in question.text
    async with session_scope() as s:
        reminders = (await s.execute(select(Reminder.text).where(Reminder.user_id == user.id))).scalars().all()
    assert len(reminders) == 1 and "call mom" in reminders[0], done.text
