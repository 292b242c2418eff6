"""Goal tools: add and list (with open task counts). Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.core.errors import NotFound
from personal_assistant.planning.goals import service as goals


@registry.tool(
    "add_goal",
    "Create a goal (tasks can belong to it), with an optional reason and target date.",
    schemas.AddGoal,
    changes_data=True,
)
async def add_goal(ctx: ToolContext, args: schemas.AddGoal) -> dict[str, Any]:
    goal = await goals.create_goal(ctx.session, ctx.user, title=args.title, why=args.why,
                                   target_date=args.target_date)
    return {"id": str(goal.id), "title": goal.title,
            "target_date": goal.target_date.isoformat() if goal.target_date else None}


@registry.tool("list_goals", "List the user's active goals, numbered, with their open tasks.", schemas.ListGoals)
async def list_goals(ctx: ToolContext, args: schemas.ListGoals) -> dict[str, Any]:
    progress, _ = await goals.list_goals(ctx.session, ctx.user, status="active", limit=20, for_sms=True)
    return {
        "items": [
            {"n": n, "id": str(p.goal.id), "title": p.goal.title,
             "target_date": p.goal.target_date.isoformat() if p.goal.target_date else None,
             "open_tasks": p.open_tasks}
            for n, p in enumerate(progress, start=1)
        ]
    }


@registry.tool(
    "delete_goal",
    "Delete a goal (by id): the undo of a goal just added. Its tasks stay.",
    schemas.DeleteGoal,
    changes_data=True,
)
async def delete_goal(ctx: ToolContext, args: schemas.DeleteGoal) -> dict[str, Any]:
    try:
        goal = await goals.get_goal(ctx.session, ctx.user, args.goal_id)
    except NotFound as exc:
        raise ToolFailed("I couldn't find that goal any more.") from exc
    out = {"id": str(goal.id), "title": goal.title}
    await goals.delete_goal(ctx.session, ctx.user, goal.id)
    return out
