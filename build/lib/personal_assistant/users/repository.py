"""Every query of the users domain.

The users table is not user-owned (it is the owner), so `UserRepository` reads it by id or email;
each caller passes the authenticated user's own id, except audited admin paths and the CLI.
Everything a user owns in other tables goes through scoped queries (`PhoneRepository`,
`owned_rows`), always filtered by user_id.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.errors import NotFound
from personal_assistant.db.base import Base
from personal_assistant.db.models import MfaSecret, PhoneNumber, User
from personal_assistant.db.repository import ScopedRepository


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, user_id: uuid.UUID | str) -> User | None:
        try:
            key = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
        except ValueError:
            return None
        return await self.session.get(User, key)

    async def get(self, user_id: uuid.UUID | str) -> User:
        user = await self.find(user_id)
        if user is None:
            raise NotFound("user")
        return user

    async def by_email(self, email: str) -> User | None:
        result = await self.session.execute(select(User).where(User.email == email))
        return result.scalar_one_or_none()

    def add(self, user: User) -> None:
        self.session.add(user)

    async def page(self, *, limit: int, offset: int, query: str | None = None) -> tuple[list[User], int]:
        where = []
        if query:
            pattern = f"%{query.lower()}%"
            where.append(or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern)))
        total = (await self.session.execute(select(func.count()).select_from(User).where(*where))).scalar_one()
        rows = await self.session.execute(
            select(User).where(*where).order_by(User.created_at, User.id).limit(limit).offset(offset)
        )
        return list(rows.scalars()), int(total)

    async def hard_delete(self, user_id: uuid.UUID) -> None:
        """DELETE the row; foreign keys cascade to every user-owned table (SET NULL on audit)."""
        await self.session.execute(delete(User).where(User.id == user_id))

    async def mfa_enabled_ids(self, user_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        if not user_ids:
            return set()
        result = await self.session.execute(
            select(MfaSecret.user_id).where(MfaSecret.user_id.in_(user_ids), MfaSecret.enabled_at.is_not(None))
        )
        return set(result.scalars())


class PhoneRepository(ScopedRepository[PhoneNumber]):
    model = PhoneNumber
    label = "phone number"

    async def by_e164(self, e164: str) -> list[PhoneNumber]:
        return await self.list(PhoneNumber.e164 == e164, order_by=[PhoneNumber.created_at.desc()])

    async def primary(self) -> PhoneNumber | None:
        """The verified phone texts go to: the primary one, else the oldest verified."""
        rows = await self.list(
            PhoneNumber.verified_at.is_not(None),
            order_by=[PhoneNumber.is_primary.desc(), PhoneNumber.verified_at],
            limit=1,
        )
        return rows[0] if rows else None


class CheckinUserRepository:
    """Unscoped on purpose: the check-in job walks every user who wants check-ins (ids only)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enabled_user_ids(self) -> list[uuid.UUID]:
        stmt = (
            select(User.id)
            .where(User.checkins_enabled.is_(True), User.is_active.is_(True))
            .order_by(User.id)
        )
        return list((await self.session.execute(stmt)).scalars())


async def verified_owner_of(session: AsyncSession, e164: str) -> uuid.UUID | None:
    """Who has verified this number (one owner at most); never exposed to other users."""
    result = await session.execute(
        select(PhoneNumber.user_id).where(PhoneNumber.e164 == e164, PhoneNumber.verified_at.is_not(None)).limit(1)
    )
    return result.scalar_one_or_none()


def user_tables() -> list[Table]:
    """Every table with a user_id column, in dependency order (walks Base.metadata)."""
    return [t for t in Base.metadata.sorted_tables if "user_id" in t.c and t.name != "users"]


async def owned_rows(session: AsyncSession, table: Table, user_id: uuid.UUID) -> list[dict[str, Any]]:
    """The rows of `table` that belong to `user_id` (scoped by user_id, like every user query)."""
    result = await session.execute(select(table).where(table.c.user_id == user_id))
    return [dict(row._mapping) for row in result]


async def count_rows_referencing(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Rows still pointing at `user_id` per table (deletion checks)."""
    counts: dict[str, int] = {}
    for table in user_tables():
        n = (
            await session.execute(select(func.count()).select_from(table).where(table.c.user_id == user_id))
        ).scalar_one()
        if n:
            counts[table.name] = int(n)
    return counts
