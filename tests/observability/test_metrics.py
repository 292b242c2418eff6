"""The gauges the alert rules read: refreshed from the database at every scrape, and the Gemini
circuit as the provider sees it."""

from __future__ import annotations

import asyncio
import contextlib

from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.db.models import Connector
from personal_assistant.db.session import session_scope
from personal_assistant.workers.dead_letters import record_failed_job, retry_failed_job
from tests.agent.scripted import ScriptedProvider, answer
from tests.agent.test_gemini import _provider
from tests.fixtures import fake_gemini as fg
from tests.fixtures.turns import text_assistant


def _scraped(text: str, name: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                return sample.value
    raise AssertionError(f"{name} not in the scrape")


async def test_dead_letters_and_connectors_needing_reconnect_are_counted_at_each_scrape(client, make_user):
    user = await make_user()
    assert _scraped((await client.get("/metrics")).text, "dead_letters_open") == 0

    failed = await record_failed_job("sms.process_inbound", {"message_id": "x"}, RuntimeError("boom"), 3)
    await record_failed_job("planning.checkins_tick", {}, RuntimeError("boom"), 1)
    async with session_scope() as s:
        s.add(Connector(user_id=user.id, provider="google", status="error", scopes=[]))
        s.add(Connector(user_id=user.id, provider="notion", status="connected", scopes=[]))
    text = (await client.get("/metrics")).text
    assert _scraped(text, "dead_letters_open") == 2
    assert _scraped(text, "connectors_needing_reconnect") == 1

    with contextlib.suppress(Exception):  # the job still fails (no such message): still open
        await retry_failed_job(str(failed))
    assert _scraped((await client.get("/metrics")).text, "dead_letters_open") == 2


async def _turn(user_ctx, chain: ProviderChain):
    return await text_assistant(user_ctx, "hello", chain=chain)


async def test_gemini_circuit_open_follows_the_breaker(make_user):
    fake = fg.FakeGemini.start()
    try:
        fake.default = fg.error(500)
        user = await make_user()
        fallback = ScriptedProvider(*[answer("offline") for _ in range(4)], name="offline")
        chain = ProviderChain(_provider(fake, breaker_threshold=2, breaker_ttl=0.5, attempts=1), fallback)
        for _ in range(3):
            await _turn(user, chain)
        assert REGISTRY.get_sample_value("gemini_circuit_open") == 1

        fake.default = fg.text("Back online.")
        await asyncio.sleep(0.7)  # past the breaker's ttl: the next call is let through
        reply = await _turn(user, chain)
        assert reply.provider == "gemini"
        assert REGISTRY.get_sample_value("gemini_circuit_open") == 0
    finally:
        fake.stop()
