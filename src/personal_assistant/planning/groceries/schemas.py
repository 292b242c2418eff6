"""Grocery I/O models."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class GroceryCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "2 milk"}]}
    )

    name: str = Field(min_length=1, max_length=120, description='"milk", or with a quantity: "2 milk", "milk x2"')
    quantity: str | None = Field(None, max_length=40)


class GroceryBulkCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"items": [{"name": "eggs"}, {"name": "bread", "quantity": "1 loaf"}]}]},
    )

    items: list[GroceryCreate] = Field(min_length=1, max_length=50)


class GroceryUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"checked": True}]}
    )

    name: str | None = Field(None, min_length=1, max_length=120)
    quantity: str | None = Field(None, max_length=40)
    checked: bool | None = None


class GroceryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    quantity: str | None
    checked: bool
    checked_at: datetime | None
    created_at: datetime


class GroceriesAddedOut(BaseModel):
    added: list[GroceryOut]
    merged: list[GroceryOut]
    unchecked: int


class CheckIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"names": ["milk", "eggs"]}]}
    )

    names: list[str] = Field(min_length=1, max_length=50, description='what you got: ["milk", "the eggs"]')


class CheckedOut(BaseModel):
    checked: list[GroceryOut]
    not_found: list[str]
    ambiguous: list[str]
    remaining: int


class ClearedOut(BaseModel):
    cleared: int
