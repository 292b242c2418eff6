"""One turn at a time per user (in-process lock, and the Redis lease shared by processes);
different users in parallel; a dead holder's lease expires; waiting is bounded."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.lock import turn_lease
from personal_assistant.agent.service import post_web_message
from personal_assistant.db.models import Message
from personal_assistant.db.session import session_scope
from tests.agent.scripted import ScriptedProvider, answer


async def _post(user_ctx, text: str, chain: ProviderChain, started: asyncio.Event | None = None):
    if started is not None:
        started.set()
    return await post_web_message(user_ctx.id, text, chain=chain)


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


async def test_the_lease_is_released_when_a_turn_fails(make_user, lock_mode):
    user = await make_user()
    with pytest.raises(RuntimeError):
        async with turn_lease(user.id):
            raise RuntimeError("boom")
    async with asyncio.timeout(2), turn_lease(user.id) as lease:
        assert lease is not None


async def test_waiting_for_a_busy_lease_is_bounded(make_user, lock_mode, settings_env):
    settings_env(TURN_LOCK_WAIT_SECONDS="0.3")  # (lock_mode set REDIS_URL already, for "redis")
    user = await make_user()
    async with turn_lease(user.id) as held:
        assert held is not None
        async with asyncio.timeout(3), turn_lease(user.id) as second:
            assert second is None  # given up after the wait, not after the holder's turn


async def test_a_lease_left_by_a_killed_worker_expires_within_the_lease(make_user, redis_url, settings_env):
    """A SIGKILLed holder renews nothing: its lease is free after TURN_LEASE_SECONDS, not minutes."""
    import redis as sync_redis

    settings_env(REDIS_URL=redis_url, TURN_LEASE_SECONDS="1", TURN_LOCK_WAIT_SECONDS="5")
    user = await make_user()
    # What a dead holder leaves behind: the key with its TTL, and nobody to renew it.
    sync_redis.Redis.from_url(redis_url).set(f"agent:turn:{user.id}", "dead-worker-token", px=1000)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with turn_lease(user.id) as lease:
        waited = loop.time() - started
    assert lease is not None and waited < 4


async def test_a_long_turn_keeps_its_lease_by_renewing_it(make_user, redis_url, settings_env):
    settings_env(REDIS_URL=redis_url, TURN_LEASE_SECONDS="0.6", TURN_LOCK_WAIT_SECONDS="0.2")
    user = await make_user()
    async with turn_lease(user.id) as lease:
        await asyncio.sleep(1.5)  # well past one lease
        async with turn_lease(user.id) as other:
            assert other is None
        assert lease is not None and not lease.lost
