"""Today: a greeting by name and the one next thing: the next reminder, the top task (its
first open step, when it has one) and a focus session. Nothing else above the fold."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.dashboard.formatting import next_time
from personal_assistant.dashboard.pages.focus import active_focus
from personal_assistant.dashboard.web import DB, CurrentUser, dashboard_router, render
from personal_assistant.db.models import Task, User
from personal_assistant.planning.reminders import service as reminders
from personal_assistant.planning.tasks import service as tasks
from personal_assistant.users import service as users

router = dashboard_router()


def greeting(tz_name: str, name: str | None) -> str:
    """'Good evening, Sam' in the user's own time; a plain 'Hello' in the small hours."""
    hour = clock.local_now(tz_name).hour if clock.is_valid_timezone(tz_name) else 12
    if 5 <= hour < 12:
        words = "Good morning"
    elif 12 <= hour < 18:
        words = "Good afternoon"
    elif 18 <= hour < 23:
        words = "Good evening"
    else:
        words = "Hello"
    return f"{words}, {name}" if name else words


def top_task(open_tasks: list[Task]) -> tuple[Task | None, Task | None]:
    """(the task, its first open step or None). The list is in OPEN_ORDER (soonest due, then
    priority); the top task is the first one that is not a step of another open task."""
    open_ids = {t.id for t in open_tasks}
    top = next((t for t in open_tasks if t.parent_id not in open_ids), None)
    if top is None:
        return None, None
    step = next((t for t in open_tasks if t.parent_id == top.id), None)
    return top, step


@router.get("/")
async def home(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Today at a glance. Signed out: the login page."""
    upcoming, upcoming_total = await reminders.list_reminders(session, user, upcoming=True, limit=20)
    upcoming.sort(key=lambda r: clock.as_utc(next_time(r)))
    open_tasks = await tasks.list_tasks(session, user, status="open", limit=200)
    task, step = top_task(open_tasks.items)
    phones = await users.list_phones(session, user.id)
    return render(
        request,
        "home.html",
        {
            "title": "Today",
            "greeting": greeting(user.timezone, user.name),
            "next_reminder": upcoming[0] if upcoming else None,
            "reminder_count": upcoming_total,
            "task": task,
            "step": step,
            "open_count": open_tasks.total,
            "has_phone": any(p.verified_at for p in phones),
            "focus": await active_focus(session, user),
        },
    )
