"""Tasks and goals: due dates in the user's zone, SMS numbers ("done 2"), fuzzy references,
completing a parent reports open subtasks, goal progress."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.planning.common import Ambiguous
from personal_assistant.planning.goals import service as goals
from personal_assistant.planning.tasks import service as tasks
from tests.fixtures.factories import load_user


async def test_due_times_are_local_and_dates_are_all_day(session, make_user):
    user = await load_user(session, await make_user(timezone="America/Los_Angeles"))
    timed = await tasks.create_task(session, user, title="call bank", due_at="2026-07-01T16:00")
    day = await tasks.create_task(session, user, title="taxes", due_at="2026-07-03")
    assert timed.due_at == datetime(2026, 7, 1, 23, 0, tzinfo=UTC) and not timed.due_all_day
    assert day.due_all_day and day.due_at == datetime(2026, 7, 3, 7, 0, tzinfo=UTC)  # local midnight
    with pytest.raises(ValidationFailed) as bad:
        await tasks.create_task(session, user, title="x", due_at="next tuesday")
    assert "due_at" in bad.value.fields


async def test_done_2_completes_second_item_of_last_list(session, make_user):
    user = await load_user(session, await make_user())
    await tasks.create_task(session, user, title="later", due_at="2026-08-10T10:00")
    soon = await tasks.create_task(session, user, title="renew passport", due_at="2026-08-02T10:00")
    await tasks.create_task(session, user, title="undated")
    await tasks.create_task(session, user, title="first", due_at="2026-08-01T10:00")
    shown = await tasks.list_tasks_for_sms(session, user)
    assert [t.title for t in shown.items] == ["first", "renew passport", "later", "undated"]
    # A task added after the list was shown does not shift the numbers.
    await tasks.create_task(session, user, title="zeroth", due_at="2026-07-01T10:00")
    result = await tasks.complete_task(session, user, "2")
    assert result.task.id == soon.id and soon.status == "done" and soon.completed_at is not None
    assert result.remaining == 4
    assert result.next_task is not None and result.next_task.title == "zeroth"
    with pytest.raises(NotFound):
        await tasks.resolve_task_ref(session, user, "9")


async def test_reference_by_title_words(session, make_user):
    user = await load_user(session, await make_user())
    passport = await tasks.create_task(session, user, title="Renew passport")
    await tasks.create_task(session, user, title="Email Sam about the report")
    await tasks.create_task(session, user, title="Email Alex about the invoice")
    assert (await tasks.resolve_task_ref(session, user, "passport")).id == passport.id
    assert (await tasks.resolve_task_ref(session, user, "renew pasport")).id == passport.id  # typo
    with pytest.raises(Ambiguous) as which:
        await tasks.resolve_task_ref(session, user, "email")
    assert {t.title for t in which.value.candidates} == {"Email Sam about the report", "Email Alex about the invoice"}
    with pytest.raises(NotFound):
        await tasks.resolve_task_ref(session, user, "dishes")


async def test_completing_parent_reports_open_subtasks(session, make_user):
    user = await load_user(session, await make_user())
    parent = await tasks.create_task(session, user, title="clean kitchen")
    subs = await tasks.add_subtasks(session, user, parent, ["dishes", "wipe counters", "take out trash"])
    await tasks.complete_task(session, user, subs[0])
    result = await tasks.complete_task(session, user, parent)
    assert parent.status == "done"
    assert [t.title for t in result.open_subtasks] == ["wipe counters", "take out trash"]
    assert all(t.status == "todo" for t in result.open_subtasks)  # left alone


async def test_filters_and_status_changes(session, make_user):
    user = await load_user(session, await make_user())
    goal = await goals.create_goal(session, user, title="Get fit")
    a = await tasks.create_task(session, user, title="run", goal_id=goal.id, due_at="2026-08-01T08:00")
    await tasks.create_task(session, user, title="read", due_at="2026-09-01T08:00")
    assert [t.title for t in (await tasks.list_tasks(session, user, goal_id=goal.id)).items] == ["run"]
    window = await tasks.list_tasks(
        session, user, due_from=datetime(2026, 8, 15, tzinfo=UTC), due_to=datetime(2026, 9, 15, tzinfo=UTC)
    )
    assert [t.title for t in window.items] == ["read"]
    await tasks.update_task(session, user, a.id, {"status": "done"})
    assert a.completed_at is not None
    await tasks.update_task(session, user, a.id, {"status": "todo"})
    assert a.completed_at is None
    assert (await tasks.list_tasks(session, user, status="open")).total == 2
    with pytest.raises(ValidationFailed) as bad:
        await tasks.update_task(session, user, a.id, {"parent_id": a.id})
    assert "parent_id" in bad.value.fields


async def test_goal_progress_is_done_over_total(session, make_user):
    user = await load_user(session, await make_user())
    goal = await goals.create_goal(session, user, title="Launch side project", target_date="2026-12-01")
    made = [await tasks.create_task(session, user, title=f"step {i}", goal_id=goal.id) for i in range(4)]
    empty = await goals.create_goal(session, user, title="Learn piano")
    await tasks.complete_task(session, user, made[0])
    progress = await goals.goal_progress(session, user, goal)
    assert (progress.done, progress.total, progress.ratio, progress.open_tasks) == (1, 4, 0.25, 3)
    assert (await goals.goal_progress(session, user, empty)).ratio == 0.0
    assert (await goals.resolve_goal_ref(session, user, "side project")).id == goal.id


async def test_cannot_link_to_another_users_goal(session, make_user):
    owner = await load_user(session, await make_user())
    other = await load_user(session, await make_user())
    goal = await goals.create_goal(session, owner, title="private")
    with pytest.raises(ValidationFailed) as bad:
        await tasks.create_task(session, other, title="x", goal_id=goal.id)
    assert "goal_id" in bad.value.fields


def test_date_only_detection_uses_clock():
    with time_machine.travel("2026-01-01T00:00:00Z", tick=False):
        from personal_assistant.planning.common import is_date_only

        assert is_date_only("2026-03-13") and not is_date_only("2026-03-13T10:00")
