"""Focus session queries: scoped to one user, except the nudge job's DueFocusRepository."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models.planning import FocusSession
from personal_assistant.db.models.users import User
from personal_assistant.db.repository import ScopedRepository


class FocusRepository(ScopedRepository[FocusSession]):
    model = FocusSession
    label = "focus session"

    async def active(self) -> list[FocusSession]:
        return await self.list(FocusSession.status == "active", order_by=[FocusSession.started_at.desc()])

    async def latest(self) -> FocusSession | None:
        rows = await self.list(order_by=[FocusSession.started_at.desc()], limit=1)
        return rows[0] if rows else None


class DueFocusRepository:
    """Unscoped on purpose: the nudge job takes every user's due focus texts, in batches."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_due(self, now: datetime, limit: int) -> list[tuple[FocusSession, User]]:
        """Active sessions whose end (or wanted mid-way check-in) text is due, with their users,
        locked for this transaction (other workers skip them)."""
        stmt = (
            select(FocusSession, User)
            .join(User, User.id == FocusSession.user_id)
            .where(
                FocusSession.status == "active",
                FocusSession.end_sent_at.is_(None),
                FocusSession.started_at <= now,
                or_(
                    FocusSession.ends_at <= now,
                    (FocusSession.midway_checkin.is_(True)) & FocusSession.midway_sent_at.is_(None),
                ),
            )
            .order_by(FocusSession.ends_at)
            .limit(limit)
            .with_for_update(of=FocusSession, skip_locked=True)
        )
        return [(focus, user) for focus, user in (await self.session.execute(stmt)).all()]
