"""core/resilience.py against a real local HTTP server: real httpx and requests clients, real
purgatory breakers (in memory and in Redis), real `limits` windows."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest
import requests

from personal_assistant.core import resilience
from personal_assistant.core.resilience import Guard, Policy, ProviderUnavailable, guarded, guarded_sync
from tests.fixtures.fake_http import FakeHTTP, hang, respond

FAST = Policy(threshold=3, ttl_seconds=60, deadline_seconds=5, backoff_initial=0.01, backoff_max=0.02, user_rate=None)


def _get(client: httpx.AsyncClient, path: str = "/thing"):
    async def call() -> dict:
        response = await client.get(path)
        response.raise_for_status()
        return response.json()

    return call


@pytest.fixture
def server():
    fake = FakeHTTP.start()
    yield fake
    fake.stop()


async def test_transient_errors_are_retried_until_success(server):
    server.script(respond(503), respond(429), respond(200, {"n": 1}))
    client = resilience.http_client("notion", base_url=server.url)
    assert await guarded("notion", _get(client), guard=Guard(policy=FAST)) == {"n": 1}
    assert len(server.requests) == 3


async def test_permanent_errors_are_raised_unchanged_once_and_do_not_open_the_breaker(server):
    server.default = respond(401, {"error": "invalid_grant"})
    guard = Guard(policy=FAST)
    client = resilience.http_client("google", base_url=server.url)
    for _ in range(5):
        with pytest.raises(httpx.HTTPStatusError) as caught:
            await guarded("google", _get(client), guard=guard)
        assert caught.value.response.status_code == 401
    assert len(server.requests) == 5  # one request per call: no retry of a 401
    assert await guard.state("google") == "closed"


async def test_retries_exhausted_become_provider_unavailable(server):
    server.default = respond(500)
    client = resilience.http_client("notion", base_url=server.url)
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded("notion", _get(client), guard=Guard(policy=FAST), attempts=2)
    assert (caught.value.provider, caught.value.reason) == ("notion", "error")
    assert isinstance(caught.value.__cause__, httpx.HTTPStatusError)
    assert len(server.requests) == 2


async def test_the_breaker_opens_short_circuits_and_recovers_after_its_ttl(server):
    server.default = respond(502)
    guard = Guard(policy=Policy(threshold=3, ttl_seconds=0.3, deadline_seconds=5, backoff_initial=0.01,
                                backoff_max=0.02, user_rate=None))
    client = resilience.http_client("microsoft", base_url=server.url)
    for _ in range(3):
        with pytest.raises(ProviderUnavailable) as caught:
            await guarded("microsoft", _get(client), guard=guard, attempts=1)
        assert caught.value.reason == "error"
    assert await guard.state("microsoft") == "opened"

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded("microsoft", _get(client), guard=guard)
    assert caught.value.reason == "circuit_open"
    assert time.monotonic() - started < 0.2
    assert len(server.requests) == 3  # open: the provider was not called at all

    # Another provider is not affected by this one's breaker.
    other = resilience.http_client("notion", base_url=server.url)
    server.script(respond(200, {"fine": True}))
    assert await guarded("notion", _get(other), guard=guard) == {"fine": True}

    await asyncio.sleep(0.35)  # the ttl passed: one call goes through, and success closes it
    server.script(respond(200, {"back": True}))
    assert await guarded("microsoft", _get(client), guard=guard) == {"back": True}
    assert await guard.state("microsoft") == "closed"


async def test_a_hanging_server_times_out_within_the_deadline_and_counts_against_the_breaker(server):
    server.default = hang()
    guard = Guard(policy=Policy(threshold=2, ttl_seconds=60, deadline_seconds=0.5, backoff_initial=0.01,
                                backoff_max=0.02, user_rate=None))
    client = resilience.http_client("youtube", base_url=server.url, timeout=30)  # only the deadline bounds it
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded("youtube", _get(client), guard=guard)
    elapsed = time.monotonic() - started
    assert caught.value.reason == "timeout"
    assert 0.45 < elapsed < 1.5
    with pytest.raises(ProviderUnavailable):
        await guarded("youtube", _get(client), guard=guard)
    assert await guard.state("youtube") == "opened"


async def test_the_client_timeout_applies_to_each_request(server):
    server.default = hang()
    client = resilience.http_client("web", base_url=server.url, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded("web", _get(client), guard=Guard(policy=FAST), attempts=2)
    assert caught.value.reason == "timeout"
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert len(server.requests) == 2 and time.monotonic() - started < 2


async def test_per_user_rate_limit(server, settings_env):
    settings_env(PROVIDER_USER_RATE_LIMIT="2/minute")
    client = resilience.http_client("google", base_url=server.url)
    alice, bob = uuid.uuid4(), uuid.uuid4()
    assert await guarded("google", _get(client), user_id=alice)
    assert await guarded("google", _get(client), user_id=alice)
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded("google", _get(client), user_id=alice)
    assert caught.value.reason == "rate_limited" and caught.value.retry_after
    assert len(server.requests) == 2
    assert await guarded("google", _get(client), user_id=bob)  # per user
    assert await guarded("notion", _get(client), user_id=alice)  # and per provider
    assert await guarded("google", _get(client))  # no user: no per-user limit


async def test_sync_variant_runs_blocking_clients_in_threads_with_the_same_rules(server):
    session = requests.Session()

    def fetch() -> int:
        response = session.get(server.url + "/sync", timeout=5)
        response.raise_for_status()
        return response.status_code

    server.script(respond(500), respond(200))
    assert await guarded_sync("twilio", fetch, guard=Guard(policy=FAST)) == 200
    assert len(server.requests) == 2

    server.script(respond(404))
    with pytest.raises(requests.HTTPError):
        await guarded_sync("twilio", fetch, guard=Guard(policy=FAST))


async def test_sync_variant_returns_at_the_deadline_while_the_thread_hangs(server):
    server.default = hang()
    session = requests.Session()
    guard = Guard(policy=Policy(deadline_seconds=0.4, backoff_initial=0.01, backoff_max=0.02, user_rate=None))
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded_sync("web", lambda: session.get(server.url + "/slow", timeout=3), guard=guard)
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 1.0
    # The event loop was never blocked: other work ran meanwhile (this test is still responsive).
    await asyncio.sleep(0)


async def test_the_default_guard_follows_settings(server, settings_env):
    settings_env(PROVIDER_BREAKER_THRESHOLD="2", PROVIDER_BACKOFF_SECONDS="0.01", PROVIDER_BACKOFF_MAX_SECONDS="0.01")
    server.default = respond(503)
    client = resilience.http_client("notion", base_url=server.url)
    with pytest.raises(ProviderUnavailable):
        await guarded("notion", _get(client), attempts=2)
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded("notion", _get(client))
    assert caught.value.reason == "circuit_open"
    assert len(server.requests) == 2


async def test_breaker_state_is_shared_through_redis(server, redis_url):
    server.default = respond(500)
    policy = Policy(threshold=2, ttl_seconds=60, deadline_seconds=5, backoff_initial=0.01, backoff_max=0.02,
                    user_rate=None)
    process_a, process_b = Guard(redis_url=redis_url, policy=policy), Guard(redis_url=redis_url, policy=policy)
    client = resilience.http_client("notion", base_url=server.url)
    with pytest.raises(ProviderUnavailable):
        await guarded("notion", _get(client), guard=process_a, attempts=2)
    assert await process_b.state("notion") == "opened"
    with pytest.raises(ProviderUnavailable) as caught:
        await guarded("notion", _get(client), guard=process_b)
    assert caught.value.reason == "circuit_open"
    assert len(server.requests) == 2


async def test_an_unreachable_redis_does_not_stop_calls(server):
    guard = Guard(redis_url="redis://127.0.0.1:1/0", policy=FAST)
    client = resilience.http_client("notion", base_url=server.url)
    assert await guarded("notion", _get(client), guard=guard) == {"ok": True}


async def test_http_client_is_shared_per_provider_and_base_url(server):
    a = resilience.http_client("notion", base_url=server.url)
    assert resilience.http_client("notion", base_url=server.url) is a
    assert resilience.http_client("google", base_url=server.url) is not a
    assert a.timeout.read == 10.0  # PROVIDER_TIMEOUT_SECONDS


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (httpx.ReadTimeout("slow"), True),
        (httpx.ConnectError("refused"), True),
        (requests.exceptions.ConnectionError("refused"), True),
        (requests.exceptions.ReadTimeout("slow"), True),
        (TimeoutError(), True),
        (ValueError("bug"), False),
    ],
)
def test_is_transient_for_network_errors(error, transient):
    assert resilience.is_transient(error) is transient


@pytest.mark.parametrize(("status", "transient"), [(400, False), (401, False), (404, False), (408, True),
                                                    (429, True), (500, True), (503, True)])
def test_is_transient_for_statuses(status, transient):
    request = httpx.Request("GET", "https://provider.test/")
    error = httpx.HTTPStatusError("x", request=request, response=httpx.Response(status, request=request))
    assert resilience.is_transient(error) is transient
    from google.genai import errors

    assert resilience.is_transient(errors.APIError(status, {"error": {"code": status, "message": "x"}})) is transient
    from twilio.base.exceptions import TwilioRestException

    assert resilience.is_transient(TwilioRestException(status, "https://api.twilio.com/x")) is transient
