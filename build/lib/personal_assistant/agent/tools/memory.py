"""Memory tools: remember a fact, recall by meaning. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, registry
from personal_assistant.memory import service as memory
from personal_assistant.planning.common import utc_iso


@registry.tool(
    "remember",
    "Save something the user wants remembered (a fact, preference, event or note).",
    schemas.Remember,
    changes_data=True,
)
async def remember(ctx: ToolContext, args: schemas.Remember) -> dict[str, Any]:
    # The user said it (by SMS or web chat), so the channel is the source.
    source = ctx.channel if ctx.channel in memory.SOURCES else "agent"
    item = await memory.add_memory(ctx.session, ctx.user, content=args.content, kind=args.kind, tags=args.tags,
                                   source=source)
    return {"id": str(item.id), "content": item.content, "kind": item.kind}


@registry.tool(
    "recall",
    "Look up what the user asked you to remember (best match first).",
    schemas.Recall,
)
async def recall(ctx: ToolContext, args: schemas.Recall) -> dict[str, Any]:
    hits = await memory.search_memories(ctx.session, ctx.user, args.query, limit=5)
    return {"items": [{"content": h.memory.content, "kind": h.memory.kind, "created_at": utc_iso(h.memory.created_at)}
                      for h in hits]}
