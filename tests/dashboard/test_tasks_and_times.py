"""Tasks keep their steps nested and ask before closing a task with open steps; each row has one
action; a date-only due reads as a date; reminders show the time they will really go out."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from personal_assistant.db.models import Reminder, Task
from personal_assistant.db.session import session_scope
from personal_assistant.planning.reminders.delivery import deliver_due_reminders
from personal_assistant.planning.tasks import service as tasks
from tests.fixtures.factories import UserCtx


async def _tree(user: UserCtx) -> tuple[Task, Task, Task]:
    """'plan the party' with steps 'buy cake' and 'send invites', and 'buy candles' under 'buy cake'."""
    async with session_scope() as s:
        party = await tasks.create_task(s, user.id, title="plan the party")
        cake, invites = await tasks.add_subtasks(s, user.id, party, ["buy cake", "send invites"])
        await tasks.add_subtasks(s, user.id, cake, ["buy candles"])
        return party, cake, invites


async def _statuses(user: UserCtx) -> dict[str, str]:
    async with session_scope() as s:
        rows = (await s.execute(select(Task).where(Task.user_id == user.id))).scalars()
        return {t.title: t.status for t in rows}


def _top_level_titles(html: str) -> list[str]:
    """Titles of the rows directly in the task list (not inside a Steps list)."""
    body = html[html.index('<ul class="items task-list">') :]
    titles, depth = [], 0
    for match in re.finditer(r'<ul class="subtasks"|</ul>|<a class="item-title" href="/tasks/[^"]+">([^<]+)</a>', body):
        token = match.group(0)
        if token.startswith('<ul class="subtasks"'):
            depth += 1
        elif token == "</ul>":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            titles.append(match.group(1))
    return titles


async def test_done_with_open_steps_asks_then_closes_them_all(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    party, _, _ = await _tree(user)

    asked = await browser.post(f"/tasks/{party.id}/complete", {}, page="/tasks")
    assert asked.status_code == 200
    assert "still has 2 open steps" in asked.text and "buy cake" in asked.text and "send invites" in asked.text
    assert set((await _statuses(user)).values()) == {"todo"}  # asking changed nothing

    closed = await browser.post(f"/tasks/{party.id}/complete", {"steps": "close"}, page="/tasks")
    assert closed.status_code == 303
    assert set((await _statuses(user)).values()) == {"done"}  # its steps, and theirs
    page = (await browser.get("/tasks")).text
    assert "and its 3 open steps are done" in page
    assert "Nothing on your list" in page


async def test_steps_kept_open_stay_nested_under_their_done_task(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    party, cake, _ = await _tree(user)
    kept = await browser.post(f"/tasks/{party.id}/complete", {"steps": "keep"}, page="/tasks")
    assert kept.status_code == 303
    assert (await _statuses(user))["plan the party"] == "done"

    page = (await browser.get("/tasks")).text
    # The steps are not shown as tasks of their own: the done task heads them, as context.
    assert _top_level_titles(page) == ["plan the party"]
    assert 'aria-label="Steps of plan the party"' in page and 'aria-label="Steps of buy cake"' in page
    assert 'aria-label="Mark step “buy candles” done"' in page  # the grandchild is there too
    assert 'aria-label="Mark “plan the party” done"' not in page

    # On the done list the same nesting holds the other way round.
    await browser.post(f"/tasks/{cake.id}/complete", {"steps": "close"}, page="/tasks")
    done_page = (await browser.get("/tasks?show=done")).text
    assert _top_level_titles(done_page) == ["plan the party"]


async def test_each_task_row_has_one_action_and_the_rest_is_behind_it(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    party, _, _ = await _tree(user)
    async with session_scope() as s:
        await tasks.create_task(s, user.id, title="call the bank")
    page = (await browser.get("/tasks")).text
    rows = page.split('<li class="task-row')[1:]
    for row in rows:
        own = row.split('<ul class="subtasks"')[0]
        assert own.count('type="submit"') == 1, own
    assert "Edit “" not in page and "Add a step" not in page  # both live on the task's own page
    own_page = (await browser.get(f"/tasks/{party.id}")).text
    assert "Add a step" in own_page and "Delete task" in own_page and 'id="f-title"' in own_page


async def test_a_date_only_due_reads_as_a_date(browser, make_user):
    user = await make_user(timezone="America/New_York")
    await browser.sign_in(user)
    added = await browser.post("/tasks", {"title": "renew passport", "due_date": "2031-12-05"})
    assert added.status_code == 303
    async with session_scope() as s:
        task = (await s.execute(select(Task).where(Task.user_id == user.id))).scalar_one()
    assert task.due_all_day
    page = (await browser.get("/tasks")).text
    assert "due Fri 5 Dec 2031" in page and "12:00 AM" not in page
    edit = (await browser.get(f"/tasks/{task.id}")).text
    assert 'id="f-due_date" name="due_date" type="date" value="2031-12-05"' in edit
    assert 'id="f-due_time" name="due_time" type="time" value=""' in edit
    home = (await browser.get("/")).text
    assert "due Fri 5 Dec 2031" in home and "12:00 AM" not in home

    timed = await browser.post("/tasks", {"title": "dentist", "due_date": "2031-12-04", "due_time": "09:30"})
    assert timed.status_code == 303
    assert "due Thu 4 Dec 2031, 9:30 AM" in (await browser.get("/tasks")).text
    no_day = await browser.post("/tasks", {"title": "x", "due_time": "09:30"})
    assert no_day.status_code == 422 and 'id="f-due_date-error"' in no_day.text


async def test_a_reminder_deferred_by_quiet_hours_shows_when_it_will_really_go_out(browser, make_user):
    user = await make_user(timezone="America/Chicago", quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))
    await browser.sign_in(user)
    tz = ZoneInfo("America/Chicago")
    night = datetime(2026, 6, 1, 23, 15, tzinfo=tz).astimezone(UTC)
    with time_machine.travel(night, tick=True):
        local = (night + timedelta(minutes=2)).astimezone(tz).strftime("%Y-%m-%dT%H:%M")
        assert (await browser.post("/reminders", {"text": "stretch", "due_at": local})).status_code == 303
        async with session_scope() as s:
            reminder = (await s.execute(select(Reminder).where(Reminder.user_id == user.id))).scalar_one()
        snoozed = await browser.post(f"/reminders/{reminder.id}/snooze", {"minutes": "10"}, page="/reminders")
        assert snoozed.status_code == 303
        page = (await browser.get("/reminders")).text
        assert "snoozed until today, 11:25 PM" in page, re.findall(r"snoozed[^<]*", page)

    with time_machine.travel(night + timedelta(minutes=11), tick=True):
        stats = await deliver_due_reminders()
        assert stats.deferred == 1
        # The snooze time has passed and quiet hours moved it to 7:00: say 7:00, not 11:25 PM.
        page = (await browser.get("/reminders")).text
        assert "snoozed until tomorrow, 7:00 AM (after your quiet hours)" in page
        assert "11:25 PM" not in page
        home = (await browser.get("/")).text
        assert "snoozed until tomorrow, 7:00 AM" in home and "11:25 PM" not in home


async def test_today_greets_by_name_and_shows_the_one_next_thing(browser, make_user):
    user = await make_user(timezone="Europe/Paris", name="Sam")
    await browser.sign_in(user)
    party, cake, _ = await _tree(user)
    tz = ZoneInfo("Europe/Paris")
    evening = datetime(2026, 6, 1, 19, 0, tzinfo=tz).astimezone(UTC)
    with time_machine.travel(evening, tick=True):
        later = (evening + timedelta(hours=1)).astimezone(tz).strftime("%Y-%m-%dT%H:%M")
        sooner = (evening + timedelta(minutes=30)).astimezone(tz).strftime("%Y-%m-%dT%H:%M")
        await browser.post("/reminders", {"text": "water the plants", "due_at": later})
        await browser.post("/reminders", {"text": "take my meds", "due_at": sooner})
        home = (await browser.get("/")).text
    assert "<h1>Good evening, Sam</h1>" in home
    # One reminder (the soonest), one concrete next step of the top task, and the focus button.
    assert "take my meds" in home and "water the plants" not in home
    assert "Next step" in home and "buy cake" in home and "for “plan the party”" in home
    assert "send invites" not in home
    assert "Start focusing" in home

    async with session_scope() as s:
        await tasks.complete_task(s, user.id, party.id, close_steps=True)
    with time_machine.travel(datetime(2026, 6, 2, 1, 30, tzinfo=tz).astimezone(UTC), tick=True):
        night = (await browser.get("/")).text
    assert "<h1>Hello, Sam</h1>" in night and "Still up" not in night
    assert "Nothing on your list" in night


async def test_goals_list_tasks_with_their_steps_counted_not_listed(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    assert (await browser.post("/goals", {"title": "host a party"})).status_code == 303
    page = (await browser.get("/goals")).text
    goal_id = re.search(r'action="/goals/([^"/]+)/status"', page).group(1)
    async with session_scope() as s:
        party = await tasks.create_task(s, user.id, title="plan the party", goal_id=uuid.UUID(goal_id))
        await tasks.add_subtasks(s, user.id, party, ["buy cake", "send invites"])
    page = (await browser.get("/goals")).text
    assert "plan the party" in page and "(2 steps to go)" in page and "buy cake" not in page
