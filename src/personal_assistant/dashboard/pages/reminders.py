"""Reminders: upcoming ones (snooze, cancel) and the ledger of what was sent or missed."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.dashboard.formatting import next_time
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
from personal_assistant.planning.reminders import service as reminders

router = dashboard_router()

SNOOZE_CHOICES = [("10", "10 minutes"), ("30", "30 minutes"), ("60", "1 hour"), ("180", "3 hours"), ("1440", "1 day")]
OUTCOME_TEXT = {
    "pending": ("sending", ""),
    "sent": ("sent", "badge-good"),
    "late": ("sent late", ""),
    "missed": ("missed", "badge-bad"),
    "failed": ("not delivered", "badge-bad"),
    "suppressed": ("not sent (opted out or quiet hours)", ""),
}
STATUS_TEXT = {
    "pending": "scheduled",
    "sent": "sent, waiting for you",
    "snoozed": "snoozed",
    "acknowledged": "done",
    "done": "done",
    "cancelled": "cancelled",
    "missed": "missed",
}


async def _page(
    request: Request, session: AsyncSession, user: User, *, errors=None, values=None, status_code: int = 200
):
    upcoming, upcoming_total = await reminders.list_reminders(session, user, upcoming=True, limit=100)
    upcoming.sort(key=lambda r: clock.as_utc(next_time(r)))  # a snooze or quiet hours can move one later
    ledger = await reminders.delivery_ledger(session, user, limit=50)
    return render(
        request,
        "reminders.html",
        {
            "title": "Reminders",
            "upcoming": upcoming,
            "upcoming_total": upcoming_total,
            "ledger": ledger,
            "snooze_choices": SNOOZE_CHOICES,
            "outcome_text": OUTCOME_TEXT,
            "status_text": STATUS_TEXT,
            "rule_of": reminders.rule_of,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/reminders")
async def reminders_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """What is coming up, and what was already sent."""
    return await _page(request, session, user)


@router.post("/reminders")
async def add_reminder(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Add a one-off reminder from the form (texting is quicker: “remind me at 5 to call mom”)."""
    values = await form_data(request)
    errors: dict[str, str] = {}
    if not values.get("text"):
        errors["text"] = "What should I remind you about?"
    if not values.get("due_at"):
        errors["due_at"] = "Pick a day and time."
    if not errors:
        try:
            reminder = await reminders.create_reminder(session, user, text=values["text"], due_at=values["due_at"])
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(request, "/reminders", f"I’ll remind you: “{reminder.text}”.")
    await undo(session, user)
    return await _page(request, session, user, errors=errors, values=values, status_code=422)


@router.post("/reminders/{reminder_id}/snooze")
async def snooze(request: Request, reminder_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Push a reminder back by the chosen time."""
    reminder = await reminders.get_reminder(session, user, parse_id(reminder_id))
    values = await form_data(request)
    try:
        minutes = int(values.get("minutes") or 10)
        await reminders.snooze(session, user, reminder, minutes=minutes)
    except (ValueError, ValidationFailed):
        await undo(session, user)
        return redirect(request, "/reminders", "That reminder can’t be snoozed any more.")
    return redirect(request, "/reminders", f"Snoozed “{reminder.text}”.")


@router.post("/reminders/{reminder_id}/done")
async def acknowledge(request: Request, reminder_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Mark a reminder done (a repeating one moves on to its next time)."""
    reminder = await reminders.get_reminder(session, user, parse_id(reminder_id))
    try:
        await reminders.acknowledge(session, user, reminder)
    except ValidationFailed:
        await undo(session, user)
        return redirect(request, "/reminders", "That reminder is already finished.")
    return redirect(request, "/reminders", f"Done: “{reminder.text}”.")


@router.post("/reminders/{reminder_id}/cancel")
async def cancel(request: Request, reminder_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """Stop a reminder for good."""
    reminder = await reminders.get_reminder(session, user, parse_id(reminder_id))
    await reminders.cancel(session, user, reminder)
    return redirect(request, "/reminders", f"Cancelled “{reminder.text}”.")
