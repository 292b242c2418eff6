"""Task I/O models for the REST API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class TaskStatus(StrEnum):
    todo = "todo"
    doing = "doing"
    done = "done"


class TaskStatusFilter(StrEnum):
    """A task status, or open (todo + doing) or all."""

    todo = "todo"
    doing = "doing"
    done = "done"
    open = "open"
    all = "all"


class TaskSort(StrEnum):
    """`-` first means descending; ties are broken by id, so pages never overlap."""

    due_at = "due_at"
    due_at_desc = "-due_at"
    priority = "priority"
    created_at = "created_at"
    created_at_desc = "-created_at"
    by_title = "title"


class TaskCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        json_schema_extra={"examples": [{"title": "renew passport", "due_at": "2026-12-05", "priority": 1}]},
    )

    title: str = Field(min_length=1, max_length=200)
    notes: str | None = Field(None, max_length=5000)
    status: TaskStatus = TaskStatus.todo
    due_at: str | None = Field(
        None,
        description="ISO 8601; without an offset it is your local time; a date alone (YYYY-MM-DD) is an all-day "
        "task due that day (answered in `due_date`)",
    )
    estimate_minutes: int | None = Field(None, ge=1, le=24 * 60)
    priority: int = Field(2, ge=1, le=3, description="1 high, 2 normal, 3 low")
    parent_id: uuid.UUID | None = None
    goal_id: uuid.UUID | None = None


class TaskUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        json_schema_extra={"examples": [{"status": "doing"}, {"due_at": "2026-12-05T17:00:00"}]},
    )

    title: str | None = Field(None, min_length=1, max_length=200)
    notes: str | None = Field(None, max_length=5000)
    status: TaskStatus | None = None
    due_at: str | None = None
    estimate_minutes: int | None = Field(None, ge=1, le=24 * 60)
    priority: int | None = Field(None, ge=1, le=3)
    parent_id: uuid.UUID | None = None
    goal_id: uuid.UUID | None = None


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    notes: str | None
    status: TaskStatus
    due_at: datetime | None = Field(description="the instant it is due; for an all-day task, the start of that day "
                                    "in your zone")
    due_all_day: bool
    due_date: date | None = Field(description="an all-day task's day, as given (null for a task due at a time)")
    estimate_minutes: int | None
    priority: int
    parent_id: uuid.UUID | None
    goal_id: uuid.UUID | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TaskCompletionOut(BaseModel):
    task: TaskOut
    open_subtasks: list[TaskOut]
    remaining: int
