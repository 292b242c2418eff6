"""SMS plumbing that is not one user's data: provisioned numbers, webhook receipts,
unknown-sender throttling; plus per-user usage records."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin, UserOwned


class SmsNumber(IdMixin, Base):
    """A Twilio number of this deployment; user_id set = the user's dedicated number."""

    __tablename__ = "sms_numbers"

    e164: Mapped[str] = mapped_column(String(20), unique=True)
    twilio_sid: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), unique=True, index=True
    )
    assigned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class SmsWebhookReceipt(Base):
    """One row per inbound MessageSid: the primary key makes a Twilio retry a no-op."""

    __tablename__ = "sms_webhook_receipts"

    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    outcome: Mapped[str] = mapped_column(String(16), default="received")


class UnknownSenderReply(Base):
    """When an unknown sender last got the onboarding text (at most one a day)."""

    __tablename__ = "unknown_sender_replies"

    sender_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_sent_at: Mapped[datetime] = mapped_column(default=clock.now)


class SmsUsage(IdMixin, UserOwned, Base):
    __tablename__ = "sms_usage"

    message_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    direction: Mapped[str] = mapped_column(String(8))
    segments: Mapped[int] = mapped_column(Integer)
    encoding: Mapped[str] = mapped_column(String(8))
    price_estimate: Mapped[Decimal] = mapped_column(Numeric(10, 5))
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
