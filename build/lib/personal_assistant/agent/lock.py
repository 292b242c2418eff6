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


class HeldLock:
    """A turn lock this task holds. Release it once: `await release()`, or `release_soon()` from
    synchronous code (a SQLAlchemy transaction event)."""

    def __init__(self, user_id: uuid.UUID, local: asyncio.Lock | None = None, remote=None) -> None:
        self.user_id = user_id
        self._local = local
        self._remote = remote
        self._released = False

    async def release(self) -> None:
        if self._released:
            return
        self._released = True
        if self._local is not None:
            self._local.release()
        elif self._remote is not None:
            await _release_remote(self.user_id, self._remote)

    def release_soon(self) -> None:
        if self._released:
            return
        if self._local is not None:
            self._released = True
            self._local.release()
        elif self._remote is not None:
            self._released = True
            task = asyncio.get_running_loop().create_task(_release_remote(self.user_id, self._remote))
            _releasing.add(task)
            task.add_done_callback(_releasing.discard)
        else:
            self._released = True


_releasing: set[asyncio.Task] = set()


async def acquire_turn_lock(user_id: uuid.UUID) -> HeldLock:
    """Wait for the user's turn lock (Redis when configured, else in-process) and return it held."""
    settings = get_settings()
    if settings.redis_url:
        return HeldLock(user_id, remote=await _acquire_remote(settings, user_id))
    lock = _local_locks.get(user_id)
    if lock is None:
        lock = asyncio.Lock()
        _local_locks[user_id] = lock
    await lock.acquire()
    return HeldLock(user_id, local=lock)


@asynccontextmanager
async def user_turn_lock(user_id: uuid.UUID) -> AsyncIterator[None]:
    """Hold the user's turn lock for the duration of the block."""
    held = await acquire_turn_lock(user_id)
    try:
        yield
    finally:
        await held.release()


async def _acquire_remote(settings: Settings, user_id: uuid.UUID):
    """The acquired redis lock, or None when Redis cannot be used (the turn still runs)."""
    from redis.exceptions import RedisError

    ttl = lock_ttl_seconds(settings)
    client = _redis_client(settings.redis_url or "")
    lock = client.lock(f"agent:turn:{user_id}", timeout=ttl, sleep=0.05, blocking_timeout=ttl)  # type: ignore[attr-defined]
    try:
        if await lock.acquire():
            return lock
    except RedisError as exc:
        # Redis is a helper, not the truth: without it the user still gets an answer.
        log.warning("agent.lock_unavailable", user_id=str(user_id), error=type(exc).__name__)
        return None
    log.warning("agent.lock_not_acquired", user_id=str(user_id))
    return None


async def _release_remote(user_id: uuid.UUID, lock) -> None:
    from redis.exceptions import LockError, RedisError

    try:
        await lock.release()
    except (LockError, RedisError) as exc:  # expired under a very slow turn
        log.warning("agent.lock_release_failed", user_id=str(user_id), error=type(exc).__name__)
