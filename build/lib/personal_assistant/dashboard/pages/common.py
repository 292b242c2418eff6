"""Small helpers several pages share."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models import User
from personal_assistant.planning.goals import service as goals


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


@lru_cache
def _zones() -> tuple[str, ...]:
    # Region/City names only; the odd legacy aliases ("EST5EDT", "Etc/GMT+3") confuse people.
    names = {
        z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    }
    return tuple(sorted(names | {"UTC"}))


def timezone_options() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in _zones()]


async def goal_options(session: AsyncSession, user: User) -> list[tuple[str, str]]:
    """Active goals for a task's goal picker."""
    progress, _ = await goals.list_goals(session, user, status="active", limit=200)
    return [(str(p.goal.id), p.goal.title) for p in progress]
