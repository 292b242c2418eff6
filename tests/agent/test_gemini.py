"""The real google-genai client against the local fake Gemini server."""

from __future__ import annotations

import json

from prometheus_client import REGISTRY
from sqlalchemy import select

from personal_assistant.agent import conversation
from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.llm.gemini import GeminiProvider
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import AgentStep, Reminder, Task
from personal_assistant.db.session import session_scope
from tests.agent.scripted import ScriptedProvider, answer
from tests.fixtures import fake_gemini as fg
from tests.fixtures.turns import text_assistant


def _provider(fake: fg.FakeGemini, **kw) -> GeminiProvider:
    options = dict(api_key="test-gemini-key", model="gemini-2.5-flash", base_url=fake.url, timeout_seconds=5,
                   backoff_initial=0.01, backoff_max=0.02)
    options.update(kw)
    return GeminiProvider(**options)


async def _inbound(user_ctx, text: str):
    return await text_assistant(user_ctx, text)


async def _run(user_ctx, text: str, chain: ProviderChain):
    return await text_assistant(user_ctx, text, chain=chain)


def _tokens(direction: str) -> float:
    return REGISTRY.get_sample_value("llm_tokens_total", {"provider": "gemini", "direction": direction}) or 0.0


async def test_function_call_round_trip_creates_a_reminder(fake_gemini, make_user):
    user = await make_user(timezone="America/Chicago")
    fake_gemini.script(
        fg.function_call("create_reminder", {"text": "take my meds", "due_at": "2031-03-01T21:00:00"},
                         call_id="call-meds", prompt_tokens=50, output_tokens=9),
        fg.text("Done! I'll text you at 9pm to take your meds.", prompt_tokens=70, output_tokens=14),
    )
    tokens_in_before = _tokens("in")

    reply = await _inbound(user, "remind me to take my meds at 9pm")

    assert reply.provider == "gemini"
    assert reply.text == "Done! I'll text you at 9pm to take your meds."
    async with session_scope() as s:
        reminder = (await s.execute(select(Reminder).where(Reminder.user_id == user.id))).scalar_one()
        steps = list((await s.execute(
            select(AgentStep).where(AgentStep.turn_id == reply.turn_id).order_by(AgentStep.step_index))).scalars())
    assert reminder.text == "take my meds"
    assert reminder.due_at.astimezone(clock.zone("America/Chicago")).hour == 21

    # What the server received: our tools, no automatic calling, the model turn passed back verbatim,
    # and the function response with the call's id.
    assert len(fake_gemini.requests) == 2
    assert fake_gemini.paths[0] == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert fake_gemini.headers[0]["x-goog-api-key"] == "test-gemini-key"
    first = fake_gemini.requests[0]
    declared = {d["name"]: d for d in first["tools"][0]["functionDeclarations"]}
    assert "create_reminder" in declared and "calendar_list_events" not in declared
    assert declared["create_reminder"]["parameters_json_schema"]["required"] == ["text", "due_at"]
    assert "Central" in json.dumps(first["systemInstruction"]) or "America/Chicago" in json.dumps(
        first["systemInstruction"])
    second = fake_gemini.requests[1]["contents"]
    assert second[-2]["role"] == "model"
    assert second[-2]["parts"][0]["thoughtSignature"] == "c2lnbmF0dXJlLWZvci10ZXN0cw=="
    response = second[-1]["parts"][0]["functionResponse"]
    assert response["id"] == "call-meds" and response["name"] == "create_reminder"
    assert response["response"]["result"]["text"] == "take my meds"
    assert response["response"]["result"]["local_due"].startswith("2031-03-01T21:00:00")

    # Tokens recorded per step of the turn, and in the metric.
    assert [(s.kind, s.provider, s.tokens_in, s.tokens_out) for s in steps] == [
        ("plan", "gemini", 50, 9), ("tool", "gemini", 0, 0), ("answer", "gemini", 70, 14)]
    assert _tokens("in") - tokens_in_before == 120
    async with session_scope() as s:
        assert await conversation.gemini_tokens_today(s, user.id, "America/Chicago") == 143


async def test_429_then_success_is_retried(fake_gemini, make_user):
    user = await make_user()
    fake_gemini.script(fg.error(429), fg.text("You've got this. What's the first tiny step?"))
    reply = await _inbound(user, "I can't get started")
    assert reply.provider == "gemini"
    assert reply.text == "You've got this. What's the first tiny step?"
    assert len(fake_gemini.requests) == 2


async def test_repeated_500s_open_the_breaker_and_the_fallback_answers_in_the_same_turn(make_user):
    fake = fg.FakeGemini.start()
    try:
        fake.default = fg.error(500)
        user = await make_user()
        fallback = ScriptedProvider(answer("Offline here: done."), answer("Offline again."), answer("Still offline."),
                                    name="offline")
        chain = ProviderChain(_provider(fake, breaker_threshold=5, breaker_ttl=60), fallback)

        first = await _run(user, "hello", chain)
        assert (first.provider, first.text) == ("offline", "Offline here: done.")
        assert len(fake.requests) == 3  # three attempts, then the fallback

        second = await _run(user, "hello again", chain)
        assert second.provider == "offline"
        assert len(fake.requests) == 5  # the 5th failure opened the breaker

        third = await _run(user, "anyone?", chain)
        assert (third.provider, third.text) == ("offline", "Still offline.")
        assert len(fake.requests) == 5  # open breaker: Gemini is not even called

        async with session_scope() as s:
            errors = (await s.execute(select(AgentStep.error).where(
                AgentStep.turn_id == third.turn_id, AgentStep.kind == "error"))).scalars().all()
        assert errors == ["fallback: circuit breaker open"]
    finally:
        fake.stop()


async def test_gemini_failing_mid_turn_lets_the_fallback_start_the_turn_over(make_user):
    fake = fg.FakeGemini.start()
    try:
        user = await make_user()
        fake.script(fg.function_call("add_task", {"title": "renew passport"}))
        fake.default = fg.error(503)
        fallback = ScriptedProvider(lambda ctx, results: answer(f"offline saw {len(results)} results for {ctx.text}"),
                                    name="offline")
        reply = await _run(user, "add task renew passport", ProviderChain(_provider(fake), fallback))
        assert reply.provider == "offline"
        assert reply.text == "offline saw 0 results for add task renew passport"
        async with session_scope() as s:
            titles = (await s.execute(select(Task.title).where(Task.user_id == user.id))).scalars().all()
        assert titles == ["renew passport"]  # Gemini's completed step stays done
    finally:
        fake.stop()


async def test_secrets_are_masked_before_leaving_and_restored_for_the_user(fake_gemini, make_user):
    user = await make_user()
    async with session_scope() as s:
        await conversation.store_message(
            s, user.id, direction="inbound", body="my gym pin is 2468", channel="sms", status="answered"
        )
    fake_gemini.script(
        fg.function_call("add_task", {"title": "call the bank about card [CARD-1]"}),
        fg.text("Added. Your code [CODE-2] is noted too."),  # [CODE-1] is the pin in the history
    )
    text = "Verification code 839201 from the bank. My card 4111 1111 1111 1111 expired, add a task to call them"
    reply = await _inbound(user, text)

    sent = fake_gemini.sent_text()
    for secret in ("839201", "4111 1111 1111 1111", "2468"):
        assert secret not in sent
    assert "[CODE-1]" in sent and "[CODE-2]" in sent and "[CARD-1]" in sent
    assert reply.text == "Added. Your code 839201 is noted too."
    async with session_scope() as s:
        title = (await s.execute(select(Task.title).where(Task.user_id == user.id))).scalar_one()
    assert title == "call the bank about card 4111 1111 1111 1111"


async def test_spent_daily_quota_skips_gemini(fake_gemini, make_user, settings_env):
    settings_env(GEMINI_DAILY_TOKEN_QUOTA=100)
    user = await make_user()
    async with session_scope() as s:
        s.add(AgentStep(user_id=user.id, turn_id=user.id, step_index=0, kind="answer", provider="gemini",
                        tokens_in=90, tokens_out=20))
    reply = await _inbound(user, "hello")
    assert reply.provider != "gemini"
    assert fake_gemini.requests == []
    assert get_settings().gemini_daily_token_quota == 100


async def test_the_breaker_state_is_shared_through_redis(make_user, redis_url):
    fake = fg.FakeGemini.start()
    try:
        fake.default = fg.error(500)
        user = await make_user()
        # Two providers with their own clients and breaker factories: two processes.
        process_a = _provider(fake, redis_url=redis_url, breaker_threshold=3, attempts=3)
        process_b = _provider(fake, redis_url=redis_url, breaker_threshold=3, attempts=3)
        fallback = ScriptedProvider(answer("offline a"), answer("offline b"), name="offline")

        first = await _run(user, "hello", ProviderChain(process_a, fallback))
        assert first.provider == "offline" and len(fake.requests) == 3  # the 3rd failure opened it

        second = await _run(user, "hello again", ProviderChain(process_b, fallback))
        assert (second.provider, second.text) == ("offline", "offline b")
        assert len(fake.requests) == 3  # the other process saw the open breaker and did not call
    finally:
        fake.stop()
