"""Memories: what the assistant remembers about you. Search (the same ranking as the API and the
agent), add, edit, pin, delete, and the text each memory came from."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.errors import ValidationFailed
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
from personal_assistant.db.models import Memory, User
from personal_assistant.memory import service as memory

router = dashboard_router()

KINDS = [("fact", "Fact"), ("preference", "Preference"), ("event", "Event"), ("note", "Note")]
IMPORTANCE = [("1", "1 (minor)"), ("2", "2"), ("3", "3 (normal)"), ("4", "4"), ("5", "5 (very important)")]


def _fields(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    content = values.get("content", "")
    if not content:
        errors["content"] = "Write what to remember."
    fields: dict[str, Any] = {"content": content, "kind": values.get("kind") or "fact"}
    try:
        fields["importance"] = int(values.get("importance") or 3)
    except ValueError:
        errors["importance"] = "Pick 1 to 5."
    tags = [t.strip() for t in values.get("tags", "").split(",") if t.strip()]
    fields["tags"] = tags
    return fields, errors


async def _list_page(
    request: Request, session: AsyncSession, user: User, q: str, *, errors=None, values=None, status_code: int = 200
):
    q = (q or "").strip()
    if q:
        hits, _ = await memory.hybrid_search(session, user, q, limit=50, mark_used=False)
        items: list[Memory] = [h.memory for h in hits]
        total = len(items)
    else:
        items, total = await memory.list_memories(session, user, limit=200)
    turns = await memory.turn_texts(session, user, [m.turn_id for m in items if m.turn_id])
    return render(
        request,
        "memories.html",
        {
            "title": "Memories",
            "q": q,
            "items": items,
            "turns": turns,
            "total": total,
            "kinds": KINDS,
            "importance": IMPORTANCE,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/memories")
async def memories_page(request: Request, q: str = "", user: User = CurrentUser, session: AsyncSession = DB):
    """Everything the assistant remembers, newest first, or what matches a search."""
    return await _list_page(request, session, user, q)


@router.post("/memories")
async def add_memory(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Add something for the assistant to remember."""
    values = await form_data(request)
    fields, errors = _fields(values)
    if not errors:
        try:
            await memory.add_memory(session, user, source="web", **fields)
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(request, "/memories", "I’ll remember that.")
    await undo(session, user)
    return await _list_page(request, session, user, "", errors=errors, values=values, status_code=422)


async def _edit_page(request: Request, item: Memory, *, errors=None, values=None, status_code: int = 200):
    shown = values or {
        "content": item.content,
        "kind": item.kind,
        "importance": str(item.importance),
        "tags": ", ".join(item.tags or []),
    }
    return render(
        request,
        "memory_edit.html",
        {
            "title": "Edit memory",
            "item": item,
            "kinds": KINDS,
            "importance": IMPORTANCE,
            "errors": errors or {},
            "values": shown,
        },
        status_code=status_code,
    )


@router.get("/memories/{memory_id}")
async def edit_memory_page(request: Request, memory_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Edit one memory."""
    item = await memory.get_memory(session, user, parse_id(memory_id))
    return await _edit_page(request, item)


@router.post("/memories/{memory_id}")
async def update_memory(request: Request, memory_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Save the edit."""
    item = await memory.get_memory(session, user, parse_id(memory_id))
    values = await form_data(request)
    fields, errors = _fields(values)
    if not errors:
        try:
            await memory.update_memory(session, user, item.id, fields)
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(request, "/memories", "Memory updated.")
    await undo(session, user, item)
    return await _edit_page(request, item, errors=errors, values=values, status_code=422)


@router.post("/memories/{memory_id}/pin")
async def pin_memory(request: Request, memory_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Pin (or unpin) a memory: pinned ones are never merged, down-weighted or expired."""
    item = await memory.get_memory(session, user, parse_id(memory_id))
    await memory.update_memory(session, user, item.id, {"pinned": not item.pinned})
    return redirect(request, "/memories", "Pinned: kept as it is." if item.pinned else "Unpinned.")


@router.post("/memories/{memory_id}/delete")
async def delete_memory(request: Request, memory_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Forget a memory."""
    item = await memory.get_memory(session, user, parse_id(memory_id))
    await memory.delete_memory(session, user, item.id)
    return redirect(request, "/memories", "Forgotten.")
