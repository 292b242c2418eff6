"""Who is calling: a Principal produced from a bearer JWT or a personal API token (the FastAPI
dependencies that use it are in deps.py; the dashboard builds one from its session row)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth.jwt_tokens import decode_access_token
from personal_assistant.auth.repository import RefreshTokenRepository, api_token_by_hash
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token
from personal_assistant.core.errors import Unauthorized
from personal_assistant.users.repository import UserRepository

API_TOKEN_PREFIX = "pat_"
# auth_time claims outside these bounds are not a moment anyone logged in (datetime would also
# overflow on them): the token is refused rather than trusted or crashed on.
_EARLIEST_AUTH_TIME = datetime(2020, 1, 1, tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    role: str
    via: str  # jwt|api_token|session
    # When the caller last proved who they are interactively (password, magic link, TOTP), if
    # known: set from the access token's auth_time claim; None after a refresh or for API tokens.
    auth_time: datetime | None = None
    # The credential was obtained with the second factor (TOTP or a recovery code). Admin routes
    # need it: an account with MFA on is not enough when the token predates it.
    mfa: bool = False
    # The login this credential belongs to: the refresh-token family of a JWT, or the browser
    # session row of a dashboard cookie. "Log out other sessions" keeps this one.
    session_id: uuid.UUID | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _invalid() -> Unauthorized:
    return Unauthorized("invalid access token", code="invalid_token")


def _uuid_claim(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise _invalid()
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise _invalid() from exc


def _auth_time_claim(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid()
    # A little slack for clock skew between API processes; anything else is not a real login.
    if not _EARLIEST_AUTH_TIME <= value <= clock.now().timestamp() + 300:
        raise _invalid()
    return datetime.fromtimestamp(value, UTC)


async def principal_from_token(session: AsyncSession, token: str) -> Principal:
    if token.startswith(API_TOKEN_PREFIX):
        found = await api_token_by_hash(session, hash_token(token))
        if found is None:
            raise Unauthorized("invalid API token", code="invalid_token")
        api_token, user = found
        now = clock.now()
        if api_token.revoked_at or (api_token.expires_at and api_token.expires_at <= now):
            raise Unauthorized("API token revoked or expired", code="invalid_token")
        if not user.is_active:
            raise Unauthorized("account disabled", code="account_disabled")
        api_token.last_used_at = now
        return Principal(user.id, user.role, "api_token", mfa=api_token.mfa)

    claims = decode_access_token(token)
    user_id = _uuid_claim(claims.get("sub"))
    auth_time = _auth_time_claim(claims.get("auth_time"))
    family = claims.get("fam")
    family_id = None if family is None else _uuid_claim(family)
    amr = claims.get("amr")
    account = await UserRepository(session).find(user_id)
    if account is None or not account.is_active:
        raise Unauthorized("account disabled or deleted", code="account_disabled")
    # Tokens from a login name it; a logged-out (or revoked) login stops its access tokens now,
    # not when they expire.
    if family_id is not None and not await RefreshTokenRepository(session, account.id).family_active(family_id):
        raise Unauthorized("this login has ended; please log in again", code="session_ended")
    return Principal(
        account.id,
        account.role,
        "jwt",
        auth_time,
        mfa=isinstance(amr, list) and "mfa" in amr,
        session_id=family_id,
    )
