"""Placeholder of the resilience layer's contract (RESILIENCE_API.md), replaced by the
`resilience` branch at merge: explicit timeouts, no retries, no breaker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

T = TypeVar("T")
DEFAULT_TIMEOUT = 10.0


class ProviderUnavailable(Exception):
    def __init__(self, provider: str, reason: str) -> None:
        super().__init__(f"{provider} unavailable: {reason}")
        self.provider = provider
        self.reason = reason


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (httpx.TimeoutException, httpx.TransportError, TimeoutError)):
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code in (408, 429) or exc.response.status_code >= 500
    status = getattr(getattr(exc, "resp", None), "status", None) or getattr(exc, "status", None)
    return isinstance(status, int) and (status in (408, 429) or status >= 500)


def http_client(provider: str, *, base_url: str | None = None, timeout: float | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url or "", timeout=timeout or DEFAULT_TIMEOUT)


async def guarded(
    provider: str,
    fn: Callable[[], Awaitable[T]],
    *,
    user_id: uuid.UUID | None = None,
    attempts: int = 3,
    transient: Callable[[BaseException], bool] = is_transient,
) -> T:
    try:
        return await asyncio.wait_for(fn(), DEFAULT_TIMEOUT * 2)
    except TimeoutError as exc:
        raise ProviderUnavailable(provider, "timeout") from exc
    except Exception as exc:
        if transient(exc):
            raise ProviderUnavailable(provider, "error") from exc
        raise


async def guarded_sync(
    provider: str,
    fn: Callable[[], T],
    *,
    user_id: uuid.UUID | None = None,
    attempts: int = 3,
    transient: Callable[[BaseException], bool] = is_transient,
) -> T:
    async def run() -> T:
        return await asyncio.to_thread(fn)

    return await guarded(provider, run, user_id=user_id, attempts=attempts, transient=transient)
