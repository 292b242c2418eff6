"""Expense I/O models. Amounts are decimal strings ("12.50"), never JSON numbers."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from personal_assistant.core.enums import Period

AMOUNT = r"^\d{1,10}(\.\d{1,2})?$"


class ExpenseSort(StrEnum):
    """`-` first means descending; ties are broken by id."""

    spent_at_desc = "-spent_at"
    spent_at = "spent_at"
    amount_desc = "-amount"
    amount = "amount"


class ExpenseCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "amount": "12.50",
                    "currency": "EUR",
                    "note": "lunch",
                    "spent_at": "2026-12-05T12:30:00",
                }
            ]
        },
    )

    amount: str = Field(pattern=AMOUNT, description='decimal string, e.g. "12.50"')
    currency: str | None = Field(None, min_length=3, max_length=3, description="ISO 4217; default: yours")
    category: str | None = Field(None, description="inferred from the note when omitted")
    note: str | None = Field(None, max_length=300)
    spent_at: str | None = Field(None, description="ISO 8601 (your local time if no offset); default now")


class ExpenseUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"category": "food"}]}
    )

    amount: str | None = Field(None, pattern=AMOUNT)
    currency: str | None = Field(None, min_length=3, max_length=3)
    category: str | None = None
    note: str | None = Field(None, max_length=300)
    spent_at: str | None = None


class ExpenseOut(BaseModel):
    id: uuid.UUID
    amount: str
    currency: str
    category: str
    note: str | None
    spent_at: datetime
    created_at: datetime


class ExpenseSummaryOut(BaseModel):
    period: Period
    start: datetime
    end: datetime
    currency: str
    total: str
    by_category: dict[str, str]
    count: int
    other_currencies: dict[str, str]
