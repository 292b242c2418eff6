"""One resilience layer for every external provider (Gemini, Twilio, Google, Microsoft, Notion,
YouTube, web search): a failing provider degrades one feature, never the reply.

    from personal_assistant.core import resilience
    client = resilience.http_client("notion", base_url=settings.notion_base_url)
    page = await resilience.guarded("notion", lambda: client.get("/v1/pages/x"), user_id=user.id)
    hits = await resilience.guarded_sync("web", lambda: DDGS(timeout=5).text(q), user_id=user.id)

A guarded call goes, in order, through
1. the per-user rate limit of that provider (PROVIDER_USER_RATE_LIMIT, `limits` on core/ratelimit.py's
   storage: memory in the embedded mode, Redis when REDIS_URL is set), only when `user_id` is given;
2. tenacity: retries with jittered exponential backoff, on transient errors only (is_transient:
   timeouts, connection failures, 408/429/5xx), within one overall deadline (PROVIDER_DEADLINE_SECONDS);
3. a purgatory circuit breaker per provider (PROVIDER_BREAKER_THRESHOLD failures open it for
   PROVIDER_BREAKER_TTL_SECONDS; then one call is let through). Its state lives in Redis when
   REDIS_URL is set, so every API and worker process sees the same open breaker; in memory otherwise.
   Only failures that say something about the provider's health count (by default: the transient
   ones); our own bad requests (400, 401, invalid_grant) do not.

Outcomes: the call's value; ProviderUnavailable(provider, reason) when the breaker is open, the
user is over the limit, retries are exhausted or the deadline passed; any non-transient error
unchanged (the caller knows what a 401 means for it).

Blocking client libraries (twilio, googleapiclient, msal, ddgs, youtube-transcript-api) go through
guarded_sync: the function runs in a small thread pool of its own provider, so a hanging provider
can fill only its own pool, never the event loop's default executor that others use. A thread
cannot be cancelled: when the deadline passes the caller gets its answer at once, and the thread
ends when the library's own timeout fires; always give the library a timeout too.

If Redis (breaker state) is unreachable, calls go through without a breaker and a warning is logged:
the breaker protects the provider and us, it must not become a single point of failure itself.
"""

from __future__ import annotations

import asyncio
import contextvars
import uuid
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import requests
import structlog
from purgatory import AsyncCircuitBreakerFactory, AsyncRedisUnitOfWork
from purgatory.domain.model import OpenedState
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, stop_before_delay, wait_exponential_jitter

from personal_assistant.config import Settings, get_settings
from personal_assistant.core.errors import RateLimited
from personal_assistant.core.ratelimit import get_rate_limiter
from personal_assistant.observability.metrics import PROVIDER_CALLS, PROVIDER_CIRCUIT_OPEN

log = structlog.get_logger("resilience")

T = TypeVar("T")

# Redis holds only breaker state: answer quickly or be skipped (see the module docstring).
REDIS_TIMEOUT_SECONDS = 2.0
# Threads per provider for blocking clients: a hung provider ties up at most this many.
THREADS_PER_PROVIDER = 8

REASONS = ("circuit_open", "timeout", "error", "rate_limited")


class ProviderUnavailable(Exception):
    """The provider cannot answer now; the feature that needs it degrades (the reply still goes).

    reason: "circuit_open" | "timeout" | "error" | "rate_limited". The last underlying error, if
    any, is `__cause__`. `retry_after` (seconds) is set for "rate_limited" and "circuit_open".
    """

    def __init__(self, provider: str, reason: str = "error", message: str | None = None, *,
                 retry_after: float | None = None) -> None:
        super().__init__(message or f"{provider} unavailable: {reason}")
        self.provider = provider
        self.reason = reason
        self.retry_after = retry_after


# --- what counts as transient ------------------------------------------------------------------
def _status(exc: BaseException) -> int | None:
    """The HTTP status an error carries, for the client libraries we use (imported by name only:
    the plain install has no googleapiclient or notion_client)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return exc.response.status_code
    module = type(exc).__module__
    if module.startswith("googleapiclient"):  # HttpError.resp.status
        status = getattr(getattr(exc, "resp", None), "status", None)
    elif module.startswith("google.genai"):  # errors.APIError.code (ClientError 4xx, ServerError 5xx)
        status = getattr(exc, "code", None)
    elif module.startswith(("notion_client", "twilio")):  # APIResponseError.status, TwilioRestException.status
        status = getattr(exc, "status", None)
    else:
        return None
    try:
        return int(status) if status is not None else None
    except (TypeError, ValueError):
        return None


def is_transient(exc: BaseException) -> bool:
    """Worth trying again: timeouts, connections that failed, HTTP 408/429/5xx."""
    status = _status(exc)
    if status is not None:
        return status in (408, 429) or status >= 500
    if isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError):
        return True
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return True
    if isinstance(exc, TimeoutError | ConnectionError):
        return True
    # google-genai speaks httpx2 (or aiohttp): their transport errors carry no status.
    if type(exc).__module__.split(".")[0] in ("httpx2", "aiohttp"):
        return True
    # ddgs TimeoutException, notion_client RequestTimeoutError, googleapiclient's socket timeouts...
    return "Timeout" in type(exc).__name__


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | httpx.TimeoutException | requests.Timeout) or "Timeout" in type(exc).__name__:
        return "timeout"
    return "error"


# --- the shared HTTP clients -------------------------------------------------------------------
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str | None, float], httpx.AsyncClient]]
_clients = weakref.WeakKeyDictionary()


def http_client(provider: str, *, base_url: str | None = None, timeout: float | None = None) -> httpx.AsyncClient:
    """The shared httpx client of `provider` (per base URL and event loop): connections are reused,
    every request has PROVIDER_TIMEOUT_SECONDS (or `timeout`), traces come from the process-wide
    httpx instrumentation. Callers never close it (aclose_clients does, at shutdown)."""
    seconds = timeout if timeout is not None else get_settings().provider_timeout_seconds
    loop = asyncio.get_running_loop()
    per_loop = _clients.setdefault(loop, {})
    key = (provider, base_url, seconds)
    client = per_loop.get(key)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(
            base_url=base_url or "",
            timeout=httpx.Timeout(seconds),
            headers={"User-Agent": f"personal-assistant ({provider})"},
            follow_redirects=False,
        )
        per_loop[key] = client
    return client


async def aclose_clients() -> None:
    """Close this event loop's shared clients (lifespan shutdown, tests)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    for client in list(_clients.pop(loop, {}).values()):
        await client.aclose()


# --- the guard ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Policy:
    """How a Guard treats its providers (defaults from settings, see Guard.from_settings)."""

    threshold: int = 5  # failures in a row that open a provider's breaker
    ttl_seconds: float = 30.0  # how long it stays open before one call is let through
    deadline_seconds: float = 20.0  # the whole guarded call: every attempt and the waits between
    backoff_initial: float = 0.25  # first wait between attempts (doubles, jittered)
    backoff_max: float = 2.0
    user_rate: str | None = "60/minute"  # per user and provider; None: no limit


def _redis_url_with_timeouts(url: str) -> str:
    # purgatory builds its client with redis.asyncio.from_url(url) and no timeouts of its own.
    parts = urlsplit(url)
    extra = f"socket_timeout={REDIS_TIMEOUT_SECONDS}&socket_connect_timeout={REDIS_TIMEOUT_SECONDS}"
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class Guard:
    """Breakers (one per provider name) plus retry, deadline and rate-limit policy.

    The module-level guarded()/guarded_sync() use the process's default guard (settings). A
    component that needs its own thresholds builds its own Guard (GeminiProvider does); two guards
    on the same Redis share the breaker state of a provider, like two processes do."""

    def __init__(self, *, redis_url: str | None = None, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.redis_url = redis_url
        uow = AsyncRedisUnitOfWork(_redis_url_with_timeouts(redis_url)) if redis_url else None
        self._breakers = AsyncCircuitBreakerFactory(
            default_threshold=self.policy.threshold, default_ttl=self.policy.ttl_seconds, uow=uow  # type: ignore[arg-type]
        )

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Guard:
        settings = settings or get_settings()
        return cls(redis_url=settings.redis_url, policy=policy_from_settings(settings))

    async def state(self, provider: str) -> str:
        """"closed" | "opened" | "half-opened" (what the breaker of `provider` would do now)."""
        async with self._breakers.uow as uow:
            context = await uow.contexts.get(provider)
        return "closed" if context is None else context.state

    async def call(
        self,
        provider: str,
        fn: Callable[[], Awaitable[T]],
        *,
        user_id: uuid.UUID | None = None,
        attempts: int = 3,
        transient: Callable[[BaseException], bool] = is_transient,
        failure: Callable[[BaseException], bool] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the deadline also decides whether to retry
    ) -> T:
        """See guarded()."""
        if user_id is not None and self.policy.user_rate:
            try:
                await get_rate_limiter().hit(self.policy.user_rate, "provider", provider, "user", str(user_id))
            except RateLimited as exc:
                PROVIDER_CALLS.labels(provider, "rate_limited").inc()
                raise ProviderUnavailable(provider, "rate_limited", retry_after=exc.retry_after) from exc
        deadline = self.policy.deadline_seconds if timeout is None else timeout
        counts = failure or transient
        loop = asyncio.get_running_loop()
        ends = loop.time() + deadline

        async def attempt() -> T:
            remaining = ends - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{provider}: deadline of {deadline}s passed")
            return await self._through_breaker(provider, lambda: asyncio.wait_for(fn(), remaining), counts)

        try:
            async for retry in AsyncRetrying(
                stop=stop_after_attempt(max(1, attempts)) | stop_before_delay(deadline),
                wait=wait_exponential_jitter(initial=self.policy.backoff_initial, max=self.policy.backoff_max),
                retry=retry_if_exception(lambda exc: not isinstance(exc, OpenedState) and transient(exc)),
                reraise=True,
            ):
                with retry:
                    value = await attempt()
                    PROVIDER_CALLS.labels(provider, "ok").inc()
                    return value
        except OpenedState as exc:
            PROVIDER_CIRCUIT_OPEN.labels(provider).set(1)
            PROVIDER_CALLS.labels(provider, "circuit_open").inc()
            log.info("resilience.circuit_open", provider=provider)
            raise ProviderUnavailable(provider, "circuit_open", retry_after=self.policy.ttl_seconds) from exc
        except Exception as exc:
            if not transient(exc):
                PROVIDER_CALLS.labels(provider, "refused").inc()
                raise
            reason = _reason(exc)
            PROVIDER_CALLS.labels(provider, reason).inc()
            log.warning("resilience.unavailable", provider=provider, reason=reason, error_type=type(exc).__name__)
            raise ProviderUnavailable(provider, reason) from exc
        raise ProviderUnavailable(provider, "error")  # pragma: no cover (tenacity always attempts once)

    async def call_sync(self, provider: str, fn: Callable[[], T], **options: Any) -> T:
        """See guarded_sync()."""
        executor = _executor(provider)

        def in_thread() -> Awaitable[T]:
            context = contextvars.copy_context()  # traces and log context follow the call
            return asyncio.get_running_loop().run_in_executor(executor, context.run, fn)

        return await self.call(provider, in_thread, **options)

    async def _through_breaker(
        self, provider: str, fn: Callable[[], Awaitable[T]], counts: Callable[[BaseException], bool]
    ) -> T:
        from redis.exceptions import RedisError

        try:
            breaker = await self._breakers.get_breaker(
                provider,
                exclude=[(BaseException, lambda exc: not counts(exc))],  # True: not a failure of the provider
            )
        except RedisError as exc:
            log.warning("resilience.breaker_unavailable", provider=provider, error_type=type(exc).__name__)
            return await fn()
        outcome: list[T] = []
        call_error: BaseException | None = None
        try:
            async with breaker:
                try:
                    outcome.append(await fn())
                except BaseException as exc:
                    call_error = exc
                    raise
        except RedisError as exc:
            if call_error is not None and call_error is not exc:
                raise call_error from None  # the call's own error, not the bookkeeping's
            if not outcome:
                raise
            log.warning("resilience.breaker_unavailable", provider=provider, error_type=type(exc).__name__)
        PROVIDER_CIRCUIT_OPEN.labels(provider).set(0)
        return outcome[0]


def policy_from_settings(settings: Settings) -> Policy:
    return Policy(
        threshold=settings.provider_breaker_threshold,
        ttl_seconds=settings.provider_breaker_ttl_seconds,
        deadline_seconds=settings.provider_deadline_seconds,
        backoff_initial=settings.provider_backoff_seconds,
        backoff_max=settings.provider_backoff_max_seconds,
        user_rate=settings.provider_user_rate_limit or None,
    )


_executors: dict[str, ThreadPoolExecutor] = {}


def _executor(provider: str) -> ThreadPoolExecutor:
    executor = _executors.get(provider)
    if executor is None:
        executor = _executors.setdefault(
            provider, ThreadPoolExecutor(max_workers=THREADS_PER_PROVIDER, thread_name_prefix=f"provider-{provider}")
        )
    return executor


# One default guard per configuration; with Redis, per event loop too (redis.asyncio connections
# belong to the loop that opened them; Celery tasks each run their own loop).
_guards: dict[tuple[Any, ...], Guard] = {}
_loop_guards: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], Guard]]
_loop_guards = weakref.WeakKeyDictionary()


def default_guard() -> Guard:
    settings = get_settings()
    policy = policy_from_settings(settings)
    key = (settings.redis_url, policy)
    guards = _loop_guards.setdefault(asyncio.get_running_loop(), {}) if settings.redis_url else _guards
    guard = guards.get(key)
    if guard is None:
        guard = guards[key] = Guard(redis_url=settings.redis_url, policy=policy)
    return guard


def reset() -> None:
    """Forget every in-process breaker and default guard (tests; Redis state is the Redis's)."""
    _guards.clear()
    _loop_guards.clear()


async def guarded(
    provider: str,
    fn: Callable[[], Awaitable[T]],
    *,
    user_id: uuid.UUID | None = None,
    attempts: int = 3,
    transient: Callable[[BaseException], bool] = is_transient,
    failure: Callable[[BaseException], bool] | None = None,
    timeout: float | None = None,  # noqa: ASYNC109 - the deadline also decides whether to retry
    guard: Guard | None = None,
) -> T:
    """Call `fn()` (a fresh awaitable each attempt) for `provider`, through: the user's rate limit
    (when `user_id` is given), retries on `transient` errors with jittered backoff, the provider's
    circuit breaker, and one overall deadline (`timeout`, default PROVIDER_DEADLINE_SECONDS).

    Raises ProviderUnavailable (reason circuit_open | timeout | error | rate_limited) or, unchanged,
    any error `transient` says is not worth retrying. `failure` decides what counts against the
    breaker (default: `transient`)."""
    return await (guard or default_guard()).call(
        provider, fn, user_id=user_id, attempts=attempts, transient=transient, failure=failure, timeout=timeout
    )


async def guarded_sync(
    provider: str,
    fn: Callable[[], T],
    *,
    user_id: uuid.UUID | None = None,
    attempts: int = 3,
    transient: Callable[[BaseException], bool] = is_transient,
    failure: Callable[[BaseException], bool] | None = None,
    timeout: float | None = None,  # noqa: ASYNC109 - the deadline also decides whether to retry
    guard: Guard | None = None,
) -> T:
    """guarded() for blocking client libraries: each attempt runs `fn()` in the provider's own
    worker threads (see the module docstring about deadlines and threads)."""
    return await (guard or default_guard()).call_sync(
        provider, fn, user_id=user_id, attempts=attempts, transient=transient, failure=failure, timeout=timeout
    )

