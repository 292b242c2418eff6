"""Focus session I/O models."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class FocusStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: int = Field(ge=1, le=240)
    label: str | None = Field(None, max_length=200)
    task_id: uuid.UUID | None = None
    midway_checkin: bool = False


class FocusEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str | None = Field(None, max_length=2000, description="how it went")


class FocusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(None, max_length=200)
    outcome: str | None = Field(None, max_length=2000)


class FocusOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    task_id: uuid.UUID | None
    label: str | None
    minutes: int
    started_at: datetime
    ends_at: datetime
    midway_checkin: bool
    ended_at: datetime | None
    status: str
    outcome: str | None
