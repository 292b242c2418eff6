"""Goal I/O models."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class GoalStatus(StrEnum):
    active = "active"
    done = "done"
    dropped = "dropped"


class GoalCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        json_schema_extra={"examples": [{"title": "run a 5k", "why": "more energy", "target_date": "2027-03-01"}]},
    )

    title: str = Field(min_length=1, max_length=200)
    why: str | None = Field(None, max_length=2000)
    target_date: date | None = None
    status: GoalStatus = GoalStatus.active


class GoalUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", use_enum_values=True, json_schema_extra={"examples": [{"status": "done"}]}
    )

    title: str | None = Field(None, min_length=1, max_length=200)
    why: str | None = Field(None, max_length=2000)
    target_date: date | None = None
    status: GoalStatus | None = None


class GoalOut(BaseModel):
    id: uuid.UUID
    title: str
    why: str | None
    target_date: date | None
    status: GoalStatus
    tasks_done: int
    tasks_total: int
    progress: float  # done / total, 0 when the goal has no tasks
    created_at: datetime
    updated_at: datetime
