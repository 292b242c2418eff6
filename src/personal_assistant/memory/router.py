"""REST for long-term memory: /api/v1/memories (+ /search?q=)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.pagination import Page, PageParams
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.memory import service
from personal_assistant.memory.schemas import (
    MemoryCreate,
    MemoryHitOut,
    MemoryKind,
    MemoryOut,
    MemoryUpdate,
)
from personal_assistant.planning.common import load_user, parse_when

router = APIRouter(prefix="/api/v1/memories", tags=["memories"])
SEARCH_MAX_OFFSET = 450  # a search ranks its best few hundred hits at most


async def _local_times(session: AsyncSession, user_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    """The API's time rule: a time without an offset is the user's local time (as for tasks and
    reminders), not UTC."""
    if data.get("expires_at") is not None:
        data["expires_at"] = parse_when(data["expires_at"], (await load_user(session, user_id)).timezone,
                                        field="expires_at")
    return data


@router.get("", response_model=Page[MemoryOut])
async def list_memories(
    *,
    kind: MemoryKind | None = None,
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[MemoryOut]:
    """What the assistant remembers about you, newest first."""
    items, total = await service.list_memories(
        session, principal.user_id, kind=kind, limit=page.limit, offset=page.offset
    )
    return Page[MemoryOut].of([MemoryOut.model_validate(m) for m in items], total, page)


@router.get("/search", response_model=Page[MemoryHitOut])
async def search_memories(
    *,
    request: Request,
    q: str = Query(..., min_length=1, max_length=500, description="words or a question"),
    limit: int = Query(5, ge=1, le=50, description="hits per page"),
    offset: int = Query(0, ge=0, le=SEARCH_MAX_OFFSET, description="hits to skip"),
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[MemoryHitOut]:
    """Search memories by relevance (full-text with synonyms, fused with vector similarity when an
    embedding provider is configured), importance and recency ("what's my locker code?"), best
    first. `total` is null: a search ranks, it does not count."""
    hits, semantic = await service.hybrid_search(session, principal.user_id, q, limit=offset + limit)
    window = [
        MemoryHitOut(memory=MemoryOut.model_validate(h.memory), score=h.score, semantic=semantic)
        for h in hits[offset:]
    ]
    others = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]
    page = PageParams(limit=limit, offset=offset, path=request.url.path, query=others)
    return Page[MemoryHitOut].of(window, None, page)


@router.post("", response_model=MemoryOut, status_code=201)
async def create_memory(body: MemoryCreate, principal: PrincipalDep, session: SessionDep) -> MemoryOut:
    """Remember something."""
    data = await _local_times(session, principal.user_id, body.model_dump())
    memory = await service.add_memory(session, principal.user_id, source="api", **data)
    return MemoryOut.model_validate(memory)


@router.get("/{memory_id}", response_model=MemoryOut)
async def get_memory(
    memory_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> MemoryOut:
    """Read one memory."""
    return MemoryOut.model_validate(await service.get_memory(session, principal.user_id, memory_id))


@router.patch("/{memory_id}", response_model=MemoryOut)
async def update_memory(
    memory_id: uuid.UUID,
    body: MemoryUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> MemoryOut:
    """Edit a memory."""
    changes = await _local_times(session, principal.user_id, body.model_dump(exclude_unset=True))
    memory = await service.update_memory(session, principal.user_id, memory_id, changes)
    return MemoryOut.model_validate(memory)


@router.delete("/{memory_id}", status_code=204)
async def delete_memory(
    memory_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> Response:
    """Forget a memory."""
    await service.delete_memory(session, principal.user_id, memory_id)
    return Response(status_code=204)
