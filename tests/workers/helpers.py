"""Arrange reminders and read back what users received (messages and the delivery ledger)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import Message, Reminder, ReminderDelivery
from personal_assistant.db.session import session_scope


async def add_reminders(
    user_id: uuid.UUID,
    count: int,
    due_at: datetime | None = None,
    *,
    text: str = "take meds",
    timezone: str = "UTC",
    **fields,
) -> list[uuid.UUID]:
    """Rows exactly as the planning service creates them: pending, next_fire_at = due_at."""
    due = due_at or clock.now()
    ids: list[uuid.UUID] = []
    async with session_scope() as s:
        for i in range(count):
            reminder = Reminder(
                user_id=user_id,
                text=text if count == 1 else f"{text} #{i}",
                due_at=due,
                next_fire_at=due,
                timezone=timezone,
                status="pending",
                attempts=0,
                **fields,
            )
            s.add(reminder)
            await s.flush()
            ids.append(reminder.id)
    return ids


async def reminder_messages(user_id: uuid.UUID | None = None) -> list[Message]:
    async with session_scope() as s:
        stmt = select(Message).where(Message.kind.in_(("reminder", "urgent_reminder"))).order_by(Message.created_at)
        if user_id is not None:
            stmt = stmt.where(Message.user_id == user_id)
        return list((await s.execute(stmt)).scalars())


async def sends_per_reminder() -> Counter[str]:
    """How many texts each reminder produced (from the idempotency key of every stored text)."""
    counts: Counter[str] = Counter()
    for message in await reminder_messages():
        assert message.idempotency_key and message.idempotency_key.startswith("reminder:")
        counts[message.idempotency_key.split(":")[1]] += 1
    return counts


async def ledger(reminder_id: uuid.UUID | None = None) -> list[ReminderDelivery]:
    async with session_scope() as s:
        stmt = select(ReminderDelivery).order_by(ReminderDelivery.created_at)
        if reminder_id is not None:
            stmt = stmt.where(ReminderDelivery.reminder_id == reminder_id)
        return list((await s.execute(stmt)).scalars())


async def get_reminder(reminder_id: uuid.UUID) -> Reminder:
    async with session_scope() as s:
        reminder = await s.get(Reminder, reminder_id)
        assert reminder is not None
        return reminder
