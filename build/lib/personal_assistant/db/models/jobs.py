"""Dead letters: background jobs that failed after their retries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin


class FailedJob(IdMixin, Base):
    __tablename__ = "failed_jobs"

    task_name: Mapped[str] = mapped_column(String(128), index=True)
    args: Mapped[list] = mapped_column(JSON, default=list)
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    retried_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
