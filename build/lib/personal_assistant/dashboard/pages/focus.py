"""The focus button: start a time box (a text arrives when it ends) and end it early."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.errors import Conflict, ValidationFailed
from personal_assistant.dashboard.web import DB, CurrentUser, dashboard_router, form_data, parse_id, redirect, undo
from personal_assistant.db.models import FocusSession, User
from personal_assistant.planning.focus import service as focus

router = dashboard_router()


async def active_focus(session: AsyncSession, user: User) -> FocusSession | None:
    return await focus.active_focus(session, user)


@router.post("/focus")
async def start_focus(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Start focusing for the chosen minutes."""
    values = await form_data(request)
    try:
        minutes = int(values.get("minutes") or 25)
        started = await focus.start_focus(session, user, minutes=minutes, label=values.get("label") or None)
    except (ValueError, ValidationFailed):
        await undo(session, user)
        return redirect(request, "/", "Pick how many minutes to focus for.")
    except Conflict:
        await undo(session, user)
        return redirect(request, "/", "You are already focusing. End that session first.")
    return redirect(request, "/", f"Focus time: {started.minutes} minutes. I’ll text you when it’s up.")


@router.post("/focus/{focus_id}/end")
async def end_focus(request: Request, focus_id: str, user: User = CurrentUser, session: AsyncSession = DB):
    """End the running focus session."""
    running = await focus.get_focus(session, user, parse_id(focus_id))
    ended = await focus.end_focus(session, user, focus_id=running.id)
    return redirect(request, "/", f"Nice work: {ended.minutes_focused} minutes of focus.")
