"""Goals, groceries and expenses: the simple lists the assistant keeps."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.errors import ValidationFailed
from personal_assistant.dashboard.formatting import money
from personal_assistant.dashboard.web import (
    DB,
    CurrentUser,
    dashboard_router,
    field_errors,
    form_data,
    parse_id,
    redirect,
    render,
    undo,
)
from personal_assistant.db.models import User
from personal_assistant.planning.expenses import service as expenses
from personal_assistant.planning.expenses.categories import CATEGORIES
from personal_assistant.planning.goals import service as goals
from personal_assistant.planning.groceries import service as groceries
from personal_assistant.planning.tasks import service as tasks

router = dashboard_router()

GOAL_STATUSES = [("active", "Active"), ("done", "Reached"), ("dropped", "Let go")]


# --- goals -----------------------------------------------------------------------------------
async def _goals_page(
    request: Request, session: AsyncSession, user: User, *, errors=None, values=None, status_code: int = 200
):
    progress, total = await goals.list_goals(session, user, limit=100)
    open_tasks = await tasks.list_tasks(session, user, status="open", limit=300)
    by_goal: dict = {}
    steps: dict = {}
    open_ids = {t.id for t in open_tasks.items}
    for task in open_tasks.items:
        if task.parent_id in open_ids:  # a step: counted under its task, not listed beside it
            steps[task.parent_id] = steps.get(task.parent_id, 0) + 1
        elif task.goal_id:
            by_goal.setdefault(task.goal_id, []).append(task)
    return render(
        request,
        "goals.html",
        {
            "title": "Goals",
            "progress": progress,
            "total": total,
            "tasks_by_goal": by_goal,
            "step_counts": steps,
            "statuses": GOAL_STATUSES,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/goals")
async def goals_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Goals and how far along each one is."""
    return await _goals_page(request, session, user)


@router.post("/goals")
async def add_goal(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Add a goal."""
    values = await form_data(request)
    errors: dict[str, str] = {}
    if not values.get("title"):
        errors["title"] = "Name the goal in a few words."
    if not errors:
        try:
            goal = await goals.create_goal(
                session,
                user,
                title=values["title"],
                why=values.get("why") or None,
                target_date=values.get("target_date") or None,
            )
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(request, "/goals", f"New goal: “{goal.title}”. What is one small first task?")
    await undo(session, user)
    return await _goals_page(request, session, user, errors=errors, values=values, status_code=422)


@router.post("/goals/{goal_id}/status")
async def set_goal_status(request: Request, goal_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Mark a goal reached, let it go, or make it active again."""
    goal = await goals.get_goal(session, user, parse_id(goal_id))
    values = await form_data(request)
    try:
        await goals.update_goal(session, user, goal.id, {"status": values.get("status", "")})
    except ValidationFailed:
        await undo(session, user)
        return redirect(request, "/goals", "Pick a status from the list.")
    return redirect(request, "/goals", f"Updated “{goal.title}”.")


@router.post("/goals/{goal_id}/delete")
async def delete_goal(request: Request, goal_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Delete a goal; its tasks stay on your list."""
    goal = await goals.get_goal(session, user, parse_id(goal_id))
    title = goal.title
    await goals.delete_goal(session, user, goal.id)
    return redirect(request, "/goals", f"Deleted “{title}”. Its tasks are still on your list.")


# --- groceries -------------------------------------------------------------------------------
async def _groceries_page(
    request: Request, session: AsyncSession, user: User, *, errors=None, values=None, status_code: int = 200
):
    items, _ = await groceries.list_items(session, user, limit=500)
    return render(
        request,
        "groceries.html",
        {
            "title": "Groceries",
            "to_buy": [i for i in items if not i.checked],
            "in_cart": [i for i in items if i.checked],
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/groceries")
async def groceries_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """The shopping list."""
    return await _groceries_page(request, session, user)


@router.post("/groceries")
async def add_groceries(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Add one or more items (“milk, eggs and bread”)."""
    values = await form_data(request)
    names = groceries.split_names(values.get("items", ""))
    if not names:
        return await _groceries_page(
            request, session, user, errors={"items": "Type what to add, like “milk, eggs”."}, status_code=422
        )
    try:
        result = await groceries.add_items(session, user, names)
    except ValidationFailed as exc:
        await undo(session, user)
        errors = field_errors(exc)
        return await _groceries_page(
            request, session, user, errors={"items": next(iter(errors.values()))}, values=values, status_code=422
        )
    count = len(result.added) + len(result.merged)
    return redirect(request, "/groceries", f"Added {count} item{'s' if count != 1 else ''}.")


@router.post("/groceries/{item_id}/toggle")
async def toggle_grocery(request: Request, item_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Check an item off, or put it back on the list."""
    item = await groceries.get_item(session, user, parse_id(item_id))
    await groceries.update_item(session, user, item.id, {"checked": not item.checked})
    return redirect(request, "/groceries")


@router.post("/groceries/{item_id}/delete")
async def delete_grocery(request: Request, item_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Remove an item."""
    item = await groceries.get_item(session, user, parse_id(item_id))
    name = item.name
    await groceries.delete_item(session, user, item.id)
    return redirect(request, "/groceries", f"Removed {name}.")


@router.post("/groceries/clear")
async def clear_groceries(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Remove everything that is checked off."""
    removed = await groceries.clear_checked(session, user)
    return redirect(request, "/groceries", f"Cleared {removed} checked item{'s' if removed != 1 else ''}.")


# --- expenses --------------------------------------------------------------------------------
async def _expenses_page(
    request: Request, session: AsyncSession, user: User, *, errors=None, values=None, status_code: int = 200
):
    week = await expenses.summarize(session, user, period="week")
    month = await expenses.summarize(session, user, period="month")
    recent, total = await expenses.list_expenses(session, user, limit=30)
    return render(
        request,
        "expenses.html",
        {
            "title": "Expenses",
            "summaries": [("This week", week), ("This month", month)],
            "recent": recent,
            "total": total,
            "categories": [("", "Guess from the note")] + [(c, c.capitalize()) for c in CATEGORIES],
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/expenses")
async def expenses_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Spending this week and this month, by category."""
    return await _expenses_page(request, session, user)


@router.post("/expenses")
async def add_expense(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Log an expense."""
    values = await form_data(request)
    errors: dict[str, str] = {}
    if not values.get("amount"):
        errors["amount"] = "How much was it?"
    if not errors:
        try:
            expense = await expenses.log_expense(
                session,
                user,
                amount=values["amount"].lstrip("$€£"),
                note=values.get("note") or None,
                category=values.get("category") or None,
                spent_at=values.get("spent_at") or None,
            )
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(
                request, "/expenses", f"Logged {money(expense.amount, expense.currency)} ({expense.category})."
            )
    await undo(session, user)
    return await _expenses_page(request, session, user, errors=errors, values=values, status_code=422)


@router.post("/expenses/{expense_id}/delete")
async def delete_expense(request: Request, expense_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Delete an expense."""
    expense = await expenses.get_expense(session, user, parse_id(expense_id))
    await expenses.delete_expense(session, user, expense.id)
    return redirect(request, "/expenses", "Deleted the expense.")
