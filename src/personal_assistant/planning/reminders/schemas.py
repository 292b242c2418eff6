"""Reminder I/O models. `recurrence` is an RFC 5545 RRULE (no DTSTART: due_at is the first
occurrence)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ReminderStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    acknowledged = "acknowledged"
    snoozed = "snoozed"
    cancelled = "cancelled"
    missed = "missed"
    done = "done"


class ReminderCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "take meds", "due_at": "2026-12-05T09:00:00", "recurrence": "FREQ=DAILY"}]
        },
    )

    text: str = Field(min_length=1, max_length=500)
    due_at: str = Field(description="first occurrence, ISO 8601; without an offset it is local to `timezone`")
    timezone: str | None = Field(None, description="IANA zone it was set in; default: yours")
    recurrence: str | None = Field(None, max_length=400, description="RRULE, e.g. FREQ=WEEKLY;BYDAY=MO")
    urgent: bool = False
    task_id: uuid.UUID | None = None
    escalation_minutes: int | None = Field(None, ge=1, le=24 * 60)
    escalation_max: int | None = Field(None, ge=0, le=10)


class ReminderUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"due_at": "2026-12-05T10:30:00"}]})

    text: str | None = Field(None, min_length=1, max_length=500)
    due_at: str | None = None
    timezone: str | None = None
    recurrence: str | None = Field(None, max_length=400)
    urgent: bool | None = None
    task_id: uuid.UUID | None = None
    escalation_minutes: int | None = Field(None, ge=1, le=24 * 60)
    escalation_max: int | None = Field(None, ge=0, le=10)


class SnoozeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"minutes": 15}, {"until": "2026-12-05T18:00:00"}]}
    )

    minutes: int | None = Field(None, ge=1, le=7 * 24 * 60)
    until: str | None = Field(None, description="ISO 8601; without an offset it is your local time")


class ReminderOut(BaseModel):
    id: uuid.UUID
    text: str
    due_at: datetime
    local_due: str
    timezone: str
    recurrence: str | None
    status: ReminderStatus
    attempts: int
    escalation_minutes: int
    escalation_max: int
    urgent: bool
    task_id: uuid.UUID | None
    next_fire_at: datetime | None
    last_sent_at: datetime | None
    acknowledged_at: datetime | None
    snoozed_until: datetime | None
    created_at: datetime
    updated_at: datetime
