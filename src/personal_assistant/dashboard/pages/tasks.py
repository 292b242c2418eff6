"""Tasks: add, edit, complete, subtasks.

Steps stay nested under their task everywhere: a step whose task is already done is shown under
that task (marked done) rather than as a task of its own. Marking a task done while it has open
steps asks first: close the steps with it (the usual case), or keep them open.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.dashboard.pages.common import goal_options
from personal_assistant.dashboard.web import (
    DB,
    CurrentUser,
    dashboard_router,
    field_errors,
    form_data,
    parse_id,
    redirect,
    render,
    undo,
)
from personal_assistant.db.models import Task, User
from personal_assistant.planning.tasks import service as tasks

router = dashboard_router()

SHOW = {"open": "To do", "done": "Done", "all": "Everything"}
PRIORITIES = [("1", "High"), ("2", "Normal"), ("3", "Low")]
STATUSES = [("todo", "To do"), ("doing", "Doing"), ("done", "Done")]


def _int_field(values: dict[str, str], name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    raw = values.get(name, "")
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        errors[name] = "Enter a whole number."
        return None
    if not low <= number <= high:
        errors[name] = f"Enter a number from {low} to {high}."
        return None
    return number


def _due_value(values: dict[str, str], errors: dict[str, str]) -> str | None:
    """The form's day and optional time as the service takes them: "2031-03-04" (that day, no
    time: "by Friday") or "2031-03-04T18:30", both in the user's zone."""
    day, at = values.get("due_date", ""), values.get("due_time", "")
    if at and not day:
        errors["due_date"] = "Pick the day too."
        return None
    if not day:
        return None
    return f"{day}T{at}" if at else day


def _task_fields(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Form strings -> service arguments, with errors named after the form's fields."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {
        "title": values.get("title", ""),
        "notes": values.get("notes") or None,
        "due_at": _due_value(values, errors),
        "estimate_minutes": _int_field(values, "estimate_minutes", 1, 24 * 60, errors),
        "priority": _int_field(values, "priority", 1, 3, errors) or 2,
    }
    if not fields["title"]:
        errors["title"] = "Give the task a short name."
    elif len(fields["title"]) > 200:
        errors["title"] = "Keep it under 200 characters."
    goal = values.get("goal_id")
    fields["goal_id"] = None
    if goal:
        try:
            fields["goal_id"] = uuid.UUID(goal)
        except ValueError:
            errors["goal_id"] = "Pick a goal from the list."
    if "status" in values:
        fields["status"] = values["status"]
    return fields, errors


@dataclass
class TaskNode:
    """A task as the list shows it, with its steps under it. `context` marks a task shown only
    because steps of it are in this view (a done task in the To do list, say)."""

    task: Task
    children: list[TaskNode] = field(default_factory=list)
    context: bool = False


async def nest(session: AsyncSession, user: User, items: list[Task], *, max_depth: int = 5) -> list[TaskNode]:
    """Top-level tasks with their steps (and theirs), in the listing's order. A step whose task
    is not in `items` is shown under that task, fetched as context, never on its own."""
    by_id: dict[uuid.UUID, Task] = {t.id: t for t in items}
    context: list[Task] = []
    missing = {t.parent_id for t in items if t.parent_id and t.parent_id not in by_id}
    for _ in range(max_depth):
        if not missing:
            break
        found = []
        for parent_id in missing:
            try:
                parent = await tasks.get_task(session, user, parent_id)
            except NotFound:  # deleted meanwhile: the step stands alone
                continue
            by_id[parent.id] = parent
            context.append(parent)
            found.append(parent)
        missing = {p.parent_id for p in found if p.parent_id and p.parent_id not in by_id}
    ordered = items + context
    context_ids = {t.id for t in context}
    children: dict[uuid.UUID, list[Task]] = {}
    roots: list[Task] = []
    for task in ordered:
        if task.parent_id in by_id and task.parent_id != task.id:
            children.setdefault(task.parent_id, []).append(task)  # type: ignore[arg-type]
        else:
            roots.append(task)
    seen: set[uuid.UUID] = set()

    def build(task: Task) -> TaskNode:
        seen.add(task.id)
        kids = [build(c) for c in children.get(task.id, []) if c.id not in seen]
        return TaskNode(task, kids, task.id in context_ids)

    # Roots in the order their first shown descendant appears (a context parent sits where its
    # step would have been).
    def root_of(task: Task) -> Task:
        hops = 0
        while task.parent_id in by_id and hops < 50:
            task = by_id[task.parent_id]  # type: ignore[index]
            hops += 1
        return task

    order: list[Task] = []
    for task in items:
        root = root_of(task)
        if root not in order:
            order.append(root)
    order += [r for r in roots if r not in order]
    return [build(r) for r in order if r.id not in seen]


async def _list_page(
    request: Request,
    session: AsyncSession,
    user: User,
    show: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
):
    show = show if show in SHOW else "open"
    listing = await tasks.list_tasks(session, user, status=show, limit=300)
    return render(
        request,
        "tasks.html",
        {
            "title": "Tasks",
            "show": show,
            "show_options": SHOW,
            "nodes": await nest(session, user, listing.items),
            "total": listing.total,
            "goals": await goal_options(session, user),
            "priorities": PRIORITIES,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/tasks")
async def tasks_page(request: Request, show: str = "open", user: User = CurrentUser, session: AsyncSession = DB):
    """Open tasks, soonest first, with their subtasks."""
    return await _list_page(request, session, user, show)


@router.post("/tasks")
async def add_task(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Add a task from the form at the top of the tasks page."""
    values = await form_data(request)
    fields, errors = _task_fields(values)
    if not errors:
        try:
            task = await tasks.create_task(session, user, **fields)
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(request, "/tasks", f"Added “{task.title}”.")
    return await _list_page(request, session, user, "open", errors=errors, values=values, status_code=422)


async def _edit_page(
    request: Request,
    session: AsyncSession,
    user: User,
    task: Task,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
):
    subtasks = await tasks.list_tasks(session, user, status="all", parent_id=task.id, limit=200)
    parent = await tasks.get_task(session, user, task.parent_id) if task.parent_id else None
    return render(
        request,
        "task_edit.html",
        {
            "title": f"Edit: {task.title}",
            "task": task,
            "parent": parent,
            "subtasks": subtasks.items,
            "goals": await goal_options(session, user),
            "priorities": PRIORITIES,
            "statuses": STATUSES,
            "errors": errors or {},
            "values": values,
        },
        status_code=status_code,
    )


@router.get("/tasks/{task_id}")
async def edit_task_page(request: Request, task_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """One task: edit it, break it into steps, or delete it."""
    task = await tasks.get_task(session, user, parse_id(task_id))
    return await _edit_page(request, session, user, task)


@router.post("/tasks/{task_id}")
async def update_task(request: Request, task_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Save the edit form."""
    task = await tasks.get_task(session, user, parse_id(task_id))
    values = await form_data(request)
    fields, errors = _task_fields(values)
    if not errors:
        try:
            await tasks.update_task(session, user, task.id, fields)
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(request, f"/tasks/{task.id}", "Saved.")
    await undo(session, user, task)
    return await _edit_page(request, session, user, task, errors=errors, values=values, status_code=422)


def _back(values: dict[str, str]) -> str:
    back = values.get("back", "")
    return back if back in ("/", "/tasks") or back.startswith("/tasks/") else "/tasks"


@router.post("/tasks/{task_id}/complete")
async def complete_task(request: Request, task_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Mark a task done. If it still has open steps, ask first whether they are done too."""
    task = await tasks.get_task(session, user, parse_id(task_id))
    values = await form_data(request)
    back = _back(values)
    choice = values.get("steps")
    if choice not in ("close", "keep"):
        open_steps = await tasks.list_tasks(session, user, status="open", parent_id=task.id, limit=50)
        if open_steps.items and task.status != "done":
            return render(
                request,
                "task_done_confirm.html",
                {"title": f"Done: {task.title}?", "task": task, "steps": open_steps.items, "back": back},
            )
    done = await tasks.complete_task(session, user, task, close_steps=choice == "close")
    message = f"Nice, “{done.task.title}” is done."
    if done.closed_steps:
        count = len(done.closed_steps)
        message = f"Nice, “{done.task.title}” and its {count} open step{'s' if count != 1 else ''} are done."
    elif done.open_subtasks:
        count = len(done.open_subtasks)
        message += f" Its {count} open step{'s stay' if count != 1 else ' stays'} on your list."
    return redirect(request, back, message)


@router.post("/tasks/{task_id}/reopen")
async def reopen_task(request: Request, task_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Put a done task back on the list."""
    task = await tasks.get_task(session, user, parse_id(task_id))
    await tasks.update_task(session, user, task.id, {"status": "todo"})
    return redirect(request, "/tasks?show=done", f"“{task.title}” is back on your list.")


@router.post("/tasks/{task_id}/subtasks")
async def add_subtask(request: Request, task_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Add a small first step under a task."""
    parent = await tasks.get_task(session, user, parse_id(task_id))
    values = await form_data(request)
    title = values.get("title", "")
    back = f"/tasks/{parent.id}" if values.get("back") == "edit" else "/tasks"
    if not title:
        if back == "/tasks":
            return redirect(request, back, "To add a step, type what it is first.")
        return await _edit_page(
            request, session, user, parent, errors={"subtask_title": "Type the step first."}, status_code=422
        )
    await tasks.add_subtasks(session, user, parent, [title[:200]])
    return redirect(request, back, f"Added a step to “{parent.title}”.")


@router.post("/tasks/{task_id}/delete")
async def delete_task(request: Request, task_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Delete a task and its steps."""
    task = await tasks.get_task(session, user, parse_id(task_id))
    title = task.title
    await tasks.delete_task(session, user, task.id)
    return redirect(request, "/tasks", f"Deleted “{title}”.")
