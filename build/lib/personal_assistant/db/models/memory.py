"""Long-term memory items. Full-text search indexes are created in migrations
(PostgreSQL tsvector + GIN, SQLite FTS5)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
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
    embedding: Mapped[list[float] | None] = mapped_column(JSON)
    expires_at: Mapped[datetime | None]
