"""One turn at a time per user, across processes.

With REDIS_URL set (API replicas plus Celery workers) the lock is a Redis lock with a timeout, so
a crashed holder frees it by itself. The embedded mode is one process: an asyncio.Lock per user.
Different users never wait for each other.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog

from personal_assistant.config import Settings, get_settings

log = structlog.get_logger("agent.lock")

_local_locks: weakref.WeakValueDictionary[uuid.UUID, asyncio.Lock] = weakref.WeakValueDictionary()
# redis.asyncio clients are bound to the event loop that created them.
_clients: dict[tuple[int, str], object] = {}


def lock_ttl_seconds(settings: Settings) -> float:
    """Long enough for the slowest possible turn: every step waits for the LLM and a tool."""
    return settings.agent_max_steps * (settings.gemini_timeout_seconds + settings.agent_tool_timeout_seconds) + 30


def _redis_client(url: str):
    import redis.asyncio as aioredis

    key = (id(asyncio.get_running_loop()), url)
    client = _clients.get(key)
    if client is None:
        client = aioredis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        _clients[key] = client
    return client


@asynccontextmanager
async def user_turn_lock(user_id: uuid.UUID) -> AsyncIterator[None]:
    """Hold the user's turn lock for the duration of the block."""
    settings = get_settings()
    if settings.redis_url:
        async with _redis_lock(settings, user_id):
            yield
        return
    lock = _local_locks.get(user_id)
    if lock is None:
        lock = asyncio.Lock()
        _local_locks[user_id] = lock
    async with lock:
        yield


@asynccontextmanager
async def _redis_lock(settings: Settings, user_id: uuid.UUID) -> AsyncIterator[None]:
    from redis.exceptions import LockError, RedisError

    ttl = lock_ttl_seconds(settings)
    client = _redis_client(settings.redis_url or "")
    lock = client.lock(f"agent:turn:{user_id}", timeout=ttl, sleep=0.05, blocking_timeout=ttl)  # type: ignore[attr-defined]
    acquired = False
    try:
        acquired = await lock.acquire()
    except RedisError as exc:
        # Redis is a helper, not the truth: without it the user still gets an answer.
        log.warning("agent.lock_unavailable", user_id=str(user_id), error=type(exc).__name__)
    if not acquired:
        log.warning("agent.lock_not_acquired", user_id=str(user_id))
    try:
        yield
    finally:
        if acquired:
            try:
                await lock.release()
            except (LockError, RedisError) as exc:  # expired under a very slow turn
                log.warning("agent.lock_release_failed", user_id=str(user_id), error=type(exc).__name__)
