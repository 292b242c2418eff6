"""Memory queries (scoped to one user), including full-text search on both backends:
PostgreSQL to_tsvector/ts_rank over the ix_memories_search expression index, SQLite FTS5
(memories_fts, bm25). Both created by migration 0002."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from personal_assistant.db.models.memory import Memory
from personal_assistant.db.repository import ScopedRepository

# Must match the index expression exactly for PostgreSQL to use ix_memories_search.
_PG_SEARCH = text(
    """
    SELECT id, ts_rank(to_tsvector('english', content), query) AS rank
    FROM memories, to_tsquery('english', :query) AS query
    WHERE user_id = :user_id AND to_tsvector('english', content) @@ query
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
