"""Reminder queries: scoped to one user, except the delivery worker's DueReminderRepository."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models.conversation import Message
from personal_assistant.db.models.planning import Reminder, ReminderDelivery
from personal_assistant.db.models.sms import SmsNumber
from personal_assistant.db.models.users import PhoneNumber, User
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

    async def missed_texts_since(self, since: datetime) -> list[str]:
        """Texts of the reminders marked missed since `since` (the user is told, never silently)."""
        rows = await self.session.execute(
            select(Reminder.text)
            .join(ReminderDelivery, ReminderDelivery.reminder_id == Reminder.id)
            .where(
                ReminderDelivery.user_id == self.user_id,
                Reminder.user_id == self.user_id,
                ReminderDelivery.outcome == "missed",
                ReminderDelivery.created_at >= since,
            )
            .order_by(ReminderDelivery.occurrence_at)
        )
        return list(dict.fromkeys(rows.scalars()))

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


DELIVERABLE = ("pending", "snoozed", "sent")


class DueReminderRepository:
    """Unscoped on purpose: the delivery worker takes every user's due reminders, in batches.
    What it loads goes to planning/reminders/delivery.py only."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_due(self, now: datetime, limit: int) -> list[Reminder]:
        """Due rows, soonest first, locked for this transaction (other workers skip them)."""
        stmt = (
            select(Reminder)
            .where(Reminder.status.in_(DELIVERABLE), Reminder.next_fire_at <= now)
            .order_by(Reminder.next_fire_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def postpone_first_due(self, now: datetime, by: timedelta) -> uuid.UUID | None:
        row = (await self.session.execute(
            select(Reminder.id)
            .where(Reminder.status.in_(DELIVERABLE), Reminder.next_fire_at <= now)
            .order_by(Reminder.next_fire_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )).scalar_one_or_none()
        if row is not None:
            await self.session.execute(update(Reminder).where(Reminder.id == row).values(next_fire_at=now + by))
        return row

    async def users(self, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
        rows = await self.session.execute(select(User).where(User.id.in_(user_ids)))
        return {user.id: user for user in rows.scalars()}

    async def primary_phones(self, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Each user's verified primary phone (the outbox's own choice, for a whole batch at once)."""
        rows = await self.session.execute(
            select(PhoneNumber.user_id, PhoneNumber.e164)
            .where(PhoneNumber.user_id.in_(user_ids), PhoneNumber.verified_at.is_not(None))
            .order_by(PhoneNumber.is_primary.desc(), PhoneNumber.verified_at)
        )
        phones: dict[uuid.UUID, str] = {}
        for user_id, e164 in rows.all():
            phones.setdefault(user_id, e164)
        return phones

    async def sending_numbers(self, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The dedicated number of each user who has one (others send from the shared number)."""
        rows = await self.session.execute(
            select(SmsNumber.user_id, SmsNumber.e164).where(SmsNumber.user_id.in_(user_ids))
        )
        return {user_id: e164 for user_id, e164 in rows.all() if user_id is not None}

    async def ledger(self, keys: set[str]) -> dict[str, ReminderDelivery]:
        rows = await self.session.execute(
            select(ReminderDelivery).where(ReminderDelivery.idempotency_key.in_(keys))
        )
        return {row.idempotency_key: row for row in rows.scalars()}
