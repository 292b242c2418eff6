"""Personal API tokens: `pat_...`, shown once at creation, stored as a keyed hash, revocable.

A token acts as its owner (Principal.via == "api_token") until revoked or expired. It carries the
second factor of the login that created it (admin routes need that), never more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit
from personal_assistant.auth.principal import API_TOKEN_PREFIX
from personal_assistant.auth.repository import ApiTokenRepository
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token, random_token
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.db.models import ApiToken

DISPLAY_PREFIX_LENGTH = 12  # "pat_" + 8 characters, enough to tell tokens apart in a list
MAX_EXPIRY_DAYS = 3650


@dataclass(frozen=True)
class CreatedApiToken:
    token: ApiToken
    plaintext: str  # returned to the caller once, never stored


async def create_api_token(
    session: AsyncSession,
    user_id: uuid.UUID,
    name: str,
    *,
    expires_in_days: int | None = None,
    mfa: bool = False,
    ip: str | None = None,
) -> CreatedApiToken:
    """Create a token named `name`; the plaintext is in the result and nowhere else. `mfa`: the
    caller's login passed the second factor, so the token may reach admin routes."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("a token needs a name", fields={"name": "1 to 100 characters"})
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ValidationFailed("invalid expiry", fields={"expires_in_days": f"1 to {MAX_EXPIRY_DAYS} days"})
    plaintext = API_TOKEN_PREFIX + random_token(32)
    now = clock.now()
    row = ApiToken(
        name=name,
        prefix=plaintext[:DISPLAY_PREFIX_LENGTH],
        token_hash=hash_token(plaintext),
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        mfa=mfa,
        created_at=now,
    )
    await ApiTokenRepository(session, user_id).add(row)
    await audit.record(session, "auth.api_token_created", user_id=user_id, ip=ip, token_id=row.id)
    return CreatedApiToken(row, plaintext)


async def list_api_tokens(session: AsyncSession, user_id: uuid.UUID) -> list[ApiToken]:
    """The user's tokens that are not revoked, newest first."""
    return await ApiTokenRepository(session, user_id).list(
        ApiToken.revoked_at.is_(None), order_by=[ApiToken.created_at.desc()]
    )


async def revoke_api_token(
    session: AsyncSession, user_id: uuid.UUID, token_id: uuid.UUID | str, *, ip: str | None = None
) -> None:
    """Revoke one of the user's tokens; another user's id (or an unknown one) is NotFound."""
    repo = ApiTokenRepository(session, user_id)
    row = await repo.get(token_id)
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        await audit.record(session, "auth.api_token_revoked", user_id=user_id, ip=ip, token_id=row.id)
