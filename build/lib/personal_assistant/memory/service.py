"""Long-term memory: store, edit, and recall by full-text relevance combined with recency and
importance. Recall marks what it returns as used (last_used_at, use_count)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.db.models.memory import MEMORY_KINDS, Memory
from personal_assistant.memory.repository import MemoryRepository
from personal_assistant.planning.common import UserRef, similarity, user_id_of, words

SOURCES = ("sms", "web", "api", "agent")
# Score = relevance (0..1, relative to the best text match) weighted most, then importance and
# recency; a much more relevant memory always wins over a merely newer one.
W_RELEVANCE, W_IMPORTANCE, W_RECENCY = 0.6, 0.25, 0.15
RECENCY_HALF_LIFE_DAYS = 30.0
MAX_TERMS = 12
FALLBACK_POOL = 500


@dataclass
class MemoryHit:
    memory: Memory
    score: float


def _repo(session: AsyncSession, user: UserRef) -> MemoryRepository:
    return MemoryRepository(session, user_id_of(user))


def _tags(tags: list[str] | None) -> list[str]:
    clean = []
    for tag in tags or []:
        t = str(tag).strip().lower()[:40]
        if t and t not in clean:
            clean.append(t)
    return clean[:20]


def _check(kind: str | None, importance: int | None, content: str | None) -> None:
    if content is not None and not content.strip():
        raise ValidationFailed("content is required", fields={"content": "required"})
    if content is not None and len(content) > 2000:
        raise ValidationFailed("content is too long", fields={"content": "at most 2000 characters"})
    if kind is not None and kind not in MEMORY_KINDS:
        raise ValidationFailed("unknown kind", fields={"kind": f"one of {', '.join(MEMORY_KINDS)}"})
    if importance is not None and not 1 <= importance <= 5:
        raise ValidationFailed("importance is 1 to 5", fields={"importance": "1 to 5"})


async def add_memory(
    session: AsyncSession,
    user: UserRef,
    *,
    content: str,
    kind: str = "fact",
    tags: list[str] | None = None,
    importance: int = 3,
    source: str = "api",
    expires_at: datetime | None = None,
) -> Memory:
    """Store a memory. Saying the same thing again refreshes the existing one instead of
    storing a duplicate."""
    _check(kind, importance, content)
    if source not in SOURCES:
        raise ValidationFailed("unknown source", fields={"source": f"one of {', '.join(SOURCES)}"})
    repo = _repo(session, user)
    content = content.strip()
    for same in await repo.list(Memory.content == content):
        same.importance = max(same.importance, importance)
        same.tags = _tags([*same.tags, *(tags or [])])
        same.updated_at = clock.now()
        await session.flush()
        return same
    memory = Memory(
        content=content,
        kind=kind,
        tags=_tags(tags),
        importance=importance,
        source=source,
        expires_at=clock.as_utc(expires_at) if expires_at else None,
        use_count=0,
    )
    return await repo.add(memory)


def _live():
    return or_(Memory.expires_at.is_(None), Memory.expires_at > clock.now())


async def list_memories(
    session: AsyncSession, user: UserRef, *, kind: str | None = None, limit: int | None = 50, offset: int = 0
) -> tuple[list[Memory], int]:
    """Memories, newest first (expired ones hidden)."""
    _check(kind, None, None)
    where = [_live()]
    if kind:
        where.append(Memory.kind == kind)
    repo = _repo(session, user)
    return await repo.list(*where, order_by=[Memory.created_at.desc()], limit=limit, offset=offset), await repo.count(
        *where
    )


async def get_memory(session: AsyncSession, user: UserRef, memory_id: uuid.UUID | str) -> Memory:
    return await _repo(session, user).get(memory_id)


async def update_memory(
    session: AsyncSession, user: UserRef, memory_id: uuid.UUID | str, changes: dict[str, Any]
) -> Memory:
    """Edit a memory (content, kind, tags, importance, expiry)."""
    memory = await get_memory(session, user, memory_id)
    _check(changes.get("kind"), changes.get("importance"), changes.get("content") if "content" in changes else None)
    if changes.get("content") is not None:
        memory.content = changes["content"].strip()
    if changes.get("kind") is not None:
        memory.kind = changes["kind"]
    if changes.get("importance") is not None:
        memory.importance = changes["importance"]
    if changes.get("tags") is not None:
        memory.tags = _tags(changes["tags"])
    if "expires_at" in changes:
        memory.expires_at = clock.as_utc(changes["expires_at"]) if changes["expires_at"] else None
    await session.flush()
    return memory


async def delete_memory(session: AsyncSession, user: UserRef, memory_id: uuid.UUID | str) -> None:
    repo = _repo(session, user)
    await repo.delete(await repo.get(memory_id))


def search_terms(query: str) -> list[str]:
    """The words worth searching for: "what's my locker code?" -> ["locker", "code"]."""
    seen: list[str] = []
    for word in words(query):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def _score(relevance: float, memory: Memory, now: datetime) -> float:
    last = max(clock.as_utc(memory.created_at), clock.as_utc(memory.last_used_at or memory.created_at))
    age_days = max(0.0, (now - last).total_seconds() / 86400)
    recency = math.exp(-math.log(2) * age_days / RECENCY_HALF_LIFE_DAYS)
    importance = (memory.importance - 1) / 4
    return W_RELEVANCE * relevance + W_IMPORTANCE * importance + W_RECENCY * recency


async def search_memories(
    session: AsyncSession, user: UserRef, query: str, *, limit: int = 5, mark_used: bool = True
) -> list[MemoryHit]:
    """Memories relevant to `query`, best first: full-text relevance (question words and
    stopwords removed, stems and prefixes matched) combined with importance and recency. If the
    full-text index finds nothing, a fuzzy word match catches typos. Marks the results used."""
    if not (query or "").strip():
        raise ValidationFailed("say what to look for", fields={"q": "required"})
    repo = _repo(session, user)
    terms = search_terms(query)
    ranked = await repo.text_search(terms, limit=max(limit * 4, 20))
    now = clock.now()
    relevance: dict[uuid.UUID, float] = {}
    if ranked:
        best = max(rank for _, rank in ranked) or 1.0
        relevance = {mid: max(rank, 0.0) / best for mid, rank in ranked}
        pool = await repo.list(Memory.id.in_(list(relevance)), _live())
    else:
        pool = []
        for memory in await repo.list(_live(), order_by=[Memory.created_at.desc()], limit=FALLBACK_POOL):
            sim = similarity(" ".join(terms) or query, memory.content)
            if sim >= 0.75:
                relevance[memory.id] = sim
                pool.append(memory)
    hits = sorted(
        (MemoryHit(m, round(_score(relevance[m.id], m, now), 4)) for m in pool), key=lambda h: (-h.score, h.memory.id)
    )[:limit]
    if mark_used:
        for hit in hits:
            hit.memory.last_used_at = now
            hit.memory.use_count = (hit.memory.use_count or 0) + 1
        await session.flush()
    return hits
