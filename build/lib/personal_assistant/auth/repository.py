"""Every query on the credential tables (users lookups for login live in users.repository)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models import ApiToken, MagicLink, MfaSecret, RefreshToken
from personal_assistant.db.repository import ScopedRepository


class ApiTokenRepository(ScopedRepository[ApiToken]):
    model = ApiToken
    label = "API token"


class MfaRepository(ScopedRepository[MfaSecret]):
    model = MfaSecret
    label = "MFA secret"

    async def current(self) -> MfaSecret | None:
        rows = await self.list(order_by=[MfaSecret.created_at.desc()], limit=1)
        return rows[0] if rows else None


class RefreshTokenRepository(ScopedRepository[RefreshToken]):
    model = RefreshToken
    label = "refresh token"

    async def revoke_family(self, family_id: uuid.UUID, at: datetime) -> int:
        result: CursorResult = await self.session.execute(  # type: ignore[assignment]
            update(RefreshToken)
            .where(
                RefreshToken.user_id == self.user_id,
                RefreshToken.family_id == family_id,
                RefreshToken.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return result.rowcount or 0

    async def revoke_all(self, at: datetime) -> int:
        result: CursorResult = await self.session.execute(  # type: ignore[assignment]
            update(RefreshToken)
            .where(RefreshToken.user_id == self.user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return result.rowcount or 0


# Lookups by a secret's hash happen before the caller is known (the hash is the credential), so
# they cannot be scoped by user; they return the row whose user_id then scopes everything else.


async def refresh_token_by_hash(session: AsyncSession, token_hash: str, *, lock: bool = False) -> RefreshToken | None:
    """`lock` takes a row lock (PostgreSQL) so two concurrent refreshes of one token serialise."""
    stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def magic_link_by_hash(session: AsyncSession, token_hash: str) -> MagicLink | None:
    stmt = select(MagicLink).where(MagicLink.token_hash == token_hash).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def mfa_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(MfaSecret.id).where(MfaSecret.user_id == user_id, MfaSecret.enabled_at.is_not(None)).limit(1)
    )
    return result.first() is not None
