"""Memory tools: remember a fact, recall by meaning. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.core.errors import NotFound
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
    stored = await memory.store_memory(ctx.session, ctx.user, content=args.content, kind=args.kind, tags=args.tags,
                                       source=source, turn_id=ctx.turn_id)
    item = stored.memory
    # outcome "updated": a new value for the same subject replaced `previous` (the reply says so).
    return {"id": str(item.id), "content": item.content, "kind": item.kind, "outcome": stored.outcome,
            "previous": stored.previous}


@registry.tool(
    "recall",
    "Look up what the user asked you to remember (best match first).",
    schemas.Recall,
)
async def recall(ctx: ToolContext, args: schemas.Recall) -> dict[str, Any]:
    # With an embedding provider, the tool's (read-only, so far empty) transaction is committed
    # before the question is embedded, and the search runs in a new one.
    hits, _ = await memory.hybrid_search(ctx.session, ctx.user, args.query, limit=5)
    return {"items": [{"content": h.memory.content, "kind": h.memory.kind, "created_at": utc_iso(h.memory.created_at)}
                      for h in hits]}


@registry.tool(
    "forget_memory",
    "Delete a memory: by id, the one best matching the words given ('my locker code'), the last one "
    "('forget that': last=true), or every memory about a topic (everything_about).",
    schemas.ForgetMemory,
    changes_data=True,
)
async def forget_memory(ctx: ToolContext, args: schemas.ForgetMemory) -> dict[str, Any]:
    if args.everything_about:
        gone = await memory.forget_about(ctx.session, ctx.user, args.everything_about)
        return {"id": str(gone[0].id) if gone else None, "count": len(gone), "topic": args.everything_about,
                "contents": [m.content for m in gone[:5]]}
    if args.last:
        last = await memory.forget_last(ctx.session, ctx.user)
        if last is None:
            return {"id": None}
        return {"id": str(last.id), "content": last.content, "kind": last.kind}
    if args.memory_id:
        try:
            item = await memory.get_memory(ctx.session, ctx.user, args.memory_id)
        except NotFound:
            return {"id": None}
    else:
        hits = await memory.search_memories(ctx.session, ctx.user, args.query or "", limit=2, mark_used=False)
        if not hits:
            return {"id": None}
        if len(hits) > 1 and hits[1].score >= hits[0].score * 0.9:
            names = "; ".join(f"{i}) {h.memory.content[:40]}" for i, h in enumerate(hits, 1))
            raise ToolFailed(f"Which one should I forget? {names}")
        item = hits[0].memory
    out = {"id": str(item.id), "content": item.content, "kind": item.kind}
    await memory.delete_memory(ctx.session, ctx.user, item.id)
    return out


@registry.tool(
    "memory_overview",
    "What you remember about the user ('what do you know about me'): how many memories, the main ones.",
    schemas.MemoryOverview,
)
async def memory_overview(ctx: ToolContext, args: schemas.MemoryOverview) -> dict[str, Any]:
    found = await memory.overview(ctx.session, ctx.user, limit=args.limit)
    return {"total": found.total, "items": [{"content": m.content, "kind": m.kind, "pinned": m.pinned}
                                            for m in found.items]}
