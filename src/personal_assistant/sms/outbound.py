"""Outbound SMS: the one function every part of the product sends texts through.

send_sms(session, user, body, kind) stores the outbound message in the user's conversation and
hands it to the transport. This first version only has the console transport; the SMS channel
issue adds Twilio, opt-out, quiet hours, pacing, retries, segment counting and trimming.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.db.models import Message, PhoneNumber, User

log = structlog.get_logger("sms.outbound")

# Kinds of outbound text. "reply" answers a message the user just sent (ignores quiet hours);
# "code" is a verification code to a phone that may not be verified yet.
KINDS = ("reply", "reminder", "checkin", "focus", "code", "system", "onboarding")


@dataclass
class SendResult:
    status: str  # sent|queued|console|suppressed_opt_out|deferred_quiet_hours|no_phone|failed
    message: Message | None = None
    retry_at: datetime | None = None

    @property
    def delivered_to_transport(self) -> bool:
        return self.status in ("sent", "queued", "console")


async def primary_phone(session: AsyncSession, user_id) -> PhoneNumber | None:
    result = await session.execute(
        select(PhoneNumber)
        .where(PhoneNumber.user_id == user_id, PhoneNumber.verified_at.is_not(None))
        .order_by(PhoneNumber.is_primary.desc(), PhoneNumber.verified_at)
        .limit(1)
    )
    return result.scalar_one_or_none()


async def send_sms(
    session: AsyncSession,
    user: User,
    body: str,
    kind: str,
    *,
    to_number: str | None = None,
    idempotency_key: str | None = None,
) -> SendResult:
    """Send one text to the user (their verified primary phone unless to_number is given)."""
    if to_number is None:
        phone = await primary_phone(session, user.id)
        if phone is None:
            return SendResult("no_phone")
        to_number = phone.e164
    message = Message(
        user_id=user.id,
        direction="outbound",
        channel="sms",
        kind=kind,
        body=body,
        to_number=to_number,
        status="console",
        idempotency_key=idempotency_key,
        sent_at=clock.now(),
    )
    session.add(message)
    await session.flush()
    log.info("sms.console", message_id=str(message.id), user_id=str(user.id), kind=kind)
    return SendResult("console", message)
