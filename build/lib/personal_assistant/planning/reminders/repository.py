"""Reminder queries (scoped to one user)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from personal_assistant.db.models.conversation import Message
from personal_assistant.db.models.planning import Reminder, ReminderDelivery
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


class DeliveryRepository(ScopedRepository[ReminderDelivery]):
    model = ReminderDelivery
    label = "reminder delivery"

    async def recent_with_reminder(self, limit: int) -> list[tuple[ReminderDelivery, str, str | None]]:
        """(delivery, reminder text, message status), newest first."""
        stmt = (
            select(ReminderDelivery, Reminder.text, Message.status)
            .join(Reminder, Reminder.id == ReminderDelivery.reminder_id)
            .outerjoin(Message, (Message.id == ReminderDelivery.message_id) & (Message.user_id == self.user_id))
            .where(ReminderDelivery.user_id == self.user_id, Reminder.user_id == self.user_id)
            .order_by(ReminderDelivery.created_at.desc())
            .limit(limit)
        )
        return [(d, text, status) for d, text, status in (await self.session.execute(stmt)).all()]
