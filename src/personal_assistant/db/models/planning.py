"""Tasks, goals, reminders (and their delivery ledger), groceries, expenses, focus sessions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin, TimestampMixin, UserOwned

TASK_STATUSES = ("todo", "doing", "done")
GOAL_STATUSES = ("active", "done", "dropped")
REMINDER_STATUSES = ("pending", "sent", "acknowledged", "snoozed", "cancelled", "missed", "done")


class Goal(IdMixin, UserOwned, TimestampMixin, Base):
    __tablename__ = "goals"

    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str | None] = mapped_column(Text)
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")


class Task(IdMixin, UserOwned, TimestampMixin, Base):
    __tablename__ = "tasks"

    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="todo", index=True)
    due_at: Mapped[datetime | None]
    due_all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    # An all-day task's day, as given: a date does not move when the user changes zone
    # (due_at holds the start of that day in their zone, for ordering and filters).
    due_date: Mapped[date | None] = mapped_column(Date)
    estimate_minutes: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer, default=2)  # 1 high, 2 normal, 3 low
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("goals.id", ondelete="SET NULL"), index=True
    )
    completed_at: Mapped[datetime | None]


class Reminder(IdMixin, UserOwned, TimestampMixin, Base):
    """A reminder is a row; delivery claims due rows by next_fire_at.

    due_at is the current occurrence (UTC) of what the user asked for; next_fire_at is when a
    worker must act next (the occurrence, a snooze, or an escalation re-send).
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_next_fire_at", "status", "next_fire_at"),)

    text: Mapped[str] = mapped_column(String(500))
    due_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    rrule: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    escalation_minutes: Mapped[int] = mapped_column(Integer, default=10)
    escalation_max: Mapped[int] = mapped_column(Integer, default=3)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # ignores quiet hours
    task_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tasks.id", ondelete="SET NULL"), index=True
    )
    next_fire_at: Mapped[datetime | None]
    last_sent_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]


class ReminderDelivery(IdMixin, UserOwned, Base):
    """Ledger of sends. The unique idempotency key (reminder, occurrence, attempt) makes a
    second send of the same attempt impossible, whoever tries it."""

    __tablename__ = "reminder_deliveries"

    reminder_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("reminders.id", ondelete="CASCADE"), index=True
    )
    occurrence_at: Mapped[datetime]
    attempt: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    outcome: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|late|missed|failed|suppressed
    late_seconds: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]


class GroceryItem(IdMixin, UserOwned, Base):
    __tablename__ = "grocery_items"

    name: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[str | None] = mapped_column(String(40))
    checked: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Expense(IdMixin, UserOwned, Base):
    __tablename__ = "expenses"

    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    category: Mapped[str] = mapped_column(String(32), default="other")
    note: Mapped[str | None] = mapped_column(String(300))
    spent_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class FocusSession(IdMixin, UserOwned, Base):
    __tablename__ = "focus_sessions"

    task_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tasks.id", ondelete="SET NULL"), index=True
    )
    label: Mapped[str | None] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    midway_checkin: Mapped[bool] = mapped_column(Boolean, default=False)
    midway_sent_at: Mapped[datetime | None]
    end_sent_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="active")  # active|completed|ended_early
    outcome: Mapped[str | None] = mapped_column(Text)
