"""Cost-aware routing with Gemini configured (the real google-genai client against the fake
server): offline_first answers what the offline brain is sure of at 0 tokens and sends the rest
to Gemini; the offline brain still answers when Gemini fails; llm_first asks Gemini every turn;
`assistant sms usage --turns` reports the share of turns at 0 tokens."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

from sqlalchemy import select

from personal_assistant.db.models import AgentStep, Reminder
from personal_assistant.db.session import session_scope
from tests.fixtures import fake_gemini as fg
from tests.fixtures.turns import text_assistant


async def _inbound(user_ctx, text: str):
    return await text_assistant(user_ctx, text)


async def _steps(turn_id) -> list[AgentStep]:
    async with session_scope() as s:
        return list((await s.execute(select(AgentStep).where(AgentStep.turn_id == turn_id)
                                     .order_by(AgentStep.step_index))).scalars())


async def test_offline_first_answers_a_clear_request_without_gemini(fake_gemini, settings_env, make_user):
    settings_env(AGENT_ROUTING="offline_first")
    user = await make_user(timezone="America/New_York")
    reply = await _inbound(user, "remind me to take my meds at 9pm")
    assert reply.provider == "offline"
    assert fake_gemini.requests == []
    async with session_scope() as s:
        [reminder] = (await s.execute(select(Reminder).where(Reminder.user_id == user.id))).scalars().all()
    assert reminder.text == "take my meds"
    steps = await _steps(reply.turn_id)
    assert steps and {s.provider for s in steps} == {"offline"}
    assert sum(s.tokens_in + s.tokens_out for s in steps) == 0


async def test_offline_first_sends_what_it_is_unsure_of_to_gemini(fake_gemini, settings_env, make_user):
    settings_env(AGENT_ROUTING="offline_first")
    fake_gemini.script(fg.text("Sounds poetic! Want me to save it as a note?", prompt_tokens=60, output_tokens=11))
    user = await make_user()
    reply = await _inbound(user, "the purple elephant sings at dawn in my dreams")
    assert reply.provider == "gemini" and len(fake_gemini.requests) == 1
    steps = await _steps(reply.turn_id)
    assert sum(s.tokens_in + s.tokens_out for s in steps) == 71


async def test_offline_first_still_answers_when_gemini_fails(fake_gemini, settings_env, make_user):
    settings_env(AGENT_ROUTING="offline_first")
    fake_gemini.default = fg.error(500)
    user = await make_user()
    reply = await _inbound(user, "the purple elephant sings at dawn in my dreams")
    assert reply.provider == "offline" and len(fake_gemini.requests) == 3
    assert "note" in reply.text


async def test_llm_first_asks_gemini_even_when_the_offline_brain_is_sure(fake_gemini, settings_env, make_user):
    settings_env(AGENT_ROUTING="llm_first")
    fake_gemini.script(fg.text("Hi there!"))
    user = await make_user()
    reply = await _inbound(user, "hi")
    assert reply.provider == "gemini" and len(fake_gemini.requests) == 1


async def test_a_crisis_text_never_reaches_gemini(fake_gemini, settings_env, make_user):
    settings_env(AGENT_ROUTING="llm_first")
    user = await make_user(phone="+447700900456", timezone="Europe/London")
    reply = await _inbound(user, "i want to end it all tonight")
    assert reply.provider == "safety" and "116 123" in reply.text
    assert fake_gemini.requests == []


async def test_the_usage_report_shows_the_share_of_turns_at_zero_tokens(fake_gemini, settings_env, make_user):
    settings_env(AGENT_ROUTING="offline_first")
    fake_gemini.script(fg.text("Noted!", prompt_tokens=30, output_tokens=5))
    user = await make_user()
    await _inbound(user, "add milk to groceries")
    await _inbound(user, "thanks!")
    await _inbound(user, "the purple elephant sings at dawn in my dreams")
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "personal_assistant.cli.main", "sms", "usage", "--turns", "--json"],
        capture_output=True, text=True, timeout=60, env=os.environ | {"COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    [today] = json.loads(done.stdout)
    assert (today["turns"], today["zero_token_turns"], today["tokens"]) == (3, 2, 35)
    assert today["zero_token_share"] == round(2 / 3, 4)
