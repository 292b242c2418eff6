"""Long-term memory: store (deduplicated), edit, forget, and recall.

Ranking (search_memories), the same for the API, the dashboard, the agent's context and its
recall tool:

1. Candidates. Full-text search (PostgreSQL tsvector / SQLite FTS5) for the question's words and
   their synonyms (memory/expand.py), re-scored by *coverage*: the share of the question's ideas
   a memory names (its own word 1, a synonym 0.75), with the index's rank as a tie-breaker. When
   a query vector is given (an embedding provider is configured: memory/embeddings.py), the
   nearest memories by cosine similarity, filtered by user_id first (pgvector HNSW on
   PostgreSQL with the extension, else an exact scan of that user's stored vectors).
2. Fusion. Reciprocal-rank fusion of the two lists: sum of 1/(RRF_K + rank) over the lists a
   memory is in, divided by the best possible sum, so relevance is 0..1 either way. Without
   vectors, relevance is the coverage score itself.
3. Then importance and recency: score = (0.6 relevance + 0.25 importance + 0.15 recency) x weight,
   recency halving every 30 days since last use, weight lowered by upkeep (memory/upkeep.py) for
   old unused low-importance items. A much more relevant memory always wins over a newer one.

Recall marks what it returns as used (last_used_at, use_count); the agent's context does not."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.db.models.memory import MEMORY_KINDS, Memory
from personal_assistant.memory import expand
from personal_assistant.memory.repository import MemoryRepository
from personal_assistant.planning.common import UserRef, similarity, user_id_of, words

SOURCES = ("sms", "web", "api", "agent")
# Score = relevance (0..1, relative to the best text match) weighted most, then importance and
# recency; a much more relevant memory always wins over a merely newer one.
W_RELEVANCE, W_IMPORTANCE, W_RECENCY = 0.6, 0.25, 0.15
RECENCY_HALF_LIFE_DAYS = 30.0
FALLBACK_POOL = 500


RRF_K = 60
MIN_VECTOR_SIMILARITY = 0.35
FORGET_THAT_WINDOW = timedelta(hours=24)
# "my locker is 112": the subject before is/are/=, whose new value replaces the old one.
_SUBJECT = re.compile(r"^(?P<s>[^.?!]{2,60}?)\s+(?:is|are|=|:|was|were)\s+(?P<v>.+)$", re.IGNORECASE)


@dataclass
class MemoryHit:
    memory: Memory
    score: float


@dataclass
class Stored:
    """What storing did: created a memory, updated one about the same subject (previous is its
    old content), or found the same thing already kept."""

    memory: Memory
    outcome: Literal["created", "updated", "unchanged"]
    previous: str | None = None


@dataclass
class Overview:
    total: int
    items: list[Memory] = field(default_factory=list)


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


def subject_key(content: str) -> str | None:
    """The stems of what a fact is about ("my gym locker is 112" -> "gym locker"), or None when
    it is not a "X is Y" statement."""
    match = _SUBJECT.match(content.strip())
    if match is None:
        return None
    stems = [expand.stem(w) for w in words(match.group("s").replace("'s", ""))]
    return " ".join(stems) or None


def _value(content: str) -> str:
    match = _SUBJECT.match(content.strip())
    return match.group("v") if match else ""


def replaces(old: str, new: str) -> bool:
    """Whether `new` is a new value for the same thing as `old`, not another fact about it: same
    subject, and both values are identifiers (digits) or both short ("Dr. Patel" for "Dr.
    Okafor"); "my bike is locked at the office" does not replace "my bike is a blue Trek"."""
    key = subject_key(new)
    if key is None or subject_key(old) != key:
        return False
    a, b = _value(old), _value(new)
    digits = bool(re.search(r"\d", a)) and bool(re.search(r"\d", b))
    short = len(a.split()) <= 4 and len(b.split()) <= 4
    return digits or short


def _same(a: str, b: str) -> bool:
    return " ".join(words(a, drop_stopwords=False)) == " ".join(words(b, drop_stopwords=False))


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
    turn_id: uuid.UUID | None = None,
    pinned: bool = False,
) -> Memory:
    """Store a memory (see store_memory); the memory kept."""
    stored = await store_memory(session, user, content=content, kind=kind, tags=tags, importance=importance,
                                source=source, expires_at=expires_at, turn_id=turn_id)
    if pinned and not stored.memory.pinned:
        stored.memory.pinned = True
        await session.flush()
    return stored.memory


async def store_memory(
    session: AsyncSession,
    user: UserRef,
    *,
    content: str,
    kind: str = "fact",
    tags: list[str] | None = None,
    importance: int = 3,
    source: str = "api",
    expires_at: datetime | None = None,
    turn_id: uuid.UUID | None = None,
) -> Stored:
    """Store a memory without duplicates: the same words again refresh the kept one; a new value
    for the same subject ("my locker is 118" after "my locker is 112") replaces the old value.
    The embedding is computed after the commit by the memory.embed job."""
    _check(kind, importance, content)
    if source not in SOURCES:
        raise ValidationFailed("unknown source", fields={"source": f"one of {', '.join(SOURCES)}"})
    repo = _repo(session, user)
    content = content.strip()
    key = subject_key(content)
    candidates = await repo.list(Memory.content == content)
    if not candidates:
        found = await repo.text_search(words(content)[:8], limit=20)
        if found:
            candidates = await repo.list(Memory.id.in_([mid for mid, _ in found]), _live())
    for same in candidates:
        if _same(same.content, content):
            same.importance = max(same.importance, importance)
            same.tags = _tags([*same.tags, *(tags or [])])
            same.updated_at = clock.now()
            await session.flush()
            return Stored(same, "unchanged")
    for same in candidates:
        if key is not None and not same.pinned and replaces(same.content, content):
            previous = same.content
            same.content = content
            same.importance = max(same.importance, importance)
            same.tags = _tags([*same.tags, *(tags or [])])
            same.kind = kind
            same.turn_id = turn_id or same.turn_id
            _needs_embedding(same)
            same.updated_at = clock.now()
            await session.flush()
            _schedule_embedding(session, user)
            return Stored(same, "updated", previous)
    memory = Memory(
        content=content,
        kind=kind,
        tags=_tags(tags),
        importance=importance,
        source=source,
        expires_at=clock.as_utc(expires_at) if expires_at else None,
        use_count=0,
        turn_id=turn_id,
    )
    added = await repo.add(memory)
    _schedule_embedding(session, user)
    return Stored(added, "created")


def _needs_embedding(memory: Memory) -> None:
    memory.embedding = None
    memory.embedding_model = None
    memory.embedded_at = None


def _schedule_embedding(session: AsyncSession, user: UserRef) -> None:
    """Embed this user's new or changed memories after the commit (never inside it)."""
    from personal_assistant.memory import embeddings

    if embeddings.enabled():
        from personal_assistant.workers.enqueue import defer, is_deferred

        user_id = str(user_id_of(user))
        if not is_deferred(session, "memory.embed", user_id=user_id):  # one job per commit and user
            defer(session, "memory.embed", user_id=user_id)


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
    """Edit a memory (content, kind, tags, importance, expiry, pinned)."""
    memory = await get_memory(session, user, memory_id)
    _check(changes.get("kind"), changes.get("importance"), changes.get("content") if "content" in changes else None)
    if changes.get("content") is not None and changes["content"].strip() != memory.content:
        memory.content = changes["content"].strip()
        _needs_embedding(memory)
        _schedule_embedding(session, user)
    if changes.get("kind") is not None:
        memory.kind = changes["kind"]
    if changes.get("importance") is not None:
        memory.importance = changes["importance"]
    if changes.get("tags") is not None:
        memory.tags = _tags(changes["tags"])
    if "expires_at" in changes:
        memory.expires_at = clock.as_utc(changes["expires_at"]) if changes["expires_at"] else None
    if changes.get("pinned") is not None:
        memory.pinned = bool(changes["pinned"])
    await session.flush()
    return memory


async def delete_memory(session: AsyncSession, user: UserRef, memory_id: uuid.UUID | str) -> None:
    """Forget a memory everywhere: the row holds its vector (and pgvector's embedding_vec); the
    SQLite full-text row goes with it by trigger, PostgreSQL's index is on the row itself."""
    repo = _repo(session, user)
    await repo.delete(await repo.get(memory_id))


async def forget_last(session: AsyncSession, user: UserRef) -> Memory | None:
    """"forget that": the memory stored, changed or recalled most recently (within a day)."""
    since = clock.now() - FORGET_THAT_WINDOW
    repo = _repo(session, user)
    recent = await repo.list(or_(Memory.updated_at >= since, Memory.last_used_at >= since))
    if not recent:
        return None
    latest = max(recent, key=lambda m: max(clock.as_utc(m.updated_at), clock.as_utc(m.last_used_at or m.updated_at)))
    await repo.delete(latest)
    return latest


async def forget_about(session: AsyncSession, user: UserRef, topic: str) -> list[Memory]:
    """"forget everything about X": every memory that names X (or a synonym of it) is deleted."""
    groups = expand.concepts(topic)
    if not groups:
        return []
    repo = _repo(session, user)
    found = await repo.text_search(expand.fts_terms(groups), limit=500)
    if not found:
        return []
    gone = [m for m in await repo.list(Memory.id.in_([mid for mid, _ in found]))
            if expand.coverage(groups, m.content) >= expand.SYNONYM_WEIGHT]
    for memory in gone:
        await repo.delete(memory)
    return gone


async def overview(session: AsyncSession, user: UserRef, *, limit: int = 5) -> Overview:
    """"what do you know about me": how many memories, and the ones that matter most (pinned,
    important, used) first."""
    repo = _repo(session, user)
    items = await repo.list(
        _live(),
        order_by=[Memory.pinned.desc(), Memory.importance.desc(), Memory.use_count.desc(), Memory.created_at.desc()],
        limit=limit,
    )
    return Overview(await repo.count(_live()), items)


def search_terms(query: str) -> list[str]:
    """The words worth searching for, with their synonyms: "what's my locker code?" ->
    ["locker", "code", "gym", "storage", ..., "pin", ...] (memory/expand.py)."""
    return expand.fts_terms(expand.concepts(query))


def _score(relevance: float, memory: Memory, now: datetime) -> float:
    last = max(clock.as_utc(memory.created_at), clock.as_utc(memory.last_used_at or memory.created_at))
    age_days = max(0.0, (now - last).total_seconds() / 86400)
    recency = math.exp(-math.log(2) * age_days / RECENCY_HALF_LIFE_DAYS)
    importance = (memory.importance - 1) / 4
    weight = memory.weight if memory.weight is not None else 1.0
    return (W_RELEVANCE * relevance + W_IMPORTANCE * importance + W_RECENCY * recency) * weight


def fuse(*ranked_lists: list[uuid.UUID]) -> dict[uuid.UUID, float]:
    """Reciprocal-rank fusion, scaled to 0..1 (1 = first in every list)."""
    best = sum(1.0 / (RRF_K + 1) for lst in ranked_lists if lst) or 1.0
    fused: dict[uuid.UUID, float] = {}
    for lst in ranked_lists:
        for rank, key in enumerate(lst, 1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank)
    return {key: value / best for key, value in fused.items()}


async def _text_relevance(
    repo: MemoryRepository, query: str, pool_size: int
) -> tuple[dict[uuid.UUID, float], dict[uuid.UUID, Memory]]:
    groups = expand.concepts(query)
    terms = expand.fts_terms(groups)
    ranked = await repo.text_search(terms, limit=pool_size)
    relevance: dict[uuid.UUID, float] = {}
    pool: dict[uuid.UUID, Memory] = {}
    if ranked:
        best = max(rank for _, rank in ranked) or 1.0
        rank_of = dict(ranked)
        for memory in await repo.list(Memory.id.in_(list(rank_of)), _live()):
            # The share of the question's ideas the memory names (synonyms count less), then
            # the index's own rank as a tie-breaker.
            cover = expand.coverage(groups, memory.content)
            if cover <= 0:
                continue  # a prefix of a short synonym ("sis" in "size"), not a match
            relevance[memory.id] = 0.85 * cover + 0.15 * max(rank_of[memory.id], 0.0) / best
            pool[memory.id] = memory
    if not pool:
        for memory in await repo.list(_live(), order_by=[Memory.created_at.desc()], limit=FALLBACK_POOL):
            sim = similarity(" ".join(terms[: len(groups)]) or query, memory.content)
            if sim >= 0.75:
                relevance[memory.id] = sim
                pool[memory.id] = memory
    return relevance, pool


async def search_memories(
    session: AsyncSession,
    user: UserRef,
    query: str,
    *,
    limit: int = 5,
    mark_used: bool = True,
    query_vector: list[float] | None = None,
) -> list[MemoryHit]:
    """Memories relevant to `query`, best first (the ranking in this module's docstring).
    `query_vector` (memory/embeddings.embed_query, computed before the transaction) adds the
    semantic list. If the full-text index finds nothing, a fuzzy word match catches typos.
    Marks the results used unless mark_used is False."""
    if not (query or "").strip():
        raise ValidationFailed("say what to look for", fields={"q": "required"})
    repo = _repo(session, user)
    pool_size = max(limit * 8, 40)
    relevance, pool = await _text_relevance(repo, query, pool_size)
    if query_vector is not None:
        from personal_assistant.memory import embeddings

        near = await repo.vector_search(query_vector, embeddings.model_name(), limit=pool_size)
        near = [(mid, sim) for mid, sim in near if sim >= MIN_VECTOR_SIMILARITY]
        missing = [mid for mid, _ in near if mid not in pool]
        if missing:
            pool.update({m.id: m for m in await repo.list(Memory.id.in_(missing), _live())})
        text_order = sorted(relevance, key=lambda mid: -relevance[mid])
        relevance = fuse(text_order, [mid for mid, _ in near if mid in pool])
    now = clock.now()
    hits = sorted(
        (MemoryHit(m, round(_score(relevance[m.id], m, now), 4)) for m in pool.values() if m.id in relevance),
        key=lambda h: (-h.score, h.memory.id),
    )[:limit]
    if mark_used:
        for hit in hits:
            hit.memory.last_used_at = now
            hit.memory.use_count = (hit.memory.use_count or 0) + 1
        await session.flush()
    return hits


async def hybrid_search(
    session: AsyncSession, user: UserRef, query: str, *, limit: int = 5, mark_used: bool = True
) -> tuple[list[MemoryHit], bool]:
    """search_memories with the question's vector when an embedding provider is configured:
    the session's open transaction is committed first (no transaction across the network call),
    then the search runs in a new one. (hits, whether vectors took part)."""
    from personal_assistant.memory import embeddings

    if not (query or "").strip():
        raise ValidationFailed("say what to look for", fields={"q": "required"})
    vector = None
    if embeddings.enabled():
        if session.in_transaction():
            await session.commit()
        vector = await embeddings.embed_query(query, user_id=user_id_of(user))
    hits = await search_memories(session, user, query, limit=limit, mark_used=mark_used, query_vector=vector)
    return hits, vector is not None


async def turn_texts(session: AsyncSession, user: UserRef, turn_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The user's own texts whose turns stored these memories (turn id = the inbound text's id)."""
    return await _repo(session, user).turn_texts(turn_ids)
