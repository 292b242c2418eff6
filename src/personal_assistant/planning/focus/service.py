"""Focus session rules: one running session at a time; end early or on time; record how it
went. The mid-way and end texts are sent by focus/jobs.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import Conflict, ValidationFailed
from personal_assistant.db.models.planning import FocusSession, Task
from personal_assistant.planning.common import UserRef, user_id_of
from personal_assistant.planning.focus.repository import FocusRepository
from personal_assistant.planning.tasks.repository import TaskRepository

MAX_MINUTES = 240
# An outcome texted this long after a session ended still belongs to it.
OUTCOME_WINDOW = timedelta(hours=3)


@dataclass
class FocusEnded:
    focus: FocusSession | None  # None: nothing was running (and nothing recent to annotate)
    minutes_focused: int = 0
    planned_minutes: int = 0
    early: bool = False


def _repo(session: AsyncSession, user: UserRef) -> FocusRepository:
    return FocusRepository(session, user_id_of(user))


def _finish(focus: FocusSession, now) -> None:
    ends = clock.as_utc(focus.ends_at)
    focus.ended_at = min(now, ends) if now >= ends else now
    focus.status = "ended_early" if now < ends else "completed"


async def active_focus(session: AsyncSession, user: UserRef) -> FocusSession | None:
    """The running session (status active, end time not reached), if any. Sessions past their
    end stay "active" until the end text has gone out (focus/jobs.py) or the user answers."""
    now = clock.now()
    for focus in await _repo(session, user).active():
        if clock.as_utc(focus.ends_at) > now:
            return focus
    return None


async def start_focus(
    session: AsyncSession,
    user: UserRef,
    *,
    minutes: int,
    label: str | None = None,
    task: Task | uuid.UUID | None = None,
    task_id: uuid.UUID | None = None,
    midway_checkin: bool = False,
) -> FocusSession:
    """Start a focus session of `minutes` (1..240), optionally on a task (its title becomes
    the label) with a mid-way check-in. Refused (409) while another session is running."""
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise ValidationFailed("minutes must be 1 to 240", fields={"minutes": "1 to 240"})
    now = clock.now()
    for old in await _repo(session, user).active():
        if clock.as_utc(old.ends_at) > now:
            raise Conflict("a focus session is already running; end it first", code="focus_running")
        _finish(old, now)  # its time was up: it counts as completed
    task = task if task is not None else task_id
    linked: Task | None = None
    if isinstance(task, Task):
        linked = task
    elif task is not None:
        linked = await TaskRepository(session, user_id_of(user)).find(task)
        if linked is None:
            raise ValidationFailed("no such task", fields={"task_id": "no such task"})
    focus = FocusSession(
        task_id=linked.id if linked else None,
        label=((label or "").strip() or (linked.title if linked else None)),
        minutes=minutes,
        started_at=now,
        ends_at=now + timedelta(minutes=minutes),
        midway_checkin=bool(midway_checkin),
        status="active",
    )
    return await _repo(session, user).add(focus)


async def end_focus(
    session: AsyncSession,
    user: UserRef,
    *,
    outcome: str | None = None,
    focus_id: uuid.UUID | str | None = None,
) -> FocusEnded:
    """End the running session (early if before its end time) and record how it went. With no
    running session, an outcome is attached to the session that ended in the last 3 hours."""
    repo = _repo(session, user)
    now = clock.now()
    if focus_id is not None:
        focus = await repo.get(focus_id)
    else:
        open_ones = await repo.active()
        if open_ones:
            focus = open_ones[0]
        else:
            latest = await repo.latest()
            recent = (
                latest is not None
                and latest.ended_at is not None
                and now - clock.as_utc(latest.ended_at) <= OUTCOME_WINDOW
            )
            if latest is None or not (recent and outcome):
                return FocusEnded(None)
            focus = latest
    if focus.status == "active":
        _finish(focus, now)
    if outcome is not None and outcome.strip():
        focus.outcome = outcome.strip()[:2000]
    await session.flush()
    started, ended = clock.as_utc(focus.started_at), clock.as_utc(focus.ended_at or now)
    focused = max(0, int((ended - started).total_seconds() // 60))
    return FocusEnded(focus, min(focused, focus.minutes), focus.minutes, focus.status == "ended_early")


async def list_focus(
    session: AsyncSession, user: UserRef, *, status: str | None = None, limit: int | None = 50, offset: int = 0
) -> tuple[list[FocusSession], int]:
    """Sessions, newest first."""
    where = [FocusSession.status == status] if status else []
    repo = _repo(session, user)
    return await repo.list(
        *where, order_by=[FocusSession.started_at.desc()], limit=limit, offset=offset
    ), await repo.count(*where)


async def get_focus(session: AsyncSession, user: UserRef, focus_id: uuid.UUID | str) -> FocusSession:
    return await _repo(session, user).get(focus_id)


async def update_focus(
    session: AsyncSession, user: UserRef, focus_id: uuid.UUID | str, changes: dict[str, Any]
) -> FocusSession:
    """Change the label or the recorded outcome."""
    focus = await get_focus(session, user, focus_id)
    for key in ("label", "outcome"):
        if key in changes:
            setattr(focus, key, (changes[key] or "").strip() or None)
    await session.flush()
    return focus


async def delete_focus(session: AsyncSession, user: UserRef, focus_id: uuid.UUID | str) -> None:
    repo = _repo(session, user)
    await repo.delete(await repo.get(focus_id))
