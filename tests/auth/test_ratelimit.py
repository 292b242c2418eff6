"""The shared rate limiter (memory and real Redis) and the login limits over HTTP."""

from __future__ import annotations

import uuid

import pytest

from personal_assistant.core.errors import RateLimited
from personal_assistant.core.ratelimit import RateLimiter, get_rate_limiter
from tests.auth.helpers import login, new_email, signup


async def _exercise(limiter: RateLimiter) -> None:
    key = uuid.uuid4().hex
    for _ in range(3):
        await limiter.hit("3/minute", "test", key)
    with pytest.raises(RateLimited) as caught:
        await limiter.hit("3/minute", "test", key)
    assert 1 <= caught.value.retry_after <= 60
    assert caught.value.headers == {"Retry-After": str(caught.value.retry_after)}
    # another key has its own window
    await limiter.hit("3/minute", "test", key + "-other")
    assert await limiter.remaining("3/minute", "test", key + "-other") == 2
    await limiter.clear("3/minute", "test", key)
    await limiter.hit("3/minute", "test", key)


async def test_memory_limiter():
    limiter = RateLimiter(None)
    assert limiter.backend == "memory"
    await _exercise(limiter)


async def test_redis_limiter(redis_url):
    limiter = RateLimiter(redis_url)
    assert limiter.backend == "redis"
    await _exercise(limiter)
    # a second limiter (another process) on the same Redis shares the counts
    key = uuid.uuid4().hex
    await limiter.hit("1/minute", "shared", key)
    with pytest.raises(RateLimited):
        await RateLimiter(redis_url).hit("1/minute", "shared", key)


async def test_unreachable_redis_fails_open():
    limiter = RateLimiter("redis://127.0.0.1:1/0")
    for _ in range(3):
        await limiter.hit("1/minute", "test", "k")  # no exception: an outage must not lock users out


async def test_configured_redis_is_used(settings_env, redis_url):
    settings_env(REDIS_URL=redis_url)
    assert get_rate_limiter().backend == "redis"
    settings_env(REDIS_URL=None)
    assert get_rate_limiter().backend == "memory"


async def test_login_is_limited_per_account(client, settings_env):
    settings_env(LOGIN_RATE_LIMIT="3/minute")
    account = await signup(client)
    for _ in range(3):
        assert (await login(client, account["email"], "wrong-password-1234")).status_code == 401
    limited = await login(client, account["email"])  # even the right password waits
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"


async def test_login_is_limited_per_ip(client, settings_env):
    settings_env(LOGIN_RATE_LIMIT="3/minute")
    for _ in range(3):
        assert (await login(client, new_email())).status_code == 401
    assert (await login(client, new_email())).status_code == 429  # a new account name does not help


async def test_login_limit_with_redis_storage(client, settings_env, redis_url):
    settings_env(LOGIN_RATE_LIMIT="2/minute", REDIS_URL=redis_url)
    email = new_email()
    assert (await login(client, email)).status_code == 401
    assert (await login(client, email)).status_code == 401
    assert (await login(client, email)).status_code == 429


async def test_signups_are_limited_per_ip(client, settings_env):
    settings_env(LOGIN_RATE_LIMIT="2/minute")
    await signup(client)
    await signup(client)
    third = await client.post(
        "/api/v1/auth/signup", json={"email": new_email(), "password": "violet-harbor-lantern-42"}
    )
    assert third.status_code == 429
