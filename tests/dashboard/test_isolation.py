"""Another user's resource ids are "not found" through every dashboard route, and nothing of
theirs changes."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from personal_assistant.core import clock
from personal_assistant.db.models import Expense, FocusSession, Goal, GroceryItem, Memory, Reminder, Task
from personal_assistant.db.session import session_scope


async def _owned_rows(owner_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """One of each resource, owned by `owner_id` (arranged directly, like a factory)."""
    now = clock.now()
    rows = {
        "task": Task(title="A's task"),
        "goal": Goal(title="A's goal"),
        "reminder": Reminder(
            text="A's reminder", due_at=now + timedelta(hours=1), timezone="UTC", next_fire_at=now + timedelta(hours=1)
        ),
        "grocery": GroceryItem(name="A's milk"),
        "expense": Expense(amount="12.50", currency="USD", category="food", spent_at=now),
        "memory": Memory(content="A's locker code is 4312", tags=[]),
        "focus": FocusSession(minutes=25, started_at=now, ends_at=now + timedelta(minutes=25), status="active"),
    }
    async with session_scope() as s:
        for row in rows.values():
            row.user_id = owner_id
            s.add(row)
        await s.flush()
        return {name: row.id for name, row in rows.items()}


ROUTES = [
    ("GET", "/tasks/{task}"),
    ("POST", "/tasks/{task}"),
    ("POST", "/tasks/{task}/complete"),
    ("POST", "/tasks/{task}/reopen"),
    ("POST", "/tasks/{task}/subtasks"),
    ("POST", "/tasks/{task}/delete"),
    ("POST", "/reminders/{reminder}/snooze"),
    ("POST", "/reminders/{reminder}/done"),
    ("POST", "/reminders/{reminder}/cancel"),
    ("POST", "/goals/{goal}/status"),
    ("POST", "/goals/{goal}/delete"),
    ("POST", "/groceries/{grocery}/toggle"),
    ("POST", "/groceries/{grocery}/delete"),
    ("POST", "/expenses/{expense}/delete"),
    ("GET", "/memories/{memory}"),
    ("POST", "/memories/{memory}"),
    ("POST", "/memories/{memory}/delete"),
    ("POST", "/memories/{memory}/pin"),
    ("POST", "/focus/{focus}/end"),
]
FORM = {"title": "hijacked", "content": "hijacked", "status": "done", "minutes": "10", "priority": "2"}


@pytest.mark.parametrize(("method", "template"), ROUTES)
async def test_other_users_ids_are_not_found(browser, make_user, method, template):
    owner, intruder = await make_user(), await make_user()
    ids = await _owned_rows(owner.id)
    path = template.format(**ids)
    await browser.sign_in(intruder)
    if method == "GET":
        response = await browser.get(path)
    else:
        response = await browser.post(path, FORM, page="/")
    assert response.status_code == 404, (path, response.status_code)
    assert "Not found" in response.text

    # The owner's rows are exactly as they were.
    async with session_scope() as s:
        task = await s.get(Task, ids["task"])
        assert task is not None and task.title == "A's task" and task.status == "todo"
        reminder = await s.get(Reminder, ids["reminder"])
        assert reminder is not None and reminder.status == "pending"
        goal = await s.get(Goal, ids["goal"])
        assert goal is not None and goal.status == "active"
        item = await s.get(GroceryItem, ids["grocery"])
        assert item is not None and item.checked is False
        assert await s.get(Expense, ids["expense"]) is not None
        memo = await s.get(Memory, ids["memory"])
        assert memo is not None and memo.content == "A's locker code is 4312"
        focus = await s.get(FocusSession, ids["focus"])
        assert focus is not None and focus.status == "active"


async def test_lists_show_only_your_own_things(browser, make_user):
    owner, other = await make_user(), await make_user()
    await _owned_rows(owner.id)
    await browser.sign_in(other)
    for path in ("/tasks?show=all", "/reminders", "/goals", "/groceries", "/expenses", "/memories", "/"):
        page = (await browser.get(path)).text
        assert "A&#39;s" not in page and "A's" not in page, path


async def test_a_malformed_id_is_not_found(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    assert (await browser.get("/tasks/not-a-uuid")).status_code == 404
    assert (await browser.post("/tasks/not-a-uuid/complete", {}, page="/tasks")).status_code == 404
