"""Expense queries (scoped to one user)."""

from __future__ import annotations

from datetime import datetime

from personal_assistant.db.models.planning import Expense
from personal_assistant.db.repository import ScopedRepository


class ExpenseRepository(ScopedRepository[Expense]):
    model = Expense
    label = "expense"

    async def between(self, start: datetime, end: datetime, category: str | None = None) -> list[Expense]:
        where = [Expense.spent_at >= start, Expense.spent_at < end]
        if category:
            where.append(Expense.category == category)
        return await self.list(*where, order_by=[Expense.spent_at])
