"""Access + refresh token pairs, refresh rotation with reuse detection, logout.

A login starts a refresh-token *family*. Each refresh marks the presented token rotated and issues
the next one in the same family. Presenting a token that was already rotated means two parties
hold it (one of them stole it): the whole family is revoked and both must log in again.

Access tokens name their family ("fam"), so revoking a family stops its access tokens at once. A
family started by a login that passed the second factor is marked `mfa`, and every access token
of that family says so ("amr": ["mfa", ...]); admin routes need it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit
from personal_assistant.auth.jwt_tokens import create_access_token
from personal_assistant.auth.repository import (
    BrowserSessionRepository,
    RefreshTokenRepository,
    refresh_token_by_hash,
)
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token, random_token
from personal_assistant.core.errors import Unauthorized
from personal_assistant.db.models import RefreshToken, User


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds until the access token expires
    token_type: str = "bearer"


async def issue_token_pair(
    session: AsyncSession,
    user: User,
    *,
    family_id: uuid.UUID | None = None,
    user_agent: str | None = None,
    auth_time: datetime | None = None,
    amr: Sequence[str] = (),
) -> TokenPair:
    """A new access JWT and a refresh token (stored hashed) in `family_id` (new family if None).

    `auth_time` marks an interactive login; refreshed pairs leave it out. `amr` says how the login
    was proven; with "mfa" in it the family is marked as a second-factor login."""
    settings = get_settings()
    plaintext = random_token(32)
    now = clock.now()
    family = family_id or uuid.uuid4()
    mfa = "mfa" in amr
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family,
            token_hash=hash_token(plaintext),
            expires_at=now + timedelta(days=settings.refresh_token_days),
            user_agent=(user_agent or None) and user_agent[:255],
            mfa=mfa,
            created_at=now,
        )
    )
    await session.flush()
    access = create_access_token(user.id, user.role, auth_time=auth_time, family_id=family, amr=amr)
    return TokenPair(access, plaintext, settings.access_token_minutes * 60)


async def refresh(
    session: AsyncSession, refresh_token: str, *, ip: str | None = None, user_agent: str | None = None
) -> TokenPair:
    """Rotate a refresh token: the presented one is spent, a new pair is returned.

    Reuse of a spent token revokes its whole family and raises Unauthorized; this function commits
    that revocation (and its audit event) before raising so the error cannot roll it back.
    """
    invalid = Unauthorized("refresh token is invalid or expired", code="invalid_refresh_token")
    row = await refresh_token_by_hash(session, hash_token(refresh_token), lock=True)
    if row is None:
        raise invalid
    now = clock.now()
    if row.revoked_at is not None:
        raise invalid
    if row.rotated_at is not None:
        revoked = await RefreshTokenRepository(session, row.user_id).revoke_family(row.family_id, now)
        await audit.record(
            session,
            "auth.refresh_reuse",
            user_id=row.user_id,
            ip=ip,
            family_id=row.family_id,
            revoked_tokens=revoked,
        )
        await session.commit()
        raise Unauthorized("refresh token was already used; please log in again", code="refresh_token_reused")
    if row.expires_at <= now:
        raise invalid
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("account disabled or deleted", code="account_disabled")
    row.rotated_at = now
    # A refreshed pair keeps what the login proved (the second factor), not when it happened.
    return await issue_token_pair(
        session, user, family_id=row.family_id, user_agent=user_agent, amr=("mfa",) if row.mfa else ()
    )


async def logout(session: AsyncSession, refresh_token: str, *, ip: str | None = None) -> bool:
    """Revoke the family of `refresh_token` (this device's session). False if it was unknown."""
    row = await refresh_token_by_hash(session, hash_token(refresh_token))
    if row is None:
        return False
    revoked = await RefreshTokenRepository(session, row.user_id).revoke_family(row.family_id, clock.now())
    if revoked:
        await audit.record(session, "auth.logout", user_id=row.user_id, ip=ip, family_id=row.family_id)
    return True


async def revoke_all_sessions(
    session: AsyncSession, user_id: uuid.UUID, *, keep: uuid.UUID | None = None
) -> int:
    """End every login of the user: refresh-token families (and with them their access tokens)
    and browser sessions, except the one whose id is `keep` (the caller's own: a refresh family
    id or a browser session id). For disabling an account, a password change, turning MFA on and
    "log out everywhere". Returns how many were ended."""
    now = clock.now()
    families = await RefreshTokenRepository(session, user_id).revoke_all(now, except_family=keep)
    browsers = await BrowserSessionRepository(session, user_id).revoke_all(now, except_id=keep)
    return families + browsers


async def log_out_everywhere(session: AsyncSession, user_id: uuid.UUID, *, ip: str | None = None) -> int:
    """End every login of the user, the caller's own included (API tokens are kept: they are
    revoked one by one)."""
    ended = await revoke_all_sessions(session, user_id)
    await audit.record(session, "auth.logout_everywhere", user_id=user_id, ip=ip, ended=ended)
    return ended
