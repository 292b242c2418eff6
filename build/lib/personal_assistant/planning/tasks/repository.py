"""Task and goal queries (always scoped to one user)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import case, func, select

from personal_assistant.db.models.planning import Task
from personal_assistant.db.repository import ScopedRepository


class TaskRepository(ScopedRepository[Task]):
    model = Task
    label = "task"

    async def open_subtasks(self, parent_id: uuid.UUID) -> list[Task]:
        return await self.list(Task.parent_id == parent_id, Task.status != "done", order_by=[Task.created_at])

    async def completed_since(self, since: datetime) -> int:
        return await self.count(Task.status == "done", Task.completed_at >= since)

    async def open_tasks(self, limit: int | None = None) -> list[Task]:
        return await self.list(Task.status != "done", order_by=OPEN_ORDER, limit=limit)

    async def counts_by_goal(self, goal_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
        """goal id -> (done, total)."""
        if not goal_ids:
            return {}
        done = func.sum(case((Task.status == "done", 1), else_=0))
        stmt = (
            select(Task.goal_id, done, func.count())
            .where(Task.user_id == self.user_id, Task.goal_id.in_(goal_ids))
            .group_by(Task.goal_id)
        )
        rows = (await self.session.execute(stmt)).all()
        return {gid: (int(d or 0), int(t)) for gid, d, t in rows}


# Open tasks: overdue/soonest first, undated last, then by priority (1 high) and age.
OPEN_ORDER = [Task.due_at.is_(None), Task.due_at, Task.priority, Task.created_at]
