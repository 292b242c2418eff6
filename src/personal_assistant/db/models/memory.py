"""Long-term memory items. Full-text search indexes are created in migrations
(PostgreSQL tsvector + GIN, SQLite FTS5)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, Integer, String, Text, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.db.base import Base, IdMixin, TimestampMixin, UserOwned

MEMORY_KINDS = ("fact", "preference", "event", "note")


class Memory(IdMixin, UserOwned, TimestampMixin, Base):
    __tablename__ = "memories"

    content: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="fact")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    importance: Mapped[int] = mapped_column(Integer, default=3)  # 1..5
    source: Mapped[str] = mapped_column(String(16), default="sms")  # sms|web|api|agent
    last_used_at: Mapped[datetime | None]
    use_count: Mapped[int] = mapped_column(Integer, default=0)
    # The document vector (normalised floats) and the model that made it: a model change
    # re-embeds. On PostgreSQL with pgvector, embedding_vec (migration 0008, outside the model)
    # holds the same vector for the HNSW index.
    embedding: Mapped[list[float] | None] = mapped_column(JSON)
    embedding_model: Mapped[str | None] = mapped_column(String(64))
    embedded_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # 1.0 when stored; upkeep lowers it for old, unused, unimportant items (ranking multiplies it).
    weight: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")
    # The turn (the inbound text's id) in which the assistant stored it; None for API/dashboard.
    turn_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
