"""Memory queries (scoped to one user), including full-text search on both backends:
PostgreSQL ts_rank over the stored tsvector memories.content_tsv (GIN ix_memories_tsv, migration
0008), SQLite FTS5 (memories_fts, bm25, migration 0002). Vector search (migration 0008): pgvector's
HNSW index on memories.embedding_vec where the extension is installed, else an exact cosine scan
of the user's own stored vectors (JSON). Every vector query filters by user_id first."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models.memory import Memory
from personal_assistant.db.repository import ScopedRepository

# content_tsv: the stored tsvector (migration 0008). The user's rows first (a MATERIALIZED CTE on
# the user_id index), then the match: a many-term OR query looks unselective to the planner, which
# otherwise scans the GIN index over every user's rows (250 ms at 1M rows, 100 of them the user's).
_PG_SEARCH = text(
    """
    WITH mine AS MATERIALIZED (SELECT id, content_tsv FROM memories WHERE user_id = :user_id)
    SELECT id, ts_rank(content_tsv, query) AS rank
    FROM mine, to_tsquery('english', :query) AS query
    WHERE content_tsv @@ query
    ORDER BY rank DESC
    LIMIT :limit
    """
)
_SQLITE_SEARCH = text(
    """
    SELECT m.id, -bm25(memories_fts) AS rank
    FROM memories_fts JOIN memories AS m ON m.id = memories_fts.memory_id
    WHERE memories_fts MATCH :query AND m.user_id = :user_id
    ORDER BY rank DESC
    LIMIT :limit
    """
)


# pgvector: cosine distance over the HNSW index, the user's rows only. The iterative scan keeps
# HNSW returning enough rows after the user_id filter (pgvector 0.8, ignored where unknown).
_PG_VECTOR = text(
    """
    SELECT id, 1 - (embedding_vec <=> CAST(:vector AS vector)) AS similarity
    FROM memories
    WHERE user_id = :user_id AND embedding_vec IS NOT NULL AND embedding_model = :model
    ORDER BY embedding_vec <=> CAST(:vector AS vector)
    LIMIT :limit
    """
)
_HAS_PGVECTOR: dict[str, bool] = {}


async def has_pgvector(session: AsyncSession) -> bool:
    """Whether memories.embedding_vec exists (migration 0008 made it when pgvector was there)."""
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":
        return False
    key = str(getattr(bind, "url", "") or id(bind))
    if key not in _HAS_PGVECTOR:
        row = (
            await session.execute(
                text(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = 'memories' "
                    "AND column_name = 'embedding_vec' AND table_schema = current_schema()"
                )
            )
        ).first()
        _HAS_PGVECTOR[key] = row is not None
    return _HAS_PGVECTOR[key]


def vector_literal(vector: Sequence[float]) -> str:
    return "[" + ",".join(f"{v:.7g}" for v in vector) + "]"


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Both are normalised when stored, so the dot product is the cosine (guarded anyway)."""
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


class MemoryRepository(ScopedRepository[Memory]):
    model = Memory
    label = "memory"

    async def text_search(self, terms: list[str], limit: int) -> list[tuple[uuid.UUID, float]]:
        """(memory id, relevance > 0) for memories matching any term (prefix match), best first.
        `terms` must be plain alphanumeric words (the service makes sure)."""
        if not terms:
            return []
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        if dialect == "postgresql":
            stmt = _PG_SEARCH
            query = " | ".join(f"{t}:*" for t in terms)
            user_id: object = self.user_id
        else:
            stmt = _SQLITE_SEARCH
            query = " OR ".join(f'"{t}"*' for t in terms)
            user_id = self.user_id.hex  # how the Uuid type stores ids on SQLite
        rows = (await self.session.execute(stmt, {"query": query, "user_id": user_id, "limit": limit})).all()
        out = []
        for raw_id, rank in rows:
            key = raw_id if isinstance(raw_id, uuid.UUID) else uuid.UUID(str(raw_id))
            out.append((key, float(rank or 0.0)))
        return out

    async def vector_search(self, vector: list[float], model: str, limit: int) -> list[tuple[uuid.UUID, float]]:
        """(memory id, cosine similarity) of this user's memories embedded by `model`, nearest first."""
        if await has_pgvector(self.session):
            await self.session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
            rows = (
                await self.session.execute(
                    _PG_VECTOR,
                    {"vector": vector_literal(vector), "user_id": self.user_id, "model": model, "limit": limit},
                )
            ).all()
            return [(r[0] if isinstance(r[0], uuid.UUID) else uuid.UUID(str(r[0])), float(r[1])) for r in rows]
        stmt = select(Memory.id, Memory.embedding).where(
            Memory.user_id == self.user_id, Memory.embedding_model == model, Memory.embedding.is_not(None)
        )
        scored = [(mid, cosine(vector, emb)) for mid, emb in (await self.session.execute(stmt)).all() if emb]
        scored.sort(key=lambda pair: -pair[1])
        return scored[:limit]

    async def turn_texts(self, turn_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The bodies of this user's inbound texts with these ids."""
        if not turn_ids:
            return {}
        from personal_assistant.db.models import Message

        rows = await self.session.execute(
            select(Message.id, Message.body).where(Message.user_id == self.user_id, Message.id.in_(set(turn_ids)))
        )
        return {mid: body for mid, body in rows.all()}

    async def needing_embedding(self, model: str, limit: int) -> list[Memory]:
        """Memories never embedded, or embedded by another model (a model change re-embeds)."""
        from sqlalchemy import or_

        return await self.list(
            or_(Memory.embedding_model.is_(None), Memory.embedding_model != model),
            order_by=[Memory.created_at],
            limit=limit,
        )

    async def store_embedding(
        self, memory_id: uuid.UUID, content: str, vector: list[float], model: str, at: object
    ) -> bool:
        """Save a vector unless the memory changed (or went) since it was read: False then."""
        # updated_at kept: being embedded is not an edit ("forget that" picks the last edit).
        values = {"embedding": vector, "embedding_model": model, "embedded_at": at, "updated_at": Memory.updated_at}
        result = await self.session.execute(
            update(Memory)
            .where(Memory.id == memory_id, Memory.user_id == self.user_id, Memory.content == content)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        stored = bool(getattr(result, "rowcount", 0))
        if stored and await has_pgvector(self.session):
            await self.session.execute(
                text("UPDATE memories SET embedding_vec = CAST(:vector AS vector) WHERE id = :id AND user_id = :uid"),
                {"vector": vector_literal(vector), "id": memory_id, "uid": self.user_id},
            )
        return stored


async def users_needing_embedding(session: AsyncSession, model: str, limit: int) -> list[uuid.UUID]:
    """Users (not scoped: a job's sweep) having memories with no vector from `model`."""
    from sqlalchemy import or_

    stmt = (
        select(Memory.user_id)
        .where(or_(Memory.embedding_model.is_(None), Memory.embedding_model != model))
        .group_by(Memory.user_id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())
