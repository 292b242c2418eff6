"""Per-number send pacing (a US long code sends about one message per second).

Each send reserves the next free slot of its from-number (reserve_slot) and sleeps until it. With REDIS_URL the
slots live in Redis, so every API and worker process shares them; in the embedded mode (one
process) they live in memory. If Redis is unreachable we fall back to the in-process slots rather
than not sending.
"""

from __future__ import annotations

import asyncio
import time

import structlog

from personal_assistant.config import get_settings

log = structlog.get_logger("sms.pacing")

_local_next_slot: dict[str, float] = {}

# KEYS[1] = pacing key, ARGV[1] = interval in ms. Uses the Redis clock, so processes on machines
# with skewed clocks still agree. Returns how many ms the caller must wait.
_RESERVE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nxt)
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', interval + 60000)
return slot - now
"""

_redis_clients: dict[str, object] = {}


def _local_wait(number: str, interval: float) -> float:
    # No await between read and write: atomic within the event loop.
    now = time.monotonic()
    slot = max(now, _local_next_slot.get(number, 0.0))
    _local_next_slot[number] = slot + interval
    return slot - now


async def _redis_wait(redis_url: str, number: str, interval: float) -> float:
    import redis.asyncio as aioredis

    loop_key = f"{redis_url}#{id(asyncio.get_running_loop())}"
    client = _redis_clients.get(loop_key)
    if client is None:
        client = aioredis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        _redis_clients[loop_key] = client
    wait_ms = await client.eval(_RESERVE_SLOT, 1, f"sms:pace:{number}", int(interval * 1000))  # type: ignore[attr-defined]
    return int(wait_ms) / 1000


async def reserve_slot(from_number: str | None) -> float:
    """Reserve `from_number`'s next send slot; the seconds until it (0: send now)."""
    settings = get_settings()
    interval = settings.sms_send_interval_seconds
    if interval <= 0 or not from_number:
        return 0.0
    wait = None
    if settings.redis_url:
        try:
            wait = await _redis_wait(settings.redis_url, from_number, interval)
        except Exception as exc:  # pacing must not stop sending
            log.warning("sms.pacing_redis_unavailable", error_type=type(exc).__name__)
    if wait is None:
        wait = _local_wait(from_number, interval)
    return max(0.0, wait)
