"""Every base tool through the Runner, against the result shapes the offline brain reads
(agent/llm/offline/results.py), on the real planning and memory services."""

from __future__ import annotations

from typing import Any

import time_machine
from sqlalchemy import select

from personal_assistant.agent.llm.base import ToolResult
from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.llm.offline import results as shapes
from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import registry
from personal_assistant.core import clock
from personal_assistant.db.models import FocusSession, GroceryItem, Reminder, Task, User
from personal_assistant.db.session import session_scope
from tests.agent.scripted import ScriptedProvider, answer, call
from tests.fixtures.turns import text_assistant

NOW = "2031-04-07T15:00:00Z"  # a Monday, 11:00 in New York


async def _call(user_ctx, name: str, **args: Any) -> ToolResult:
    provider = ScriptedProvider(call(name, **args), answer("ok"))
    await text_assistant(user_ctx, f"tool {name}", chain=ProviderChain(None, provider))
    result = provider.seen[1][1][0]
    return result


def _keys(typed: type) -> set[str]:
    return set(typed.__annotations__)


def _shape(data: dict, typed: type, *, optional: set[str] = frozenset(), extra: set[str] = frozenset()) -> None:
    assert set(data) <= _keys(typed) | extra, f"unexpected keys {set(data) - _keys(typed)}"
    assert _keys(typed) - optional <= set(data), f"missing keys {_keys(typed) - optional - set(data)}"


def test_every_argument_model_has_a_tool():
    models = {v for v in vars(schemas).values()
              if isinstance(v, type) and issubclass(v, schemas.Args) and v not in (schemas.Args, schemas.GroceryEntry)}
    assert models <= {t.args_model for t in registry.all()}


async def test_reminder_tools(make_user):
    user = await make_user(timezone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        created = await _call(user, "create_reminder", text="call mom", due_at="2031-04-07T19:00")
        assert created.ok, created.data
        _shape(created.data, shapes.ReminderOut, optional={"next_local_due"})
        assert created.data["local_due"] == "2031-04-07T19:00:00-04:00"
        assert created.data["due_at"] == "2031-04-07T23:00:00+00:00"

        weekly = await _call(user, "create_reminder", text="submit timesheet", due_at="2031-04-14T09:00",
                             rrule="FREQ=WEEKLY;BYDAY=MO")
        assert weekly.data["rrule"] == "FREQ=WEEKLY;BYDAY=MO"

        listed = await _call(user, "list_reminders")
        _shape(listed.data, shapes.ReminderList)
        for item in listed.data["items"]:
            _shape(item, shapes.ReminderItem)
        assert [(i["n"], i["text"]) for i in listed.data["items"]] == [(1, "call mom"), (2, "submit timesheet")]

        snoozed = await _call(user, "snooze_reminder", reminder_id="1", minutes=15)
        assert snoozed.data["status"] == "snoozed"
        assert snoozed.data["local_due"] == "2031-04-07T11:15:00-04:00"

        acked = await _call(user, "acknowledge_reminder", reminder_id="submit timesheet")
        assert acked.data["next_local_due"] == "2031-04-21T09:00:00-04:00"  # skipped to the next Monday

        await _call(user, "create_reminder", text="dentist appointment", due_at="2031-04-09T08:00")
        cancelled = await _call(user, "cancel_reminder", query="dentist")
        assert cancelled.data["status"] == "cancelled" and cancelled.data["text"] == "dentist appointment"

        await _call(user, "create_reminder", text="water plants", due_at="2031-04-08T08:00")
        await _call(user, "create_reminder", text="water lawn", due_at="2031-04-08T09:00")
        ambiguous = await _call(user, "cancel_reminder", query="water")
        assert ambiguous.ok and ambiguous.data["id"] is None
        assert sorted(c["text"] for c in ambiguous.data["candidates"]) == ["water lawn", "water plants"]

        missing = await _call(user, "cancel_reminder", query="taxes")
        assert not missing.ok and "taxes" in missing.data

    async with session_scope() as s:
        statuses = dict((await s.execute(select(Reminder.text, Reminder.status)
                                         .where(Reminder.user_id == user.id))).all())
    assert statuses["dentist appointment"] == "cancelled"
    assert statuses["water plants"] == statuses["water lawn"] == "pending"


async def test_task_and_goal_tools(make_user):
    user = await make_user(timezone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        goal = await _call(user, "add_goal", title="run a 5k", target_date="2031-06-01")
        _shape(goal.data, shapes.GoalOut)
        task = await _call(user, "add_task", title="buy running shoes", due_at="2031-04-11", goal_ref="5k",
                           estimate_minutes=30, priority=1)
        _shape(task.data, shapes.TaskOut)
        assert task.data["goal"] == "run a 5k"
        assert task.data["due_at"] == task.data["local_due"] == "2031-04-11"  # all day
        await _call(user, "add_task", title="renew passport")

        goals = await _call(user, "list_goals")
        _shape(goals.data, shapes.GoalList)
        _shape(goals.data["items"][0], shapes.GoalItem)
        assert goals.data["items"][0]["open_tasks"] == 1

        listed = await _call(user, "list_tasks")  # the last list shown is now this one
        _shape(listed.data, shapes.TaskList)
        for item in listed.data["items"]:
            _shape(item, shapes.TaskItem)
        assert [i["title"] for i in listed.data["items"]] == ["buy running shoes", "renew passport"]
        assert listed.data["total"] == 2

        done = await _call(user, "complete_task", ref="1")
        _shape(done.data, shapes.CompletedTask)
        assert done.data["title"] == "buy running shoes"
        assert done.data["remaining"] == 1 and done.data["next_title"] == "renew passport"

        broken = await _call(user, "break_down_task", title="clean my room",
                             steps=["pick up 5 things from the floor", "put dishes in the sink"])
        _shape(broken.data, shapes.BreakDownOut)
        assert broken.data["steps"] == ["pick up 5 things from the floor", "put dishes in the sink"]

    async with session_scope() as s:
        rows = (await s.execute(select(Task).where(Task.user_id == user.id))).scalars().all()
    parent = next(t for t in rows if t.title == "clean my room")
    assert sorted(t.title for t in rows if t.parent_id == parent.id) == sorted(broken.data["steps"])


async def test_grocery_tools(make_user):
    user = await make_user()
    added = await _call(user, "add_groceries", items=[{"name": "milk"}, {"name": "eggs", "quantity": "12"}])
    _shape(added.data, shapes.GroceriesAdded)
    assert sorted(added.data["added"]) == ["eggs", "milk"] and added.data["total"] == 2
    again = await _call(user, "add_groceries", items=[{"name": "milk"}])
    assert again.data["already"] == ["milk"] and again.data["added"] == []

    listed = await _call(user, "list_groceries")
    _shape(listed.data, shapes.GroceryList)
    assert {i["name"]: i["quantity"] for i in listed.data["items"]} == {"milk": None, "eggs": "12"}

    checked = await _call(user, "check_groceries", names=["the milk", "bananas"])
    _shape(checked.data, shapes.GroceriesChecked)
    assert checked.data["checked"] == ["milk"] and checked.data["not_found"] == ["bananas"]
    assert checked.data["remaining"] == 1

    cleared = await _call(user, "clear_groceries")
    _shape(cleared.data, shapes.GroceriesCleared)
    assert cleared.data["cleared"] == 1
    async with session_scope() as s:
        names = (await s.execute(select(GroceryItem.name).where(GroceryItem.user_id == user.id))).scalars().all()
    assert names == ["eggs"]


async def test_expense_tools(make_user):
    user = await make_user(timezone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        logged = await _call(user, "log_expense", amount="12.50", note="lunch")
        _shape(logged.data, shapes.ExpenseOut)
        assert (logged.data["amount"], logged.data["currency"]) == ("12.50", "USD")
        await _call(user, "log_expense", amount="7.5", note="cinema ticket")
        summary = await _call(user, "expense_summary", period="week")
        _shape(summary.data, shapes.ExpenseSummaryOut, extra={"other_currencies"})
        assert summary.data["total"] == "20.00" and summary.data["count"] == 2
        bad = await _call(user, "log_expense", amount="12,50")
        assert not bad.ok and "amount" in bad.data


async def test_memory_tools(make_user):
    user = await make_user()
    saved = await _call(user, "remember", content="my locker code is 4312")
    _shape(saved.data, shapes.MemoryOut)
    found = await _call(user, "recall", query="locker code")
    _shape(found.data, shapes.MemoryList)
    _shape(found.data["items"][0], shapes.MemoryItem)
    assert found.data["items"][0]["content"] == "my locker code is 4312"
    nothing = await _call(user, "recall", query="passport number")
    assert nothing.data == {"items": []}
    updated = await _call(user, "remember", content="my locker code is 5555")
    _shape(updated.data, shapes.MemoryOut)
    assert (updated.data["outcome"], updated.data["previous"]) == ("updated", "my locker code is 4312")
    overview = await _call(user, "memory_overview")
    _shape(overview.data, shapes.MemoryOverviewOut)
    assert overview.data["total"] == 1
    gone = await _call(user, "forget_memory", everything_about="locker")
    _shape(gone.data, shapes.MemoriesForgotten)
    assert gone.data["count"] == 1


async def test_focus_tools(make_user):
    user = await make_user(timezone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        await _call(user, "add_task", title="write the report")
        started = await _call(user, "start_focus", minutes=25, task_ref="report", midway_checkin=True)
        _shape(started.data, shapes.FocusOut)
        assert started.data["label"] == "write the report"
        assert started.data["local_end"] == "2031-04-07T11:25:00-04:00"
        twice = await _call(user, "start_focus", minutes=10)
        assert not twice.ok and "already running" in twice.data
    with time_machine.travel("2031-04-07T15:10:00Z", tick=False):
        ended = await _call(user, "end_focus", outcome="got the intro done")
    _shape(ended.data, shapes.FocusEnded)
    assert (ended.data["minutes"], ended.data["planned_minutes"]) == (10, 25)
    nothing = await _call(user, "end_focus")
    assert nothing.data == {"id": None}
    async with session_scope() as s:
        focus = (await s.execute(select(FocusSession).where(FocusSession.user_id == user.id))).scalar_one()
    assert focus.status == "ended_early" and focus.outcome == "got the intro done"


async def test_settings_and_time_tools(make_user):
    user = await make_user(timezone="UTC")
    changed = await _call(user, "update_settings", timezone="america/los_angeles", quiet_hours_start="22:00",
                          quiet_hours_end="07:00")
    _shape(changed.data, shapes.SettingsOut)
    assert changed.data["timezone"] == "America/Los_Angeles"
    assert (changed.data["quiet_hours_start"], changed.data["quiet_hours_end"]) == ("22:00", "07:00")
    assert sorted(changed.data["changed"]) == ["quiet_hours_end", "quiet_hours_start", "timezone"]

    invalid = await _call(user, "update_settings", timezone="Mars/Olympus")
    assert not invalid.ok and "timezone" in invalid.data
    async with session_scope() as s:
        assert (await s.get(User, user.id)).timezone == "America/Los_Angeles"

    with time_machine.travel(NOW, tick=False):
        now = await _call(user, "current_time")
    _shape(now.data, shapes.TimeOut)
    assert now.data == {"local_time": "2031-04-07T08:00:00-07:00", "timezone": "America/Los_Angeles"}
    assert clock.is_valid_timezone(now.data["timezone"])
