"""Focus-session tools: start (time-box, optional mid-way check-in), end. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any, cast

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, registry
from personal_assistant.core.errors import NotFound
from personal_assistant.db.models.planning import Task
from personal_assistant.planning.common import Ambiguous, local_iso, utc_iso
from personal_assistant.planning.focus import service as focus
from personal_assistant.planning.tasks import service as tasks


@registry.tool(
    "start_focus",
    "Start a focus session of N minutes, optionally on a task, with an optional mid-way check-in text.",
    schemas.StartFocus,
    changes_data=True,
)
async def start_focus(ctx: ToolContext, args: schemas.StartFocus) -> dict[str, Any]:
    task = None
    if args.task_ref:
        try:
            task = await tasks.resolve_task_ref(ctx.session, ctx.user, args.task_ref)
        except Ambiguous as exc:
            task = cast(Task, exc.candidates[0])
        except NotFound:
            task = None  # focusing matters more than the link; the words still label the session
    label = args.label or (None if task else args.task_ref)
    session = await focus.start_focus(ctx.session, ctx.user, minutes=args.minutes, label=label, task=task,
                                      midway_checkin=args.midway_checkin)
    return {"id": str(session.id), "minutes": session.minutes, "label": session.label,
            "ends_at": utc_iso(session.ends_at), "local_end": local_iso(session.ends_at, ctx.timezone),
            "midway_checkin": session.midway_checkin}


@registry.tool(
    "end_focus",
    "End the running focus session (early is fine) and note how it went.",
    schemas.EndFocus,
    changes_data=True,
)
async def end_focus(ctx: ToolContext, args: schemas.EndFocus) -> dict[str, Any]:
    ended = await focus.end_focus(ctx.session, ctx.user, outcome=args.outcome)
    if ended.focus is None:
        return {"id": None}
    return {"id": str(ended.focus.id), "label": ended.focus.label, "minutes": ended.minutes_focused,
            "planned_minutes": ended.planned_minutes}
