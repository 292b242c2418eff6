"""Memory I/O models."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class MemoryKind(StrEnum):
    fact = "fact"
    preference = "preference"
    event = "event"
    note = "note"


class MemorySource(StrEnum):
    sms = "sms"
    web = "web"
    api = "api"
    agent = "agent"


Kind = MemoryKind


class MemoryCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        json_schema_extra={"examples": [{"content": "my locker code is 4312", "kind": "fact", "importance": 4}]},
    )

    content: str = Field(min_length=1, max_length=2000)
    kind: Kind = MemoryKind.fact
    tags: list[str] = Field(default_factory=list, max_length=20)
    importance: int = Field(3, ge=1, le=5)
    expires_at: datetime | None = Field(None, description="ISO 8601; without an offset it is your local time")
    pinned: bool = False


class MemoryUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", use_enum_values=True, json_schema_extra={"examples": [{"importance": 5, "tags": ["gym"]}]}
    )

    content: str | None = Field(None, min_length=1, max_length=2000)
    kind: Kind | None = None
    tags: list[str] | None = Field(None, max_length=20)
    importance: int | None = Field(None, ge=1, le=5)
    expires_at: datetime | None = Field(None, description="ISO 8601; without an offset it is your local time")
    pinned: bool | None = Field(None, description="pinned memories are never merged, down-weighted or expired")


class MemoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    content: str
    kind: MemoryKind
    tags: list[str]
    importance: int
    source: MemorySource
    last_used_at: datetime | None
    use_count: int
    expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    pinned: bool = False
    weight: float = 1.0
    turn_id: uuid.UUID | None = Field(None, description="the inbound text whose turn stored it")
    embedding_model: str | None = Field(None, description="the model of its vector (None: not embedded yet)")


class MemoryHitOut(BaseModel):
    memory: MemoryOut
    score: float
    semantic: bool = Field(False, description="whether vector similarity took part in this search (an embedding "
                           "provider answered)")
