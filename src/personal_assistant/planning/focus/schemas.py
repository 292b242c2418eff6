"""Focus session I/O models."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class FocusStatus(StrEnum):
    active = "active"
    completed = "completed"
    ended_early = "ended_early"


class FocusStart(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"minutes": 25, "label": "taxes", "midway_checkin": True}]}
    )

    minutes: int = Field(ge=1, le=240)
    label: str | None = Field(None, max_length=200)
    task_id: uuid.UUID | None = None
    midway_checkin: bool = False


class FocusEnd(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"outcome": "filed two forms"}]})

    outcome: str | None = Field(None, max_length=2000, description="how it went")


class FocusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"label": "taxes, part 2"}]})

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
    status: FocusStatus
    outcome: str | None
