"""Short-lived JWTs signed with SECRET_KEY (HS256): access tokens and MFA challenge tokens."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import jwt

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.errors import Unauthorized

ALGORITHM = "HS256"
MFA_TOKEN_MINUTES = 5


def create_access_token(
    user_id: uuid.UUID, role: str, *, minutes: int | None = None, auth_time: datetime | None = None
) -> str:
    """An access token. `auth_time` (set by an interactive login, absent after a refresh) lets
    sensitive actions ask for a recent login."""
    settings = get_settings()
    issued = clock.now()
    claims = {
        "sub": str(user_id),
        "role": role,
        "type": "access",
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(minutes=minutes or settings.access_token_minutes)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if auth_time is not None:
        claims["auth_time"] = int(auth_time.timestamp())
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def _decode(token: str, expected_type: str, label: str) -> dict:
    try:
        claims = jwt.decode(
            token,
            get_settings().secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "type"], "verify_iat": False},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized(f"{label} expired", code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid {label}", code="invalid_token") from exc
    if claims.get("type") != expected_type:
        raise Unauthorized(f"invalid {label}", code="invalid_token")
    return claims


def decode_access_token(token: str) -> dict:
    return _decode(token, "access", "access token")


def create_mfa_token(user_id: uuid.UUID, method: str) -> str:
    """The short-lived proof that the first factor (password or magic link) succeeded."""
    issued = clock.now()
    claims = {
        "sub": str(user_id),
        "type": "mfa",
        "method": method,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(minutes=MFA_TOKEN_MINUTES)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, get_settings().secret_key, algorithm=ALGORITHM)


def decode_mfa_token(token: str) -> uuid.UUID:
    claims = _decode(token, "mfa", "MFA token")
    try:
        return uuid.UUID(claims["sub"])
    except ValueError as exc:
        raise Unauthorized("invalid MFA token", code="invalid_token") from exc
