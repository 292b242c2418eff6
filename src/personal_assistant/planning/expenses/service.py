"""Expense rules: Decimal amounts (never float), default currency, inferred category, and
totals by day / week (Monday start) / month in the user's own zone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.core.money import check_minor_units, currency_code
from personal_assistant.db.models.planning import Expense
from personal_assistant.planning.common import UserRef, load_user, parse_when, user_id_of
from personal_assistant.planning.expenses.categories import CATEGORIES, infer_category
from personal_assistant.planning.expenses.repository import ExpenseRepository

PERIODS = ("day", "week", "month")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass
class ExpenseSummary:
    period: str
    start: datetime  # UTC bounds of the local period [start, end)
    end: datetime
    currency: str
    total: Decimal  # in `currency` (the user's)
    by_category: dict[str, Decimal]  # largest first
    count: int
    other_currencies: dict[str, Decimal] = field(default_factory=dict)


def _repo(session: AsyncSession, user: UserRef) -> ExpenseRepository:
    return ExpenseRepository(session, user_id_of(user))


def parse_amount(value: Any) -> Decimal:
    """A positive amount with at most two decimals, from a decimal string (or Decimal/int).
    Floats are refused: they cannot represent money exactly."""
    if isinstance(value, (float, bool)):
        raise ValidationFailed("give the amount as a decimal string", fields={"amount": "a decimal string like 12.50"})
    try:
        text = str(value).strip().replace(",", "").lstrip("$€£")
        amount = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("amount is not a number", fields={"amount": "a decimal string like 12.50"}) from exc
    if not amount.is_finite() or amount <= 0:
        raise ValidationFailed("amount must be more than zero", fields={"amount": "must be more than zero"})
    if amount != amount.quantize(CENT):
        raise ValidationFailed("amount has more than two decimals", fields={"amount": "at most two decimals"})
    if amount > MAX_AMOUNT:
        raise ValidationFailed("amount is too large", fields={"amount": "too large"})
    return amount.quantize(CENT)


def money(amount: Decimal) -> str:
    """'12.50': the API's and the tools' amount format."""
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def _currency(value: str | None, default: str) -> str:
    return currency_code(value or default or "USD")


def _category(value: str | None, note: str | None) -> str:
    if value is None or value == "":
        return infer_category(note)
    category = value.strip().lower()
    if category not in CATEGORIES:
        raise ValidationFailed("unknown category", fields={"category": f"one of {', '.join(CATEGORIES)}"})
    return category


async def log_expense(
    session: AsyncSession,
    user: UserRef,
    *,
    amount: Any,
    currency: str | None = None,
    note: str | None = None,
    category: str | None = None,
    spent_at: str | datetime | None = None,
) -> Expense:
    """Record an expense. Currency defaults to the user's; category is inferred from the note
    when not given; spent_at (ISO, user's zone if no offset) defaults to now."""
    owner = await load_user(session, user)
    code = _currency(currency, owner.currency)
    parsed = parse_amount(amount)
    check_minor_units(parsed, code)
    expense = Expense(
        amount=parsed,
        currency=code,
        note=(note or "").strip()[:300] or None,
        category=_category(category, note),
        spent_at=parse_when(spent_at, owner.timezone, field="spent_at") if spent_at else clock.now(),
    )
    return await _repo(session, owner).add(expense)


def period_bounds(period: str, tz_name: str, at: datetime | None = None) -> tuple[datetime, datetime]:
    """UTC [start, end) of the local day, week (Monday to Monday) or month containing `at`."""
    if period not in PERIODS:
        raise ValidationFailed("unknown period", fields={"period": "day, week or month"})
    tz = ZoneInfo(tz_name)
    local_day = clock.as_utc(at or clock.now()).astimezone(tz).date()
    if period == "day":
        start, end = local_day, local_day + timedelta(days=1)
    elif period == "week":
        start = local_day - timedelta(days=local_day.weekday())
        end = start + timedelta(days=7)
    else:
        start = local_day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
    return _midnight(start, tz), _midnight(end, tz)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return clock.as_utc(datetime.combine(day, time(0), tzinfo=tz))


async def summarize(
    session: AsyncSession,
    user: UserRef,
    *,
    period: str = "week",
    category: str | None = None,
    at: datetime | None = None,
) -> ExpenseSummary:
    """Totals for the user's current local day/week/month (or the one containing `at`), by
    category, largest first. Amounts in other currencies are totalled separately."""
    owner = await load_user(session, user)
    if category:
        category = _category(category, None)
    start, end = period_bounds(period, owner.timezone, at)
    rows = await _repo(session, owner).between(start, end, category)
    currency = owner.currency.upper()
    by_category: dict[str, Decimal] = {}
    others: dict[str, Decimal] = {}
    total = Decimal("0.00")
    count = 0
    for row in rows:
        amount = Decimal(row.amount)
        if row.currency.upper() != currency:
            others[row.currency] = others.get(row.currency, Decimal("0.00")) + amount
            continue
        total += amount
        count += 1
        by_category[row.category] = by_category.get(row.category, Decimal("0.00")) + amount
    ordered = dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])))
    return ExpenseSummary(period, start, end, currency, total.quantize(CENT), ordered, count, others)


SORTS: dict[str, list[Any]] = {
    "-spent_at": [Expense.spent_at.desc()],
    "spent_at": [Expense.spent_at],
    "-amount": [Expense.amount.desc(), Expense.spent_at.desc()],
    "amount": [Expense.amount, Expense.spent_at.desc()],
}


async def list_expenses(
    session: AsyncSession,
    user: UserRef,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    category: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
    sort: str | None = None,
) -> tuple[list[Expense], int]:
    """Expenses, newest first (or by `sort`, a key of SORTS), optionally in [start, end) and one
    category."""
    where = []
    if start is not None:
        where.append(Expense.spent_at >= start)
    if end is not None:
        where.append(Expense.spent_at < end)
    if category:
        where.append(Expense.category == _category(category, None))
    repo = _repo(session, user)
    order = SORTS.get(sort or "", SORTS["-spent_at"])
    items = await repo.list(*where, order_by=order, limit=limit, offset=offset)
    return items, await repo.count(*where)


async def get_expense(session: AsyncSession, user: UserRef, expense_id: uuid.UUID | str) -> Expense:
    return await _repo(session, user).get(expense_id)


async def update_expense(
    session: AsyncSession, user: UserRef, expense_id: uuid.UUID | str, changes: dict[str, Any]
) -> Expense:
    """Partial update of an expense."""
    owner = await load_user(session, user)
    expense = await get_expense(session, owner, expense_id)
    if changes.get("amount") is not None:
        expense.amount = parse_amount(changes["amount"])
    if changes.get("currency") is not None:
        expense.currency = _currency(changes["currency"], owner.currency)
    if "note" in changes:
        expense.note = (changes["note"] or "").strip()[:300] or None
    if "category" in changes:
        expense.category = _category(changes["category"], expense.note)
    if changes.get("spent_at"):
        expense.spent_at = parse_when(changes["spent_at"], owner.timezone, field="spent_at")
    if changes.get("amount") is not None or changes.get("currency") is not None:
        check_minor_units(Decimal(expense.amount), expense.currency)
    await session.flush()
    return expense


async def delete_expense(session: AsyncSession, user: UserRef, expense_id: uuid.UUID | str) -> None:
    repo = _repo(session, user)
    await repo.delete(await repo.get(expense_id))
