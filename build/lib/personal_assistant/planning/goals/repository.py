"""Goal queries (scoped to one user)."""

from __future__ import annotations

from personal_assistant.db.models.planning import Goal
from personal_assistant.db.repository import ScopedRepository


class GoalRepository(ScopedRepository[Goal]):
    model = Goal
    label = "goal"
