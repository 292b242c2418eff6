"""Jobs about the worker fleet itself."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import cast

import redis.asyncio as aioredis

from personal_assistant.config import get_settings
from personal_assistant.observability.metrics import QUEUE_DEPTH
from personal_assistant.workers.jobs import job

DEFAULT_QUEUE = "celery"


async def queue_depth(queue: str = DEFAULT_QUEUE) -> int:
    """Messages waiting in the broker queue (0 in the embedded mode: there is no broker)."""
    url = get_settings().redis_url
    if not url:
        return 0
    client = aioredis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        return int(await cast(Awaitable[int], client.llen(queue)))  # redis-py types it sync-or-async
    finally:
        await client.aclose()


@job("workers.queue_depth")
async def record_queue_depth() -> int:
    depth = await queue_depth()
    QUEUE_DEPTH.set(depth)
    return depth
