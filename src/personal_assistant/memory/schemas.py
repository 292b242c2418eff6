"""Memory I/O models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["fact", "preference", "event", "note"]


class MemoryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=2000)
    kind: Kind = "fact"
    tags: list[str] = Field(default_factory=list, max_length=20)
    importance: int = Field(3, ge=1, le=5)
    expires_at: datetime | None = None
    pinned: bool = False


class MemoryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str | None = Field(None, min_length=1, max_length=2000)
    kind: Kind | None = None
    tags: list[str] | None = Field(None, max_length=20)
    importance: int | None = Field(None, ge=1, le=5)
    expires_at: datetime | None = None
    pinned: bool | None = Field(None, description="pinned memories are never merged, down-weighted or expired")


class MemoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    content: str
    kind: str
    tags: list[str]
    importance: int
    source: str
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


class MemorySearchOut(BaseModel):
    query: str
    items: list[MemoryHitOut]
    semantic: bool = Field(False, description="whether vector similarity took part (an embedding provider answered)")
