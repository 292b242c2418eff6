"""Goal rules: tasks link to goals; a goal's progress is its done/total tasks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.db.models.planning import GOAL_STATUSES, Goal
from personal_assistant.planning.common import (
    Ambiguous,
    UserRef,
    best_matches,
    id_from_last_list,
    parse_day,
    remember_list,
    user_id_of,
)
from personal_assistant.planning.goals.repository import GoalRepository
from personal_assistant.planning.tasks.repository import TaskRepository

LIST_KIND = "goals"


@dataclass
class GoalProgress:
    goal: Goal
    done: int
    total: int

    @property
    def ratio(self) -> float:
        return round(self.done / self.total, 4) if self.total else 0.0

    @property
    def open_tasks(self) -> int:
        return self.total - self.done


def _repo(session: AsyncSession, user: UserRef) -> GoalRepository:
    return GoalRepository(session, user_id_of(user))


def _check(changes: dict[str, Any]) -> None:
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationFailed("title is required", fields={"title": "required"})
    if "status" in changes and changes["status"] not in GOAL_STATUSES:
        raise ValidationFailed("unknown status", fields={"status": f"one of {', '.join(GOAL_STATUSES)}"})


async def create_goal(
    session: AsyncSession,
    user: UserRef,
    *,
    title: str,
    why: str | None = None,
    target_date: date | str | None = None,
    status: str = "active",
) -> Goal:
    """Create a goal. target_date is an ISO date."""
    _check({"title": title, "status": status})
    day = parse_day(target_date, field="target_date") if target_date else None
    return await _repo(session, user).add(Goal(title=title.strip()[:200], why=why, target_date=day, status=status))


async def get_goal(session: AsyncSession, user: UserRef, goal_id: uuid.UUID | str) -> Goal:
    return await _repo(session, user).get(goal_id)


async def progress_for(session: AsyncSession, user: UserRef, goals: list[Goal]) -> list[GoalProgress]:
    """Each goal with its done/total task counts."""
    counts = await TaskRepository(session, user_id_of(user)).counts_by_goal([g.id for g in goals])
    return [GoalProgress(g, *counts.get(g.id, (0, 0))) for g in goals]


async def goal_progress(session: AsyncSession, user: UserRef, goal: Goal) -> GoalProgress:
    return (await progress_for(session, user, [goal]))[0]


async def list_goals(
    session: AsyncSession,
    user: UserRef,
    *,
    status: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
    for_sms: bool = False,
) -> tuple[list[GoalProgress], int]:
    """Goals (optionally by status), nearest target date first, with progress. With for_sms the
    order is stored so the user can refer to a goal by its number."""
    repo = _repo(session, user)
    where = [Goal.status == status] if status else []
    if status and status not in GOAL_STATUSES:
        raise ValidationFailed("unknown status", fields={"status": f"one of {', '.join(GOAL_STATUSES)}"})
    goals = await repo.list(
        *where, order_by=[Goal.target_date.is_(None), Goal.target_date, Goal.created_at], limit=limit, offset=offset
    )
    if for_sms:
        await remember_list(session, user_id_of(user), LIST_KIND, [g.id for g in goals])
    return await progress_for(session, user, goals), await repo.count(*where)


async def resolve_goal_ref(session: AsyncSession, user: UserRef, ref: str) -> Goal:
    """A goal from a number of the last goal list or words of its title."""
    text = (ref or "").strip().lstrip("#")
    repo = _repo(session, user)
    if text.isdigit():
        goal_id = await id_from_last_list(session, user_id_of(user), LIST_KIND, int(text))
        goal = await repo.find(goal_id) if goal_id else None
        if goal is None:
            raise NotFound(f"goal {text} of the last list")
        return goal
    found = best_matches(text, await repo.list(Goal.status == "active"), key=lambda g: g.title, threshold=0.7)
    if not found:
        raise NotFound("goal")
    if len(found) > 1:
        raise Ambiguous("goal", found)
    return found[0]


async def update_goal(session: AsyncSession, user: UserRef, goal_id: uuid.UUID | str, changes: dict[str, Any]) -> Goal:
    """Partial update of a goal."""
    goal = await get_goal(session, user, goal_id)
    _check(changes)
    if "target_date" in changes:
        value = changes["target_date"]
        goal.target_date = parse_day(value, field="target_date") if value else None
    for key in ("title", "why", "status"):
        if key in changes:
            setattr(goal, key, changes[key])
    await session.flush()
    return goal


async def delete_goal(session: AsyncSession, user: UserRef, goal_id: uuid.UUID | str) -> None:
    """Delete a goal; its tasks stay, unlinked."""
    repo = _repo(session, user)
    await repo.delete(await repo.get(goal_id))
