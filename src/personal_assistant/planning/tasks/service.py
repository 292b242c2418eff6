"""Task rules: creation with due dates in the user's zone, listing with stable SMS numbers,
references ("2" or title words), completion that reports open subtasks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.db.models.planning import TASK_STATUSES, Task
from personal_assistant.planning.common import (
    Ambiguous,
    UserRef,
    best_matches,
    id_from_last_list,
    is_date_only,
    load_user,
    parse_when,
    remember_list,
    user_id_of,
    words,
)
from personal_assistant.planning.goals.repository import GoalRepository
from personal_assistant.planning.tasks.repository import OPEN_ORDER, TaskRepository

LIST_KIND = "tasks"


@dataclass
class TaskListing:
    items: list[Task]
    total: int


@dataclass
class TaskCompletion:
    task: Task
    open_subtasks: list[Task] = field(default_factory=list)
    closed_steps: list[Task] = field(default_factory=list)
    remaining: int = 0
    next_task: Task | None = None


def _repo(session: AsyncSession, user: UserRef) -> TaskRepository:
    return TaskRepository(session, user_id_of(user))


def _day_of(value: str | datetime | None) -> date | None:
    """The date of a date-only due_at ("2026-12-05"), kept as given (the time rule: a date is a
    day, not an instant)."""
    return date.fromisoformat(value.strip()) if isinstance(value, str) and is_date_only(value) else None


async def _due(session: AsyncSession, user: UserRef, value: str | datetime | None) -> tuple[datetime | None, bool]:
    if value is None or value == "":
        return None, False
    tz = (await load_user(session, user)).timezone
    if isinstance(value, str) and is_date_only(value):
        return parse_when(value, tz, field="due_at"), True
    return parse_when(value, tz, field="due_at"), False


async def _check_links(
    session: AsyncSession, user: UserRef, parent_id: Any, goal_id: Any, task_id: uuid.UUID | None = None
) -> None:
    if parent_id is not None:
        parent = await _repo(session, user).find(parent_id)
        if parent is None:
            raise ValidationFailed("no such parent task", fields={"parent_id": "no such task"})
        if task_id is not None and parent.id == task_id:
            raise ValidationFailed("a task cannot be its own parent", fields={"parent_id": "cannot be the task itself"})
    if goal_id is not None and await GoalRepository(session, user_id_of(user)).find(goal_id) is None:
        raise ValidationFailed("no such goal", fields={"goal_id": "no such goal"})


async def create_task(
    session: AsyncSession,
    user: UserRef,
    *,
    title: str,
    notes: str | None = None,
    status: str = "todo",
    due_at: str | datetime | None = None,
    estimate_minutes: int | None = None,
    priority: int | None = None,
    parent_id: uuid.UUID | None = None,
    goal_id: uuid.UUID | None = None,
) -> Task:
    """Create a task. `due_at` may be ISO text in the user's zone; a date alone is "that day"."""
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("title is required", fields={"title": "required"})
    if status not in TASK_STATUSES:
        raise ValidationFailed("unknown status", fields={"status": f"one of {', '.join(TASK_STATUSES)}"})
    await _check_links(session, user, parent_id, goal_id)
    due, all_day = await _due(session, user, due_at)
    task = Task(
        title=title[:200],
        notes=notes,
        status=status,
        due_at=due,
        due_all_day=all_day,
        due_date=_day_of(due_at) if all_day else None,
        estimate_minutes=estimate_minutes,
        priority=priority or 2,
        parent_id=parent_id,
        goal_id=goal_id,
        completed_at=clock.now() if status == "done" else None,
    )
    return await _repo(session, user).add(task)


async def add_subtasks(session: AsyncSession, user: UserRef, parent: Task, titles: list[str]) -> list[Task]:
    """Break a task down: create one subtask per title, in order."""
    return [
        await create_task(session, user, title=t, parent_id=parent.id, goal_id=parent.goal_id)
        for t in titles
        if t.strip()
    ]


async def get_task(session: AsyncSession, user: UserRef, task_id: uuid.UUID | str) -> Task:
    return await _repo(session, user).get(task_id)


def _filters(
    status: str | None,
    due_from: datetime | None,
    due_to: datetime | None,
    goal_id: uuid.UUID | None,
    parent_id: uuid.UUID | None,
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if status == "open":
        where.append(Task.status != "done")
    elif status and status != "all":
        if status not in TASK_STATUSES:
            raise ValidationFailed("unknown status", fields={"status": "todo, doing, done, open or all"})
        where.append(Task.status == status)
    if due_from is not None:
        where.append(Task.due_at >= due_from)
    if due_to is not None:
        where.append(Task.due_at < due_to)
    if goal_id is not None:
        where.append(Task.goal_id == goal_id)
    if parent_id is not None:
        where.append(Task.parent_id == parent_id)
    return where


# `sort` of the REST list (TaskSort): undated tasks last whichever way dates run.
SORTS: dict[str, list[Any]] = {
    "due_at": OPEN_ORDER,
    "-due_at": [Task.due_at.is_(None), Task.due_at.desc(), Task.priority, Task.created_at],
    "priority": [Task.priority, Task.due_at.is_(None), Task.due_at, Task.created_at],
    "created_at": [Task.created_at],
    "-created_at": [Task.created_at.desc()],
    "title": [Task.title, Task.created_at],
}


async def list_tasks(
    session: AsyncSession,
    user: UserRef,
    *,
    status: str | None = None,
    due_from: datetime | None = None,
    due_to: datetime | None = None,
    goal_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
    limit: int | None = 50,
    offset: int = 0,
    sort: str | None = None,
) -> TaskListing:
    """Tasks matching the filters (status todo|doing|done|open|all; due window [from, to)),
    soonest due first, undated last (or by `sort`: a key of SORTS)."""
    where = _filters(status, due_from, due_to, goal_id, parent_id)
    repo = _repo(session, user)
    items = await repo.list(*where, order_by=SORTS.get(sort or "", OPEN_ORDER), limit=limit, offset=offset)
    return TaskListing(items, await repo.count(*where))


async def list_tasks_for_sms(
    session: AsyncSession, user: UserRef, *, status: str = "open", limit: int = 10, due_before: datetime | None = None
) -> TaskListing:
    """The list the user is shown by SMS; its order is stored so "done 2" means its 2nd item.
    `due_before` keeps the tasks due before that instant (overdue ones included)."""
    listing = await list_tasks(session, user, status=status, limit=limit, due_to=due_before)
    await remember_list(session, user_id_of(user), LIST_KIND, [t.id for t in listing.items])
    return listing


async def resolve_task_ref(session: AsyncSession, user: UserRef, ref: str, *, open_only: bool = True) -> Task:
    """A task from what the user typed: a number from the last list shown ("2", "#2") or words
    of its title ("passport"). Raises NotFound, or Ambiguous with the candidates."""
    text = (ref or "").strip().lstrip("#")
    repo = _repo(session, user)
    if text.isdigit():
        task_id = await id_from_last_list(session, user_id_of(user), LIST_KIND, int(text))
        task = await repo.find(task_id) if task_id else None
        if task is None:
            raise NotFound(f"task {text} of the last list")
        return task
    try:
        uuid.UUID(text)
    except ValueError:
        pass
    else:
        return await repo.get(text)
    pool = await repo.list(Task.status != "done") if open_only else await repo.list()
    found = best_matches(text, pool, key=lambda t: t.title, threshold=0.7)
    if not found:
        raise NotFound("task")
    if len(found) > 1:
        raise Ambiguous("task", found)
    return found[0]


async def find_open_by_title(session: AsyncSession, user: UserRef, title: str) -> Task | None:
    """The open task whose title is this one (case, spacing and plurals aside), if exactly one is."""
    wanted = " ".join(words(title, drop_stopwords=False))
    found = [t for t in await _repo(session, user).list(Task.status != "done")
             if " ".join(words(t.title, drop_stopwords=False)) == wanted]
    return found[0] if len(found) == 1 else None


async def complete_task(
    session: AsyncSession, user: UserRef, task: Task | uuid.UUID | str, *, close_steps: bool = False
) -> TaskCompletion:
    """Mark a task done (by object, id, or SMS reference). With `close_steps` its open steps (and
    their steps) are marked done with it; otherwise they are left alone but reported, with how
    many open tasks remain and which is next."""
    repo = _repo(session, user)
    if not isinstance(task, Task):
        task = await resolve_task_ref(session, user, str(task), open_only=False)
    now = clock.now()
    if task.status != "done":
        task.status = "done"
        task.completed_at = now
    closed: list[Task] = []
    if close_steps:
        pending = [task.id]
        while pending:  # breadth first; a step can have steps of its own
            for step in await repo.open_subtasks(pending.pop(0)):
                step.status, step.completed_at = "done", now
                closed.append(step)
                pending.append(step.id)
    await session.flush()
    subtasks = await repo.open_subtasks(task.id)
    open_tasks = await repo.open_tasks()
    return TaskCompletion(task, subtasks, closed, len(open_tasks), open_tasks[0] if open_tasks else None)


async def update_task(session: AsyncSession, user: UserRef, task_id: uuid.UUID | str, changes: dict[str, Any]) -> Task:
    """Apply a partial update (only the keys present in `changes`)."""
    task = await get_task(session, user, task_id)
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationFailed("title is required", fields={"title": "required"})
    if "status" in changes and changes["status"] not in TASK_STATUSES:
        raise ValidationFailed("unknown status", fields={"status": f"one of {', '.join(TASK_STATUSES)}"})
    await _check_links(session, user, changes.get("parent_id"), changes.get("goal_id"), task.id)
    if "due_at" in changes:
        value = changes.pop("due_at")
        task.due_at, task.due_all_day = await _due(session, user, value)
        task.due_date = _day_of(value) if task.due_all_day else None
    for key in ("title", "notes", "estimate_minutes", "priority", "parent_id", "goal_id"):
        if key in changes:
            setattr(task, key, changes[key] if key != "priority" else (changes[key] or 2))
    if "status" in changes and changes["status"] != task.status:
        task.status = changes["status"]
        task.completed_at = clock.now() if task.status == "done" else None
    await session.flush()
    return task


async def delete_task(session: AsyncSession, user: UserRef, task_id: uuid.UUID | str) -> None:
    """Delete a task (its subtasks go with it)."""
    repo = _repo(session, user)
    await repo.delete(await repo.get(task_id))
