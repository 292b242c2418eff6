"""Every query on the credential tables (users lookups for login live in users.repository)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models import (
    ApiToken,
    BrowserSession,
    MagicLink,
    MfaRecoveryCode,
    MfaSecret,
    RefreshToken,
    User,
)
from personal_assistant.db.repository import ScopedRepository


def _rowcount(result: object) -> int:
    return cast(CursorResult, result).rowcount or 0


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
        result = await self.session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.user_id == self.user_id,
                RefreshToken.family_id == family_id,
                RefreshToken.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return _rowcount(result)

    async def revoke_all(self, at: datetime, *, except_family: uuid.UUID | None = None) -> int:
        """Revoke every family of the user but `except_family` (the caller's own login)."""
        stmt = update(RefreshToken).where(RefreshToken.user_id == self.user_id, RefreshToken.revoked_at.is_(None))
        if except_family is not None:
            stmt = stmt.where(RefreshToken.family_id != except_family)
        return _rowcount(await self.session.execute(stmt.values(revoked_at=at)))

    async def family_active(self, family_id: uuid.UUID) -> bool:
        """The login `family_id` has not been logged out or revoked (access tokens carry it)."""
        stmt = (
            select(RefreshToken.id)
            .where(
                RefreshToken.user_id == self.user_id,
                RefreshToken.family_id == family_id,
                RefreshToken.revoked_at.is_(None),
            )
            .limit(1)
        )
        return (await self.session.execute(stmt)).first() is not None


class BrowserSessionRepository(ScopedRepository[BrowserSession]):
    model = BrowserSession
    label = "browser session"

    async def active(self, now: datetime) -> list[BrowserSession]:
        return await self.list(
            BrowserSession.revoked_at.is_(None),
            BrowserSession.expires_at > now,
            order_by=[BrowserSession.last_seen_at.desc()],
        )

    async def revoke(self, session_id: uuid.UUID, at: datetime) -> int:
        result = await self.session.execute(
            update(BrowserSession)
            .where(
                BrowserSession.user_id == self.user_id,
                BrowserSession.id == session_id,
                BrowserSession.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return _rowcount(result)

    async def revoke_all(self, at: datetime, *, except_id: uuid.UUID | None = None) -> int:
        stmt = update(BrowserSession).where(
            BrowserSession.user_id == self.user_id, BrowserSession.revoked_at.is_(None)
        )
        if except_id is not None:
            stmt = stmt.where(BrowserSession.id != except_id)
        return _rowcount(await self.session.execute(stmt.values(revoked_at=at)))


class MfaRecoveryCodeRepository(ScopedRepository[MfaRecoveryCode]):
    model = MfaRecoveryCode
    label = "recovery code"

    async def replace_all(self, code_hashes: list[str]) -> None:
        await self.delete_all()
        self.session.add_all(MfaRecoveryCode(user_id=self.user_id, code_hash=h) for h in code_hashes)
        await self.session.flush()

    async def delete_all(self) -> None:
        await self.session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == self.user_id))

    async def use(self, code_hash: str, at: datetime) -> bool:
        """Spend the unused code with this hash. Atomic: two concurrent logins with one code
        cannot both succeed."""
        result = await self.session.execute(
            update(MfaRecoveryCode)
            .where(
                MfaRecoveryCode.user_id == self.user_id,
                MfaRecoveryCode.code_hash == code_hash,
                MfaRecoveryCode.used_at.is_(None),
            )
            .values(used_at=at)
        )
        return _rowcount(result) == 1

    async def unused_count(self) -> int:
        stmt = select(func.count()).where(MfaRecoveryCode.user_id == self.user_id, MfaRecoveryCode.used_at.is_(None))
        return int((await self.session.execute(stmt)).scalar_one())


# Lookups by a secret's hash happen before the caller is known (the hash is the credential), so
# they cannot be scoped by user; they return the row whose user_id then scopes everything else.


async def refresh_token_by_hash(session: AsyncSession, token_hash: str, *, lock: bool = False) -> RefreshToken | None:
    """`lock` takes a row lock (PostgreSQL) so two concurrent refreshes of one token serialise."""
    stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def api_token_by_hash(session: AsyncSession, token_hash: str) -> tuple[ApiToken, User] | None:
    """The API token with this hash and its owner."""
    row = (
        await session.execute(
            select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == token_hash)
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1])


async def browser_session_by_hash(session: AsyncSession, token_hash: str) -> tuple[BrowserSession, User] | None:
    """The browser session with this cookie secret's hash and its owner."""
    row = (
        await session.execute(
            select(BrowserSession, User)
            .join(User, User.id == BrowserSession.user_id)
            .where(BrowserSession.token_hash == token_hash)
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1])


async def magic_link_by_hash(session: AsyncSession, token_hash: str) -> MagicLink | None:
    stmt = select(MagicLink).where(MagicLink.token_hash == token_hash).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def mfa_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(MfaSecret.id).where(MfaSecret.user_id == user_id, MfaSecret.enabled_at.is_not(None)).limit(1)
    )
    return result.first() is not None
