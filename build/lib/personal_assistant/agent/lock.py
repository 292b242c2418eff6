"""One turn at a time per user, across processes: a short lease that a dead worker cannot hold.

    async with turn_lease(user_id) as lease:
        if lease is None:
            return  # someone else is answering this user; the sweep comes back if they die
        ...         # lease.lost turns True if the lease could not be renewed

With REDIS_URL set (API replicas plus Celery workers) the lease is a Redis lock that expires after
TURN_LEASE_SECONDS and is renewed every third of that while the turn runs, so a SIGKILLed holder
frees it within seconds. Waiting for it is bounded (TURN_LOCK_WAIT_SECONDS) and is never done
while holding a database transaction (callers take the lease before any session opens). If Redis
itself is down the turn runs without the lease: Redis is a helper, not the truth, and the user
still gets an answer. The embedded mode is one process: an asyncio.Lock per user, same bounds.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import structlog

from personal_assistant.config import get_settings

log = structlog.get_logger("agent.lock")

_local_locks: weakref.WeakValueDictionary[uuid.UUID, asyncio.Lock] = weakref.WeakValueDictionary()
# redis.asyncio clients are bound to the event loop that created them.
_clients: dict[tuple[int, str], object] = {}


@dataclass
class Lease:
    user_id: uuid.UUID
    lost: bool = False  # the lease expired under us (Redis unreachable for a whole lease)


def _redis_client(url: str):
    import redis.asyncio as aioredis

    key = (id(asyncio.get_running_loop()), url)
    client = _clients.get(key)
    if client is None:
        client = aioredis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        _clients[key] = client
    return client


@asynccontextmanager
async def turn_lease(user_id: uuid.UUID) -> AsyncIterator[Lease | None]:
    """Hold the user's turn lease for the block; None when it stayed taken for the whole wait."""
    settings = get_settings()
    if settings.redis_url:
        async with _remote_lease(settings.redis_url, user_id) as lease:
            yield lease
        return
    lock = _local_locks.get(user_id)
    if lock is None:
        lock = _local_locks[user_id] = asyncio.Lock()
    try:
        await asyncio.wait_for(lock.acquire(), timeout=settings.turn_lock_wait_seconds)
    except TimeoutError:
        log.info("agent.lease_busy", user_id=str(user_id))
        yield None
        return
    try:
        yield Lease(user_id)
    finally:
        lock.release()


@asynccontextmanager
async def _remote_lease(url: str, user_id: uuid.UUID) -> AsyncIterator[Lease | None]:
    from redis.exceptions import LockError, RedisError

    settings = get_settings()
    ttl = settings.turn_lease_seconds
    lock = _redis_client(url).lock(  # type: ignore[attr-defined]
        f"agent:turn:{user_id}", timeout=ttl, sleep=0.05, blocking_timeout=settings.turn_lock_wait_seconds
    )
    try:
        acquired = await lock.acquire()
    except RedisError as exc:
        log.warning("agent.lease_unavailable", user_id=str(user_id), error=type(exc).__name__)
        yield Lease(user_id)
        return
    if not acquired:
        log.info("agent.lease_busy", user_id=str(user_id))
        yield None
        return
    lease = Lease(user_id)

    async def renew() -> None:
        while True:
            await asyncio.sleep(ttl / 3)
            try:
                await lock.reacquire()
            except LockError:  # it expired and someone else may hold it now
                lease.lost = True
                log.warning("agent.lease_lost", user_id=str(user_id))
                return
            except RedisError as exc:  # keep trying; the lease may still be ours
                log.warning("agent.lease_renew_failed", user_id=str(user_id), error=type(exc).__name__)

    renewer = asyncio.get_running_loop().create_task(renew())
    try:
        yield lease
    finally:
        renewer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewer
        if not lease.lost:
            try:
                await lock.release()
            except (LockError, RedisError) as exc:
                log.warning("agent.lease_release_failed", user_id=str(user_id), error=type(exc).__name__)
