"""Task I/O models for the REST API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TaskStatus = Literal["todo", "doing", "done"]


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    notes: str | None = Field(None, max_length=5000)
    status: TaskStatus = "todo"
    due_at: str | None = Field(
        None, description="ISO 8601; without an offset it is your local time; a date alone = all day"
    )
    estimate_minutes: int | None = Field(None, ge=1, le=24 * 60)
    priority: int = Field(2, ge=1, le=3, description="1 high, 2 normal, 3 low")
    parent_id: uuid.UUID | None = None
    goal_id: uuid.UUID | None = None


class TaskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
    status: str
    due_at: datetime | None
    due_all_day: bool
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
