"""Grocery tools: add many at once, show the list, check off by name, clear. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, registry
from personal_assistant.planning.groceries import service as groceries


@registry.tool(
    "add_groceries",
    "Add items to the grocery list (several at once, with optional quantities).",
    schemas.AddGroceries,
    changes_data=True,
)
async def add_groceries(ctx: ToolContext, args: schemas.AddGroceries) -> dict[str, Any]:
    entries = [{"name": e.name, "quantity": e.quantity} for e in args.items]
    result = await groceries.add_items(ctx.session, ctx.user, entries)
    return {"added": [i.name for i in result.added], "already": [i.name for i in result.merged],
            "total": result.unchecked}


@registry.tool("list_groceries", "Show the grocery list (items not yet checked off).", schemas.ListGroceries)
async def list_groceries(ctx: ToolContext, args: schemas.ListGroceries) -> dict[str, Any]:
    items, _ = await groceries.list_items(ctx.session, ctx.user, checked=False, for_sms=True)
    return {"items": [{"name": i.name, "quantity": i.quantity} for i in items]}


@registry.tool(
    "check_groceries",
    "Check items off the grocery list by name ('got the milk').",
    schemas.CheckGroceries,
    changes_data=True,
)
async def check_groceries(ctx: ToolContext, args: schemas.CheckGroceries) -> dict[str, Any]:
    result = await groceries.check_off(ctx.session, ctx.user, args.names)
    return {"checked": [i.name for i in result.checked], "not_found": [*result.not_found, *result.ambiguous],
            "remaining": result.remaining}


@registry.tool(
    "clear_groceries",
    "Remove the items already checked off from the grocery list.",
    schemas.ClearGroceries,
    changes_data=True,
)
async def clear_groceries(ctx: ToolContext, args: schemas.ClearGroceries) -> dict[str, Any]:
    return {"cleared": await groceries.clear_checked(ctx.session, ctx.user)}


@registry.tool(
    "remove_groceries",
    "Take items off the grocery list entirely (not checked off): the undo of an add, or a correction.",
    schemas.RemoveGroceries,
    changes_data=True,
)
async def remove_groceries(ctx: ToolContext, args: schemas.RemoveGroceries) -> dict[str, Any]:
    removed, missing = await groceries.remove_items(ctx.session, ctx.user, args.names)
    return {"removed": removed, "not_found": missing}
