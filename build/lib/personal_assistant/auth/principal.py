"""Who is calling: a Principal produced from a bearer JWT or a personal API token (the FastAPI
dependencies that use it are in deps.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth.jwt_tokens import decode_access_token
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token
from personal_assistant.core.errors import Unauthorized
from personal_assistant.db.models import ApiToken, User

API_TOKEN_PREFIX = "pat_"

@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    role: str
    via: str  # jwt|api_token|session
    # When the caller last proved who they are interactively (password, magic link, TOTP), if
    # known: set from the access token's auth_time claim; None after a refresh or for API tokens.
    auth_time: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


async def principal_from_token(session: AsyncSession, token: str) -> Principal:
    if token.startswith(API_TOKEN_PREFIX):
        row = (
            await session.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == hash_token(token))
            )
        ).one_or_none()
        if row is None:
            raise Unauthorized("invalid API token", code="invalid_token")
        api_token, user = row
        now = clock.now()
        if api_token.revoked_at or (api_token.expires_at and api_token.expires_at <= now):
            raise Unauthorized("API token revoked or expired", code="invalid_token")
        if not user.is_active:
            raise Unauthorized("account disabled", code="account_disabled")
        api_token.last_used_at = now
        return Principal(user.id, user.role, "api_token")

    claims = decode_access_token(token)
    try:
        user_id = uuid.UUID(claims["sub"])
    except ValueError as exc:
        raise Unauthorized("invalid access token", code="invalid_token") from exc
    account = await session.get(User, user_id)
    if account is None or not account.is_active:
        raise Unauthorized("account disabled or deleted", code="account_disabled")
    auth_time = claims.get("auth_time")
    return Principal(
        account.id,
        account.role,
        "jwt",
        datetime.fromtimestamp(int(auth_time), UTC) if isinstance(auth_time, int | float) else None,
    )
