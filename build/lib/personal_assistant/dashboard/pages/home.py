"""Today: the next reminders, the top tasks, and a focus button."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.dashboard.web import DB, CurrentUser, dashboard_router, render
from personal_assistant.db.models import User
from personal_assistant.planning.reminders import service as reminders
from personal_assistant.planning.tasks import service as tasks
from personal_assistant.users import service as users

router = dashboard_router()


def _greeting(tz_name: str) -> str:
    hour = clock.local_now(tz_name).hour if clock.is_valid_timezone(tz_name) else 12
    if hour < 5:
        return "Still up"
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


@router.get("/")
async def home(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Today at a glance. Signed out: the login page."""
    upcoming, _ = await reminders.list_reminders(session, user, upcoming=True, limit=5)
    top = await tasks.list_tasks(session, user, status="open", limit=20)
    phones = await users.list_phones(session, user.id)
    from personal_assistant.dashboard.pages.focus import active_focus

    return render(
        request,
        "home.html",
        {
            "title": "Today",
            "greeting": _greeting(user.timezone),
            "reminders": upcoming,
            "tasks": [t for t in top.items if t.parent_id is None][:3] or top.items[:3],
            "open_count": top.total,
            "has_phone": any(p.verified_at for p in phones),
            "focus": await active_focus(session, user),
        },
    )
