"""Users, their phones, and the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Time, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin, TimestampMixin, UserOwned, new_id

ROLES = ("standard", "premium", "admin")


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default="standard")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    quiet_hours_start: Mapped[time | None] = mapped_column(Time)
    quiet_hours_end: Mapped[time | None] = mapped_column(Time)
    checkins_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    morning_checkin_time: Mapped[time | None] = mapped_column(Time)
    evening_checkin_time: Mapped[time | None] = mapped_column(Time)
    escalation_minutes: Mapped[int] = mapped_column(Integer, default=10)
    escalation_max: Mapped[int] = mapped_column(Integer, default=3)
    catchup_minutes: Mapped[int] = mapped_column(Integer, default=120)
    # Minutes before a synced calendar event its reminder goes out; None: CALENDAR_REMINDER_LEAD_MINUTES.
    event_lead_minutes: Mapped[int | None] = mapped_column(Integer)
    # The user's own times for day parts, e.g. {"morning": "07:00", "evening": "19:30"}: "tonight",
    # "first thing" and "this evening" in their texts follow them. None: the product defaults.
    day_parts: Mapped[dict | None] = mapped_column(JSON)
    # Memory upkeep expires unused memories of importance < 4 after this many days (None: never).
    memory_retention_days: Mapped[int | None] = mapped_column(Integer)
    last_login_at: Mapped[datetime | None]

    phones: Mapped[list[PhoneNumber]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )


class PhoneNumber(IdMixin, UserOwned, Base):
    """A user's own phone. Verified phones identify the sender on the shared number."""

    __tablename__ = "phone_numbers"
    __table_args__ = (
        # One verified owner per phone number; unverified claims do not block anyone.
        Index(
            "uq_phone_numbers_verified_e164",
            "e164",
            unique=True,
            sqlite_where=text("verified_at IS NOT NULL"),
            postgresql_where=text("verified_at IS NOT NULL"),
        ),
    )

    e164: Mapped[str] = mapped_column(String(20), index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)
    verified_at: Mapped[datetime | None]
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None]
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    code_sent_at: Mapped[datetime | None]
    opted_out_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    user: Mapped[User] = relationship(back_populates="phones", lazy="raise")


class AuditEvent(Base):
    """Security events. Survives user deletion without personal data (user_id set to NULL)."""

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    event: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)


__all__ = ["ROLES", "AuditEvent", "PhoneNumber", "User"]
