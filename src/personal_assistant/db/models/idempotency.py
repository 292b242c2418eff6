"""Idempotency keys of the REST API (core/idempotency.py): one row per (user, key), kept 24 h."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin, UserOwned


class IdempotencyKey(IdMixin, UserOwned, Base):
    """A POST sent with `Idempotency-Key`. The unique (user_id, key) is what makes a concurrent
    duplicate lose the race: the second insert fails and that request reads this row instead."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of method, path, query, body
    status: Mapped[str] = mapped_column(String(16), default="in_progress")  # in_progress|done
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict | None] = mapped_column(JSON)
    # The answer's body, encrypted (core.crypto): it may hold a secret shown once (a new API token).
    response_encrypted: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(index=True)
