"""Reminder queries (scoped to one user)."""

from __future__ import annotations

from datetime import datetime

from personal_assistant.db.models.planning import Reminder
from personal_assistant.db.repository import ScopedRepository

ACTIVE_STATUSES = ("pending", "sent", "snoozed")


class ReminderRepository(ScopedRepository[Reminder]):
    model = Reminder
    label = "reminder"

    async def active(self) -> list[Reminder]:
        return await self.list(Reminder.status.in_(ACTIVE_STATUSES), order_by=[Reminder.due_at])

    async def last_sent_since(self, since: datetime) -> Reminder | None:
        rows = await self.list(
            Reminder.status == "sent",
            Reminder.last_sent_at.is_not(None),
            Reminder.last_sent_at >= since,
            order_by=[Reminder.last_sent_at.desc()],
            limit=1,
        )
        return rows[0] if rows else None
