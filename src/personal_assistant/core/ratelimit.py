"""Rate limits, shared by every domain (login, magic links, phone codes, SMS per number, ...).

    from personal_assistant.core.ratelimit import get_rate_limiter
    await get_rate_limiter().hit("5/hour", "magic_link", "ip", ip)   # raises RateLimited(retry_after)

A moving window over `limits`' async storage: in-memory in the embedded mode (per process), Redis
when REDIS_URL is set (shared by every API and worker process). Rate strings are `limits` syntax:
"10/minute", "5 per hour", "100/day". Keys are any strings; callers namespace them
("login", "ip", ip) so one limit never counts another's hits.

If Redis is unreachable the limiter lets the request through and logs a warning: Redis holds no
user data, and an outage must not lock every user out of their account.
"""

from __future__ import annotations

import math
import time

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from personal_assistant.config import get_settings
from personal_assistant.core.errors import RateLimited
from personal_assistant.core.http import rate_headers
from personal_assistant.observability.metrics import RATE_LIMITED

log = structlog.get_logger("ratelimit")

MEMORY_URI = "async+memory://"
REDIS_TIMEOUT_SECONDS = 2.0


class RateLimiter:
    """One moving-window limiter over one storage (memory or Redis)."""

    def __init__(self, redis_url: str | None = None) -> None:
        self.backend = "redis" if redis_url else "memory"
        if redis_url:
            storage = storage_from_string(
                "async+" + redis_url,
                implementation="redispy",  # coredis conflicts with celery 5.7 (LIBRARY_NOTES §0)
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        else:
            storage = storage_from_string(MEMORY_URI)
        assert isinstance(storage, Storage)
        self.storage = storage
        self._strategy = MovingWindowRateLimiter(storage)

    async def hit(self, rate: str | RateLimitItem, *keys: str) -> None:
        """Count one hit against `rate` for `keys`; raise RateLimited(retry_after) when over it."""
        item = parse(rate) if isinstance(rate, str) else rate
        parts = [str(k) for k in keys]
        try:
            allowed = await self._strategy.hit(item, *parts)
            stats = await self._strategy.get_window_stats(item, *parts)
        except Exception as exc:  # the storage is down: fail open (see module docstring)
            log.warning("ratelimit.storage_error", backend=self.backend, error_type=type(exc).__name__)
            return
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        _report(item.amount, stats.remaining, retry_after)
        if allowed:
            return
        scope = parts[0] if parts else ""
        RATE_LIMITED.labels(scope).inc()
        log.info("ratelimit.exceeded", scope=scope, rate=str(item))
        raise RateLimited(retry_after)

    async def remaining(self, rate: str | RateLimitItem, *keys: str) -> int:
        """Hits left in the current window (for display; does not count a hit)."""
        item = parse(rate) if isinstance(rate, str) else rate
        stats = await self._strategy.get_window_stats(item, *[str(k) for k in keys])
        return stats.remaining

    async def clear(self, rate: str | RateLimitItem, *keys: str) -> None:
        """Forget the hits of one key (e.g. after a successful login if a caller wants that)."""
        item = parse(rate) if isinstance(rate, str) else rate
        await self._strategy.clear(item, *[str(k) for k in keys])

    async def reset_all(self) -> None:
        """Forget every counter of this storage (tests; an operator after an incident)."""
        await self.storage.reset()


def _report(limit: int, remaining: int, reset: int) -> None:
    """The RateLimit-* headers of this request (core/http.py sends them): the tightest limit."""
    headers = rate_headers.get()
    if headers is not None and ("remaining" not in headers or remaining < headers["remaining"]):
        headers.update(limit=limit, remaining=max(0, remaining), reset=reset)


_limiters: dict[str, RateLimiter] = {}


def get_rate_limiter() -> RateLimiter:
    """The process-wide limiter for the configured storage (REDIS_URL or memory)."""
    redis_url = get_settings().redis_url
    key = redis_url or MEMORY_URI
    limiter = _limiters.get(key)
    if limiter is None:
        limiter = _limiters[key] = RateLimiter(redis_url)
    return limiter


async def reset_rate_limits() -> None:
    """Clear every limiter of this process (tests call it between cases)."""
    for limiter in list(_limiters.values()):
        try:
            await limiter.reset_all()
        except Exception as exc:  # an unreachable Redis has nothing to clear
            log.warning("ratelimit.reset_failed", backend=limiter.backend, error_type=type(exc).__name__)
