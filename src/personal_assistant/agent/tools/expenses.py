"""Expense tools: log one, totals for a day/week/month. Amounts are decimal strings. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.core.errors import NotFound
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


def _expense_out(expense) -> dict[str, Any]:
    return {"id": str(expense.id), "amount": expenses.money(expense.amount), "currency": expense.currency,
            "category": expense.category, "note": expense.note, "spent_at": utc_iso(expense.spent_at)}


@registry.tool(
    "update_expense",
    "Correct an expense just logged (amount, currency, note or category), by id.",
    schemas.UpdateExpense,
    changes_data=True,
)
async def update_expense(ctx: ToolContext, args: schemas.UpdateExpense) -> dict[str, Any]:
    try:
        before = await expenses.get_expense(ctx.session, ctx.user, args.expense_id)
    except NotFound as exc:
        raise ToolFailed("I couldn't find that expense any more.") from exc
    previous = {"amount": expenses.money(before.amount), "currency": before.currency, "note": before.note}
    changes = args.model_dump(exclude_none=True, exclude={"expense_id"})
    expense = await expenses.update_expense(ctx.session, ctx.user, args.expense_id, changes)
    return {**_expense_out(expense), "previous": {k: previous[k] for k in changes if k in previous}}


@registry.tool(
    "delete_expense",
    "Delete an expense (by id): the undo of an expense just logged.",
    schemas.DeleteExpense,
    changes_data=True,
)
async def delete_expense(ctx: ToolContext, args: schemas.DeleteExpense) -> dict[str, Any]:
    try:
        expense = await expenses.get_expense(ctx.session, ctx.user, args.expense_id)
    except NotFound as exc:
        raise ToolFailed("I couldn't find that expense any more.") from exc
    out = _expense_out(expense)
    await expenses.delete_expense(ctx.session, ctx.user, expense.id)
    return out
