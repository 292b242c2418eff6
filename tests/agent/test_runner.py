"""The Runner with a scripted provider: real tools, real services, real database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import time_machine
from pydantic import Field
from sqlalchemy import select

from personal_assistant.agent.core import AgentCore
from personal_assistant.agent.llm.base import Action, ToolCall
from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.planner import Planner
from personal_assistant.agent.runner import Runner
from personal_assistant.agent.tools.registry import ToolRegistry, registry
from personal_assistant.agent.tools.schemas import Args
from personal_assistant.core import clock
from personal_assistant.db.models import AgentStep, ConversationState, Reminder, Task
from personal_assistant.db.session import session_scope
from tests.agent.scripted import RepeatingProvider, ScriptedProvider, answer, call
from tests.fixtures.factories import load_user
from tests.fixtures.turns import text_assistant


async def _turn(user_ctx, text: str, provider):
    return await text_assistant(user_ctx, text, chain=ProviderChain(None, provider))


async def _steps(turn_id) -> list[AgentStep]:
    async with session_scope() as s:
        rows = await s.execute(select(AgentStep).where(AgentStep.turn_id == turn_id).order_by(AgentStep.step_index))
        return list(rows.scalars())


async def test_tool_call_creates_a_reminder_and_every_step_is_recorded(make_user):
    user = await make_user(timezone="America/New_York")
    provider = ScriptedProvider(
        call("create_reminder", text="take my meds", due_at="2031-03-01T21:00"),
        lambda ctx, results: answer(f"Done! I'll remind you at {results[0].data['local_due'][11:16]}."),
    )
    reply = await _turn(user, "remind me to take my meds at 9pm", provider)

    assert reply.text == "Done! I'll remind you at 21:00."
    assert reply.provider == "scripted"
    async with session_scope() as s:
        reminder = (await s.execute(select(Reminder).where(Reminder.user_id == user.id))).scalar_one()
    assert reminder.text == "take my meds"
    assert reminder.due_at == clock.as_utc(reminder.due_at)
    assert reminder.due_at.astimezone(clock.zone("America/New_York")).hour == 21
    steps = await _steps(reply.turn_id)
    assert [(s.kind, s.tool) for s in steps] == [("plan", None), ("tool", "create_reminder"), ("answer", None)]
    tool_step = steps[1]
    assert tool_step.arguments == {"text": "take my meds", "due_at": "2031-03-01T21:00"}
    assert tool_step.provider == "scripted"
    assert tool_step.result_summary.startswith("ok ")
    assert "take my meds" in tool_step.result_summary
    assert tool_step.error is None
    assert all(s.latency_ms >= 0 for s in steps)


async def test_invalid_arguments_are_fed_back_and_nothing_is_created(make_user):
    user = await make_user()
    provider = ScriptedProvider(
        call("create_reminder", text="call mom"),  # no due_at
        lambda ctx, results: answer("When should I remind you?" if not results[0].ok else "??"),
    )
    reply = await _turn(user, "remind me to call mom", provider)

    assert reply.text == "When should I remind you?"
    _, fed_back = provider.seen[1]
    assert fed_back[0].ok is False
    assert "due_at" in fed_back[0].data and "required" in fed_back[0].data.lower()
    async with session_scope() as s:
        assert (await s.execute(select(Reminder).where(Reminder.user_id == user.id))).first() is None
    steps = await _steps(reply.turn_id)
    assert steps[1].kind == "tool" and steps[1].error and "due_at" in steps[1].error


async def test_service_errors_become_a_failed_result_the_provider_can_explain(make_user):
    user = await make_user()
    provider = ScriptedProvider(
        call("complete_task", ref="renew passport"),
        lambda ctx, results: answer(results[0].data),
    )
    reply = await _turn(user, "done with renew passport", provider)
    assert reply.text == "No open task matches 'renew passport'."


async def test_step_limit_ends_with_a_graceful_reply(make_user, settings_env):
    settings_env(AGENT_MAX_STEPS=3)
    user = await make_user()
    provider = RepeatingProvider(Action("tools", tool_calls=[ToolCall("list_tasks", {}, "c1")]))
    reply = await _turn(user, "what's on my list?", provider)

    assert "tangled" in reply.text
    assert len(provider.seen) == 3
    steps = await _steps(reply.turn_id)
    assert [s.kind for s in steps].count("plan") == 3
    assert steps[-1].kind == "error" and steps[-1].error == "step limit reached"


async def test_side_effecting_tools_are_idempotent_within_a_turn(make_user):
    user = await make_user()
    provider = ScriptedProvider(
        call("add_task", title="renew passport"),
        call("add_task", title="renew passport"),
        lambda ctx, results: answer("same" if results[0].data["id"] == results[1].data["id"] else "twice"),
    )
    reply = await _turn(user, "add task renew passport", provider)
    assert reply.text == "same"
    async with session_scope() as s:
        titles = (await s.execute(select(Task.title).where(Task.user_id == user.id))).scalars().all()
    assert titles == ["renew passport"]

    # A new turn is a new request: the same words add it again.
    await _turn(user, "add task renew passport", ScriptedProvider(call("add_task", title="renew passport")))
    async with session_scope() as s:
        count = len((await s.execute(select(Task.id).where(Task.user_id == user.id))).all())
    assert count == 2


class Slow(Args):
    seconds: float = Field(ge=0)


async def test_a_slow_tool_times_out_and_its_writes_are_rolled_back(make_user):
    user_ctx = await make_user()
    tools = ToolRegistry()
    tools._loaded = True  # only the tools of this test

    @tools.tool("slow_write", "adds a task, then hangs", Slow, changes_data=True)
    async def slow_write(ctx, args: Slow) -> dict:
        from personal_assistant.planning.tasks import service as tasks

        await tasks.create_task(ctx.session, ctx.user, title="half-done write")
        await asyncio.sleep(args.seconds)
        return {"ok": True}

    provider = ScriptedProvider(call("slow_write", seconds=5), lambda ctx, results: answer(results[0].data))
    async with session_scope() as s:
        user = await load_user(s, user_ctx)
        turn = await AgentCore(tools=tools).assemble(s, user, "go", channel="sms")
    runner = Runner(turn.scope, tools=tools, max_steps=4, tool_timeout_seconds=0.2)
    outcome = await runner.run(turn.ctx, Planner(ProviderChain(None, provider).start_turn()))
    async with session_scope() as s:
        s.add_all(outcome.steps)

    assert outcome.text == "That took too long, so I stopped. Nothing was changed."
    async with session_scope() as s:
        assert (await s.execute(select(Task).where(Task.user_id == user_ctx.id))).first() is None
        step = (await s.execute(select(AgentStep).where(AgentStep.tool == "slow_write"))).scalar_one()
    assert step.error and "too long" in step.error


async def test_a_clarification_is_stored_completed_by_the_next_message_and_expires(make_user):
    user = await make_user()
    pending = {"tool": "create_reminder", "args": {"text": "call mom"}, "missing": "due_at"}
    await _turn(user, "remind me to call mom",
                ScriptedProvider(Action("clarify", text="When should I remind you?", pending=pending)))
    async with session_scope() as s:
        state = (await s.execute(select(ConversationState).where(ConversationState.user_id == user.id))).scalar_one()
    assert state.pending == pending
    assert timedelta(minutes=25) < state.pending_expires_at - clock.now() <= timedelta(minutes=30)

    second = ScriptedProvider(answer("Okay, 7pm it is."))
    await _turn(user, "7pm", second)
    ctx, _ = second.seen[0]
    assert ctx.pending == pending
    async with session_scope() as s:
        state = (await s.execute(select(ConversationState).where(ConversationState.user_id == user.id))).scalar_one()
    assert state.pending is None  # the answer cleared it

    await _turn(user, "remind me to call mom",
                ScriptedProvider(Action("clarify", text="When should I remind you?", pending=pending)))
    later = ScriptedProvider(answer("Hi!"))
    with time_machine.travel(clock.now() + timedelta(minutes=31)):
        await _turn(user, "hello", later)
    assert later.seen[0][0].pending is None


async def test_a_tool_needing_an_unconnected_account_answers_with_the_connect_link(make_user):
    user = await make_user()
    provider = ScriptedProvider(call("calendar_list_events", query="today"), lambda ctx, r: answer(r[0].data))
    reply = await _turn(user, "what's on my calendar?", provider)
    ctx, _ = provider.seen[0]
    assert ctx.unavailable_tools["calendar_list_events"] == "google"
    assert "calendar_list_events" not in {t.name for t in ctx.tools}
    assert reply.text == "That needs your Google account. Connect it at https://assistant.test/connections"


async def test_turn_context_has_the_users_time_history_and_tools(make_user):
    user = await make_user(timezone="Asia/Tokyo", name="Sam")
    first = ScriptedProvider(answer("Hello Sam!"))
    with time_machine.travel("2031-06-01T03:00:00Z", tick=False):
        await _turn(user, "hi", first)
    ctx, _ = first.seen[0]
    assert ctx.local_now.hour == 12 and ctx.timezone == "Asia/Tokyo"
    assert ctx.user_name == "Sam"
    assert {"create_reminder", "add_task", "complete_task", "current_time"} <= {t.name for t in ctx.tools}
    assert ctx.dashboard_url == "https://assistant.test"
    spec = next(t for t in ctx.tools if t.name == "create_reminder")
    assert spec.parameters["required"] == ["text", "due_at"] and spec.changes_data is True
    assert {t.name for t in registry.all()} >= {t.name for t in ctx.tools}
