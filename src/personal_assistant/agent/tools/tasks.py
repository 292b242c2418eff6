"""Task tools: add, list (numbered for "done 2"), complete, break down. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any, cast

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.core import clock
from personal_assistant.core.errors import NotFound
from personal_assistant.db.models.planning import Goal, Task
from personal_assistant.planning.common import Ambiguous, local_iso, remember_list, utc_iso
from personal_assistant.planning.goals import service as goals
from personal_assistant.planning.tasks import service as tasks


def _due(task: Task, tz: str) -> tuple[str | None, str | None]:
    """(due_at, local_due): an all-day due date is the local date alone."""
    if task.due_at is None:
        return None, None
    if task.due_all_day:
        day = clock.as_utc(task.due_at).astimezone(clock.zone(tz)).date().isoformat()
        return day, day
    return utc_iso(task.due_at), local_iso(task.due_at, tz)


def task_item(n: int, task: Task, tz: str) -> dict[str, Any]:
    due_at, local_due = _due(task, tz)
    return {"n": n, "id": str(task.id), "title": task.title, "status": task.status, "due_at": due_at,
            "local_due": local_due, "priority": task.priority}


def task_out(task: Task, tz: str, goal: Goal | None = None) -> dict[str, Any]:
    due_at, local_due = _due(task, tz)
    return {"id": str(task.id), "title": task.title, "due_at": due_at, "local_due": local_due,
            "estimate_minutes": task.estimate_minutes, "priority": task.priority, "status": task.status,
            "goal": goal.title if goal else None}


def _which_one(candidates: list[Task]) -> str:
    names = "; ".join(f"{i}) {t.title}" for i, t in enumerate(candidates[:5], start=1))
    return f"Which one? {names}"


@registry.tool(
    "add_task",
    "Add a task to the user's list, with an optional due date or time, estimate, priority and goal.",
    schemas.AddTask,
    changes_data=True,
)
async def add_task(ctx: ToolContext, args: schemas.AddTask) -> dict[str, Any]:
    goal = None
    if args.goal_ref:
        try:
            goal = await goals.resolve_goal_ref(ctx.session, ctx.user, args.goal_ref)
        except Ambiguous as exc:
            goal = cast(Goal, exc.candidates[0])
        except NotFound:
            goal = None  # the task matters more than the link: add it without a goal
    if args.reuse_open:
        # A check-in answer naming a task already on the list: give it the date, don't double it.
        existing = await tasks.find_open_by_title(ctx.session, ctx.user, args.title)
        if existing is not None:
            if args.due_at:
                existing = await tasks.update_task(ctx.session, ctx.user, existing.id, {"due_at": args.due_at})
            return {**task_out(existing, ctx.timezone), "existing": True}
    task = await tasks.create_task(
        ctx.session,
        ctx.user,
        title=args.title,
        notes=args.notes,
        due_at=args.due_at,
        estimate_minutes=args.estimate_minutes,
        priority=args.priority,
        goal_id=goal.id if goal else None,
    )
    return {**task_out(task, ctx.timezone, goal), "existing": False}


@registry.tool("list_tasks", "List the user's tasks (open by default), numbered, soonest due first.", schemas.ListTasks)
async def list_tasks(ctx: ToolContext, args: schemas.ListTasks) -> dict[str, Any]:
    from personal_assistant.agent.tools.reminders import day_end

    before = day_end(ctx, args.due) if args.due else None
    listing = await tasks.list_tasks_for_sms(ctx.session, ctx.user, status=args.status, limit=args.limit,
                                             due_before=before)
    return {"items": [task_item(n, t, ctx.timezone) for n, t in enumerate(listing.items, start=1)],
            "total": listing.total}


@registry.tool(
    "complete_task",
    "Mark a task done, by its number in the last list shown ('2') or words of its title.",
    schemas.CompleteTask,
    changes_data=True,
)
async def complete_task(ctx: ToolContext, args: schemas.CompleteTask) -> dict[str, Any]:
    try:
        done = await tasks.complete_task(ctx.session, ctx.user, args.ref)
    except Ambiguous as exc:
        candidates = cast(list[Task], exc.candidates)
        await remember_list(ctx.session, ctx.user_id, tasks.LIST_KIND, [t.id for t in candidates])
        raise ToolFailed(_which_one(candidates)) from exc
    except NotFound as exc:
        ref = args.ref.strip().lstrip("#")
        if ref.isdigit():
            raise ToolFailed(f"There's no task {ref} on your last list. Text 'list' to see it again.") from exc
        raise ToolFailed(f"No open task matches '{args.ref}'.") from exc
    return {
        "id": str(done.task.id),
        "title": done.task.title,
        "open_subtasks": [t.title for t in done.open_subtasks],
        "remaining": done.remaining,
        "next_title": done.next_task.title if done.next_task else None,
    }


@registry.tool(
    "break_down_task",
    "Break a task the user feels stuck on into tiny, concrete first steps (saved as subtasks).",
    schemas.BreakDownTask,
    changes_data=True,
)
async def break_down_task(ctx: ToolContext, args: schemas.BreakDownTask) -> dict[str, Any]:
    try:
        parent = await tasks.resolve_task_ref(ctx.session, ctx.user, args.title)
    except Ambiguous as exc:
        parent = cast(Task, exc.candidates[0])
    except NotFound:
        parent = await tasks.create_task(ctx.session, ctx.user, title=args.title)
    subtasks = await tasks.add_subtasks(ctx.session, ctx.user, parent, args.steps)
    return {"id": str(parent.id), "title": parent.title, "steps": [t.title for t in subtasks]}


async def _task_by(ctx: ToolContext, task_id: str | None, ref: str | None) -> Task:
    try:
        if task_id:
            return await tasks.get_task(ctx.session, ctx.user, task_id)
        return await tasks.resolve_task_ref(ctx.session, ctx.user, ref or "", open_only=False)
    except Ambiguous as exc:
        candidates = cast(list[Task], exc.candidates)
        await remember_list(ctx.session, ctx.user_id, tasks.LIST_KIND, [t.id for t in candidates])
        raise ToolFailed(_which_one(candidates)) from exc
    except NotFound as exc:
        raise ToolFailed(f"No task matches '{ref}'." if ref else "I couldn't find that task any more.") from exc


@registry.tool(
    "update_task",
    "Change a task's title, due date, status or priority (by id, list number or words of its title).",
    schemas.UpdateTask,
    changes_data=True,
)
async def update_task(ctx: ToolContext, args: schemas.UpdateTask) -> dict[str, Any]:
    task = await _task_by(ctx, args.task_id, args.ref)
    given = args.model_dump(exclude_none=True, exclude={"task_id", "ref"})
    previous = {"title": task.title, "status": task.status, "priority": task.priority,
                "due_at": _due(task, ctx.timezone)[0]}
    changes = {k: (v or None) if k == "due_at" else v for k, v in given.items()}
    task = await tasks.update_task(ctx.session, ctx.user, task.id, dict(changes))
    return {**task_out(task, ctx.timezone), "changed": sorted(changes),
            "previous": {k: previous[k] for k in changes if k in previous}}


@registry.tool(
    "delete_task",
    "Delete a task (by id, list number or words of its title); its subtasks go with it.",
    schemas.DeleteTask,
    changes_data=True,
)
async def delete_task(ctx: ToolContext, args: schemas.DeleteTask) -> dict[str, Any]:
    if not args.task_id and not args.ref:
        raise ToolFailed("Which task? Text 'list' and then 'delete 2'.")
    task = await _task_by(ctx, args.task_id, args.ref)
    out = {"id": str(task.id), "title": task.title}
    await tasks.delete_task(ctx.session, ctx.user, task.id)
    return out
