"""REST for expenses: /api/v1/expenses (+ /summary)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Query, Response

from personal_assistant.core.enums import Period
from personal_assistant.core.pagination import Page
from personal_assistant.db.models.planning import Expense
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.planning.common import load_user, parse_when
from personal_assistant.planning.expenses import service
from personal_assistant.planning.expenses.schemas import (
    ExpenseCreate,
    ExpenseOut,
    ExpenseSort,
    ExpenseSummaryOut,
    ExpenseUpdate,
)

router = APIRouter(prefix="/api/v1/expenses", tags=["expenses"])


def _out(e: Expense) -> ExpenseOut:
    return ExpenseOut(
        id=e.id,
        amount=service.money(e.amount),
        currency=e.currency,
        category=e.category,
        note=e.note,
        spent_at=e.spent_at,
        created_at=e.created_at,
    )


@router.get("", response_model=Page[ExpenseOut])
async def list_expenses(
    *,
    from_: datetime | None = Query(None, alias="from", description="spent at or after (ISO 8601)"),
    to: datetime | None = Query(None, description="spent before (ISO 8601)"),
    category: str | None = None,
    sort: ExpenseSort = Query(ExpenseSort.spent_at_desc, description="order; `-` first = descending; ties by id"),
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[ExpenseOut]:
    """List your expenses, newest first."""
    user = await load_user(session, principal.user_id)
    items, total = await service.list_expenses(
        session,
        user,
        category=category,
        start=parse_when(from_, user.timezone, field="from") if from_ else None,
        end=parse_when(to, user.timezone, field="to") if to else None,
        limit=page.limit,
        offset=page.offset,
        sort=sort.value,
    )
    return Page[ExpenseOut].of([_out(e) for e in items], total, page)


@router.get("/summary", response_model=ExpenseSummaryOut)
async def expense_summary(
    *,
    period: Period = Query(Period.week, description="weeks start on Monday, in your zone"),
    category: str | None = None,
    at: datetime | None = Query(None, description="a moment inside the period; default now"),
    principal: PrincipalDep,
    session: SessionDep,
) -> ExpenseSummaryOut:
    """Totals for a day, week or month in your time zone, by category."""
    user = await load_user(session, principal.user_id)
    moment = parse_when(at, user.timezone, field="at") if at else None
    s = await service.summarize(session, user, period=period, category=category, at=moment)
    return ExpenseSummaryOut(
        period=Period(s.period),
        start=s.start,
        end=s.end,
        currency=s.currency,
        total=service.money(s.total),
        by_category={k: service.money(v) for k, v in s.by_category.items()},
        count=s.count,
        other_currencies={k: service.money(v) for k, v in s.other_currencies.items()},
    )


@router.post("", response_model=ExpenseOut, status_code=201)
async def log_expense(body: ExpenseCreate, principal: PrincipalDep, session: SessionDep) -> ExpenseOut:
    """Record an expense; the category is inferred from the note when omitted."""
    return _out(await service.log_expense(session, principal.user_id, **body.model_dump()))


@router.get("/{expense_id}", response_model=ExpenseOut)
async def get_expense(
    expense_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> ExpenseOut:
    """Read one expense."""
    return _out(await service.get_expense(session, principal.user_id, expense_id))


@router.patch("/{expense_id}", response_model=ExpenseOut)
async def update_expense(
    expense_id: uuid.UUID,
    body: ExpenseUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> ExpenseOut:
    """Change some fields of an expense."""
    return _out(
        await service.update_expense(session, principal.user_id, expense_id, body.model_dump(exclude_unset=True))
    )


@router.delete("/{expense_id}", status_code=204)
async def delete_expense(
    expense_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> Response:
    """Delete an expense."""
    await service.delete_expense(session, principal.user_id, expense_id)
    return Response(status_code=204)
