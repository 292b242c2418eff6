"""Expense tools: log one, totals for a day/week/month. Amounts are decimal strings. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, registry
from personal_assistant.planning.common import utc_iso
from personal_assistant.planning.expenses import service as expenses


@registry.tool(
    "log_expense",
    "Record money the user spent (amount as a decimal string, optional currency, note and category).",
    schemas.LogExpense,
    changes_data=True,
)
async def log_expense(ctx: ToolContext, args: schemas.LogExpense) -> dict[str, Any]:
    expense = await expenses.log_expense(ctx.session, ctx.user, amount=args.amount, currency=args.currency,
                                         note=args.note, category=args.category, spent_at=args.spent_at)
    return {"id": str(expense.id), "amount": expenses.money(expense.amount), "currency": expense.currency,
            "category": expense.category, "note": expense.note, "spent_at": utc_iso(expense.spent_at)}


@registry.tool(
    "expense_summary",
    "How much the user spent this day, week or month (in their zone), by category.",
    schemas.ExpenseSummary,
)
async def expense_summary(ctx: ToolContext, args: schemas.ExpenseSummary) -> dict[str, Any]:
    summary = await expenses.summarize(ctx.session, ctx.user, period=args.period, category=args.category)
    out: dict[str, Any] = {
        "period": summary.period,
        "total": expenses.money(summary.total),
        "currency": summary.currency,
        "by_category": {k: expenses.money(v) for k, v in summary.by_category.items()},
        "count": summary.count,
    }
    if summary.other_currencies:
        out["other_currencies"] = {k: expenses.money(v) for k, v in summary.other_currencies.items()}
    return out
