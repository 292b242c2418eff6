"""Composing the SMS from tool results (the shapes documented in offline/results.py)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from personal_assistant.agent.llm.base import ToolCall, ToolResult
from personal_assistant.agent.llm.offline.replies import compose
from tests.agent.offline.conftest import make_ctx
from tests.agent.offline.helpers import plan

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)
THREE_SEGMENTS = 459


def reply(name: str, data: Any, *, ok: bool = True, summary: str = "done", turn: int = 7, **ctx_kw: Any) -> str:
    result = ToolResult(call=ToolCall(name=name, args={}), ok=ok, data=data, summary=summary)
    action = plan(make_ctx("x", turn_id=uuid.UUID(int=turn), **ctx_kw), [result])
    assert action.kind == "answer" and action.text
    return action.text


# (tool, payload, words the user must see); single-segment replies.
SHORT: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "create_reminder",
        {
            "id": "r1",
            "text": "take my meds",
            "due_at": "2026-03-08T02:00:00+00:00",
            "local_due": "2026-03-07T21:00:00-05:00",
            "rrule": None,
        },
        ["take your meds", "today at 9pm"],
    ),
    (
        "create_reminder",
        {
            "id": "r2",
            "text": "submit my timesheet",
            "local_due": "2026-03-09T09:00:00-04:00",
            "rrule": "FREQ=WEEKLY;BYDAY=MO",
        },
        ["submit your timesheet", "every Monday at 9am"],
    ),
    (
        "create_reminder",
        {
            "id": "r3",
            "text": "stretch",
            "local_due": "2026-03-09T07:30:00-04:00",
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        },
        ["every weekday at 7:30am"],
    ),
    (
        "create_reminder",
        {
            "id": "r4",
            "text": "pay rent",
            "local_due": "2026-04-01T09:00:00-04:00",
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
        },
        ["on the 1st of each month"],
    ),
    ("create_reminder", {"id": "r5", "text": "call", "due_at": "2026-03-13T20:00:00+00:00"}, ["Fri at 4pm"]),
    ("acknowledge_reminder", {"id": "r1", "text": "take my meds"}, ["take your meds"]),
    ("acknowledge_reminder", {"id": None}, ["nothing", "right now"]),
    ("snooze_reminder", {"id": "r1", "text": "meds", "local_due": "2026-03-07T14:40:00-05:00"}, ["2:40pm"]),
    ("snooze_reminder", {"id": None}, ["no reminder"]),
    ("cancel_reminder", {"id": "r1", "text": "dentist"}, ["dentist"]),
    ("cancel_reminder", {"id": None}, ["couldn't find"]),
    ("add_task", {"id": "t1", "title": "renew passport", "due_at": None}, ["renew passport"]),
    ("add_task", {"id": "t2", "title": "buy printer ink", "due_at": "2026-03-13"}, ["buy printer ink", "Fri"]),
    ("complete_task", {"id": "t1", "title": "renew passport", "open_subtasks": [], "remaining": 2}, ["renew passport"]),
    (
        "complete_task",
        {"id": "t1", "title": "report", "open_subtasks": ["intro", "charts"], "remaining": 0},
        ["2 steps", "last one"],
    ),
    ("add_goal", {"id": "g1", "title": "run a 5k", "target_date": "2026-06-30"}, ["run a 5k", "Jun 30"]),
    ("add_groceries", {"added": ["milk", "eggs", "bread"], "already": [], "total": 3}, ["milk, eggs and bread"]),
    ("add_groceries", {"added": ["eggs"], "already": ["milk"], "total": 4}, ["eggs", "milk was already"]),
    ("check_groceries", {"checked": ["milk"], "not_found": [], "remaining": 2}, ["milk", "2 left"]),
    ("check_groceries", {"checked": ["milk"], "not_found": [], "remaining": 0}, ["everything"]),
    ("clear_groceries", {"cleared": 5}, ["5 items"]),
    (
        "log_expense",
        {"id": "e1", "amount": "12.50", "currency": "USD", "category": "food", "note": "lunch"},
        ["$12.50", "lunch"],
    ),
    ("log_expense", {"id": "e2", "amount": "8.00", "currency": "EUR", "category": "other", "note": None}, ["€8.00"]),
    (
        "expense_summary",
        {
            "period": "week",
            "total": "42.50",
            "currency": "USD",
            "by_category": {"food": "30.00", "transport": "12.50"},
            "count": 3,
        },
        ["This week", "$42.50", "food $30.00"],
    ),
    (
        "expense_summary",
        {"period": "month", "total": "0.00", "currency": "USD", "by_category": {}, "count": 0},
        ["no spending"],
    ),
    ("remember", {"id": "m1", "content": "my locker code is 4312", "kind": "fact"}, ["4312"]),
    ("recall", {"items": [{"content": "my locker code is 4312"}]}, ["4312"]),
    ("recall", {"items": []}, ["don't have anything"]),
    (
        "start_focus",
        {
            "id": "f1",
            "minutes": 25,
            "label": "the report",
            "ends_at": "2026-03-07T19:55:00+00:00",
            "local_end": "2026-03-07T14:55:00-05:00",
            "midway_checkin": True,
        },
        ["25 min", "2:55pm", "halfway"],
    ),
    ("end_focus", {"id": "f1", "label": "report", "minutes": 22, "planned_minutes": 25}, ["22 min"]),
    ("end_focus", {"id": None}, ["No focus session"]),
    (
        "update_settings",
        {"timezone": "America/Los_Angeles", "changed": ["timezone"]},
        ["America/Los_Angeles", "11:30am"],
    ),
    (
        "update_settings",
        {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00", "changed": ["quiet_hours_start", "quiet_hours_end"]},
        ["10pm-7am"],
    ),
    (
        "update_settings",
        {"morning_checkin": "08:00", "checkins_enabled": True, "changed": ["morning_checkin", "checkins_enabled"]},
        ["8am"],
    ),
    ("update_settings", {"checkins_enabled": False, "changed": ["checkins_enabled"]}, ["off"]),
    (
        "current_time",
        {"local_time": "2026-03-07T14:30:00-05:00", "timezone": "America/New_York"},
        ["2:30pm", "Sat Mar 7"],
    ),
    ("youtube_summary", {"title": "How to focus", "summary": "Short blocks and breaks help."}, ["Short blocks"]),
]


@pytest.mark.parametrize(("name", "data", "words"), SHORT, ids=[f"{s[0]}-{i}" for i, s in enumerate(SHORT)])
def test_reply_from_payload(name: str, data: dict[str, Any], words: list[str]) -> None:
    text = reply(name, data)
    for word in words:
        assert word.lower() in text.lower(), (word, text)
    assert len(text) <= 160, text
    assert set(text) <= GSM7, text  # one GSM-7 segment, no UCS-2 surprise


def test_long_lists_fit_three_segments_and_say_how_many_more() -> None:
    items = [
        {"n": i, "id": f"t{i}", "title": f"task number {i} with a longish title", "status": "todo"}
        for i in range(1, 31)
    ]
    text = reply("list_tasks", {"items": items, "total": 30})
    assert len(text) <= THREE_SEGMENTS
    assert text.startswith("Your list: 1) task number 1")
    assert "more" in text and "done 1" in text


def test_short_lists_are_numbered() -> None:
    text = reply(
        "list_tasks",
        {
            "items": [
                {"n": 1, "title": "renew passport", "due_at": "2026-03-13"},
                {"n": 2, "title": "call mom", "priority": 1},
            ],
            "total": 2,
        },
    )
    assert "1) renew passport (Fri)" in text and "2) call mom!" in text
    reminders = reply(
        "list_reminders",
        {
            "items": [
                {"n": 1, "text": "meds", "local_due": "2026-03-07T21:00:00-05:00"},
                {"n": 2, "text": "gym", "local_due": "2026-03-09T18:00:00-04:00", "rrule": "FREQ=WEEKLY;BYDAY=MO,TH"},
            ]
        },
    )
    assert "1) meds (today at 9pm)" in reminders and "every Monday and Thursday at 6pm" in reminders
    groceries = reply("list_groceries", {"items": [{"name": "milk"}, {"name": "eggs", "quantity": "12"}]})
    assert groceries == "Groceries (2): milk, eggs (12)."
    goals = reply("list_goals", {"items": [{"n": 1, "title": "run a 5k", "target_date": "2026-06-30"}]})
    assert "1) run a 5k (by Jun 30)" in goals


def test_empty_lists_suggest_a_next_step() -> None:
    for name in ("list_tasks", "list_reminders", "list_groceries", "list_goals"):
        text = reply(name, {"items": []})
        assert "'" in text and len(text) <= 160  # quotes an example to text back


def test_breakdown_reply_lists_the_steps_and_one_next_step() -> None:
    steps = ["Put on a song and grab one bag", "Pick up just 5 things", "Set a 5-minute timer"]
    text = reply("break_down_task", {"id": "t1", "title": "clean my room", "steps": steps})
    # The first steps in one segment, the rest a "more" away (the issue: breakdowns stay short).
    assert text.startswith(("Let's make 'clean your room' tiny: 1) Put on a song", "'clean your room', in tiny"))
    assert len(text) <= 160 and ("3) Set a 5-minute timer" in text or "more" in text.lower())
    long = reply("break_down_task", {"id": "t1", "title": "plan mom's birthday party", "steps": [s * 2 for s in steps]})
    assert len(long) <= 160 and "'more'" in long and "3)" not in long


def test_errors_are_short_kind_and_say_what_to_do() -> None:
    text = reply("complete_task", "No open task matches 'taxes'.", ok=False)
    assert text.startswith("No open task matches 'taxes'.") and "list" in text and len(text) <= 160
    raw = reply("create_reminder", "Traceback (most recent call last): KeyError('x')", ok=False)
    assert "Traceback" not in raw and len(raw) <= 160
    assert "sorry" in raw.lower() or "couldn't" in raw.lower()


ODD = [
    None,
    [],
    "text",
    42,
    {"items": "nope"},
    {"items": [None, 3, {"title": None}]},
    {"id": 5, "text": ["a"]},
    {"local_due": "not a date", "text": "x" * 900},
    {"due_at": 12, "rrule": "FREQ=BOGUS"},
    {"by_category": ["x"], "total": None},
    {"steps": "abc"},
    {"added": "milk"},
    {"minutes": "many"},
    {"changed": "timezone", "timezone": "Mars/Base"},
    {"candidates": [{"text": "a"}, "b"]},
]
TOOLS = [
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
    "calendar_list_events",
    "email_triage",
    "notion_search",
    "web_search",
    "youtube_summary",
    "some_future_tool",
]


@pytest.mark.parametrize("name", TOOLS)
def test_odd_payloads_never_break_the_reply(name: str) -> None:
    for data in ODD:
        result = ToolResult(call=ToolCall(name=name, args={}), ok=True, data=data, summary="Did the thing.")
        text = compose(make_ctx("x"), [result])  # compose itself, not the never-raise wrapper
        assert text and len(text) <= THREE_SEGMENTS


def test_several_results_are_joined() -> None:
    results = [
        ToolResult(ToolCall("add_groceries", {}), True, {"added": ["milk"], "total": 1}, "added"),
        ToolResult(ToolCall("log_expense", {}), True, {"amount": "3.00", "currency": "USD", "note": "milk"}, "logged"),
    ]
    text = plan(make_ctx("x"), results).text
    assert "milk" in text and "$3.00" in text


def test_same_turn_same_words_and_turns_vary() -> None:
    data = {"id": "r1", "text": "stretch", "local_due": "2026-03-07T16:00:00-05:00"}
    assert reply("create_reminder", data, turn=11) == reply("create_reminder", data, turn=11)
    wordings = {reply("create_reminder", data, turn=t) for t in range(12)}
    assert len(wordings) >= 2
    assert all("stretch" in w and "4pm" in w for w in wordings)
    greetings = {plan(make_ctx("hi", turn_id=uuid.UUID(int=t))).text for t in range(12)}
    assert len(greetings) >= 2


def test_reply_times_follow_the_users_zone() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime(2026, 3, 28, 22, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    text = reply("create_reminder", {"id": "r", "text": "call Oma", "due_at": "2026-03-29T07:00:00+00:00"}, now=now)
    assert "tomorrow at 9am" in text  # 07:00 UTC is 09:00 CEST after the change


def test_a_tool_question_is_passed_on_as_is() -> None:
    text = reply("acknowledge_reminder", "Which reminder? 1) meds; 2) gym", ok=False)
    assert text == "Which reminder? 1) meds; 2) gym"
