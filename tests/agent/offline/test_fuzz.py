"""Fuzz: any text, any pending state, any payload. The inner functions must not raise (the
never-raise wrapper would hide a bug), and every tool call must pass its argument model."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personal_assistant.agent.llm.base import ToolCall, ToolResult
from personal_assistant.agent.llm.offline.brain import FALLBACK, interpret
from personal_assistant.agent.llm.offline.replies import compose
from tests.agent.offline.conftest import make_ctx
from tests.agent.offline.helpers import plan, validate_calls

WORDS = st.sampled_from(
    [
        "remind",
        "me",
        "to",
        "at",
        "9pm",
        "every",
        "monday",
        "in",
        "20",
        "min",
        "$12.50",
        "spent",
        "on",
        "done",
        "2",
        "add",
        "milk",
        "and",
        "eggs",
        "groceries",
        "focus",
        "25",
        "remember",
        "my",
        "code",
        "is",
        "what's",
        "snooze",
        "cancel",
        "timezone",
        "pacific",
        "quiet",
        "hours",
        "10pm",
        "7am",
        "break",
        "down:",
        "goal",
        "by",
        "june",
        "the",
        "1st",
        "tomorrow",
        "noon",
        "€8",
        "👍",
        "?",
        "list",
        "todo",
        "task",
        "calendar",
        "search",
        "web",
        "for",
        "12/25",
        "2:30am",
        "half",
        "an",
        "hour",
        "weekday",
        "7:30",
        "got",
        "the",
        "eggs",
        "I'm",
        "stuck",
        "on",
        "taxes",
        "0",
        "99:99",
        "31st",
        "feb",
        "30",
        "¥",
        "£",
        "10k",
        "every",
        "other",
        "day",
        "night",
        "midnight",
        "tonight",
    ]
)
SENTENCES = st.lists(WORDS, min_size=0, max_size=12).map(" ".join)
ZONES = st.sampled_from(
    [
        "America/New_York",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Australia/Sydney",
        "UTC",
        "Pacific/Chatham",
        "America/St_Johns",
    ]
)
NOWS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "id",
        "text",
        "title",
        "items",
        "due_at",
        "local_due",
        "rrule",
        "steps",
        "added",
        "checked",
        "total",
        "by_category",
        "minutes",
        "content",
        "changed",
        "timezone",
        "local_time",
        "summary",
    ]
)
PAYLOADS = JSON | st.dictionaries(KEYS, JSON, max_size=6)
TOOL_NAMES = st.sampled_from(
    [
        "create_reminder",
        "list_reminders",
        "acknowledge_reminder",
        "snooze_reminder",
        "cancel_reminder",
        "add_task",
        "list_tasks",
        "complete_task",
        "break_down_task",
        "add_goal",
        "list_goals",
        "add_groceries",
        "list_groceries",
        "check_groceries",
        "clear_groceries",
        "log_expense",
        "expense_summary",
        "remember",
        "recall",
        "start_focus",
        "end_focus",
        "update_settings",
        "current_time",
        "web_search",
        "calendar_list_events",
        "unknown_tool",
    ]
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _now(zone: str, naive: datetime) -> datetime:
    return naive.replace(tzinfo=ZoneInfo(zone))


@FUZZ
@given(text=st.text(max_size=300), zone=ZONES, naive=NOWS)
def test_any_text_gets_a_valid_action(text: str, zone: str, naive: datetime) -> None:
    action = interpret(make_ctx(text, now=_now(zone, naive)))
    assert action.kind in ("answer", "clarify", "tools")
    if action.kind == "tools":
        validate_calls(action)
    else:
        assert action.text and len(action.text) <= 480


@FUZZ
@given(text=SENTENCES, zone=ZONES, naive=NOWS, turn=st.integers(min_value=0, max_value=2**64))
def test_word_salad_from_the_vocabulary(text: str, zone: str, naive: datetime, turn: int) -> None:
    now = _now(zone, naive)
    action = interpret(make_ctx(text, now=now, turn_id=uuid.UUID(int=turn)))
    if action.kind == "tools":
        validate_calls(action)
        for call in action.tool_calls:
            due = call.args.get("due_at")
            if call.name == "create_reminder":
                first = datetime.fromisoformat(due)
                assert first.tzinfo is not None
                assert first > now - timedelta(minutes=1)  # never in the past
                assert first.utcoffset() == first.astimezone(ZoneInfo(zone)).utcoffset()
    assert action == interpret(make_ctx(text, now=now, turn_id=uuid.UUID(int=turn)))  # deterministic


@FUZZ
@given(
    text=SENTENCES | st.text(max_size=60),
    pending=st.fixed_dictionaries(
        {
            "tool": st.sampled_from(["create_reminder", "log_expense", "update_settings", "add_task", "remember", "x"]),
            "args": st.dictionaries(
                st.sampled_from(["text", "note", "due_at", "title", "bogus"]), st.text(max_size=20)
            ),
            "missing": st.sampled_from(
                ["due_at", "text", "amount", "timezone", "quiet_hours", "title", "content", "?"]
            ),
        },
    )
    | JSON.filter(lambda v: isinstance(v, dict)),
)
def test_any_pending_state_is_handled(text: str, pending: dict) -> None:
    action = interpret(make_ctx(text, pending=pending))
    assert action.kind in ("answer", "clarify", "tools")
    if action.kind == "tools":
        validate_calls(action)


@FUZZ
@given(name=TOOL_NAMES, data=PAYLOADS, ok=st.booleans(), summary=st.text(max_size=200), zone=ZONES, naive=NOWS)
def test_any_payload_composes_a_short_reply(
    name: str, data: object, ok: bool, summary: str, zone: str, naive: datetime
) -> None:
    result = ToolResult(call=ToolCall(name=name, args={}), ok=ok, data=data, summary=summary)
    text = compose(make_ctx("x", now=_now(zone, naive)), [result])
    assert text and len(text) <= 459


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_the_provider_never_uses_its_emergency_answer(text: str) -> None:
    action = plan(make_ctx(text))
    assert action.text != FALLBACK
