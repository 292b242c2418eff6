"""Focus session queries (scoped to one user)."""

from __future__ import annotations

from personal_assistant.db.models.planning import FocusSession
from personal_assistant.db.repository import ScopedRepository


class FocusRepository(ScopedRepository[FocusSession]):
    model = FocusSession
    label = "focus session"

    async def active(self) -> list[FocusSession]:
        return await self.list(FocusSession.status == "active", order_by=[FocusSession.started_at.desc()])

    async def latest(self) -> FocusSession | None:
        rows = await self.list(order_by=[FocusSession.started_at.desc()], limit=1)
        return rows[0] if rows else None
