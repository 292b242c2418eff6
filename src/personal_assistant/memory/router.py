"""REST for long-term memory: /api/v1/memories (+ /search?q=)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Response

from personal_assistant.core.pagination import Page
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.memory import service
from personal_assistant.memory.schemas import (
    MemoryCreate,
    MemoryHitOut,
    MemoryOut,
    MemorySearchOut,
    MemoryUpdate,
)

router = APIRouter(prefix="/api/v1/memories", tags=["memories"])


@router.get("", response_model=Page[MemoryOut])
async def list_memories(
    *,
    kind: str | None = Query(None, description="fact|preference|event|note"),
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[MemoryOut]:
    """What the assistant remembers about you, newest first."""
    items, total = await service.list_memories(
        session, principal.user_id, kind=kind, limit=page.limit, offset=page.offset
    )
    return Page[MemoryOut](
        items=[MemoryOut.model_validate(m) for m in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/search", response_model=MemorySearchOut)
async def search_memories(
    *,
    q: str = Query(..., min_length=1, max_length=500, description="words or a question"),
    limit: int = Query(5, ge=1, le=50),
    principal: PrincipalDep,
    session: SessionDep,
) -> MemorySearchOut:
    """Search memories by relevance (full-text with synonyms, fused with vector similarity when an
    embedding provider is configured), importance and recency ("what's my locker code?")."""
    hits, semantic = await service.hybrid_search(session, principal.user_id, q, limit=limit)
    return MemorySearchOut(
        query=q,
        items=[MemoryHitOut(memory=MemoryOut.model_validate(h.memory), score=h.score) for h in hits],
        semantic=semantic,
    )


@router.post("", response_model=MemoryOut, status_code=201)
async def create_memory(body: MemoryCreate, principal: PrincipalDep, session: SessionDep) -> MemoryOut:
    """Remember something."""
    memory = await service.add_memory(session, principal.user_id, source="api", **body.model_dump())
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
    memory = await service.update_memory(session, principal.user_id, memory_id, body.model_dump(exclude_unset=True))
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
