"""Reading what a user would see: their conversation, their phone's opt-out state."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from personal_assistant.db.models import Message, PhoneNumber, SmsUsage, SmsWebhookReceipt
from personal_assistant.db.session import session_scope


async def messages_of(user_id: uuid.UUID, direction: str | None = None) -> list[Message]:
    async with session_scope() as s:
        stmt = select(Message).where(Message.user_id == user_id).order_by(Message.created_at)
        if direction:
            stmt = stmt.where(Message.direction == direction)
        return list((await s.execute(stmt)).scalars())


async def all_messages() -> list[Message]:
    async with session_scope() as s:
        return list((await s.execute(select(Message).order_by(Message.created_at))).scalars())


async def receipts() -> int:
    async with session_scope() as s:
        return int((await s.execute(select(func.count()).select_from(SmsWebhookReceipt))).scalar_one())


async def usage_rows(user_id: uuid.UUID) -> list[SmsUsage]:
    async with session_scope() as s:
        return list((await s.execute(select(SmsUsage).where(SmsUsage.user_id == user_id))).scalars())


async def opted_out(e164: str) -> bool:
    async with session_scope() as s:
        rows = (await s.execute(select(PhoneNumber).where(PhoneNumber.e164 == e164))).scalars().all()
        return any(r.opted_out_at is not None for r in rows)
