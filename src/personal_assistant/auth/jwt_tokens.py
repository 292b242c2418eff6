"""Short-lived JWTs signed with SECRET_KEY (HS256): access tokens and MFA challenge tokens."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import jwt

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.errors import Unauthorized

ALGORITHM = "HS256"
MFA_TOKEN_MINUTES = 5


def create_access_token(
    user_id: uuid.UUID,
    role: str,
    *,
    minutes: int | None = None,
    auth_time: datetime | None = None,
    family_id: uuid.UUID | None = None,
    amr: Sequence[str] = (),
) -> str:
    """An access token. `auth_time` (set by an interactive login, absent after a refresh) lets
    sensitive actions ask for a recent login. `family_id` ("fam") names the login (refresh-token
    family) it belongs to, so logging that login out stops the token at once. `amr` lists how the
    login was proven (RFC 8176 values; "mfa" when a second factor was checked)."""
    settings = get_settings()
    issued = clock.now()
    claims: dict[str, object] = {
        "sub": str(user_id),
        "role": role,
        "type": "access",
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(minutes=minutes or settings.access_token_minutes)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if auth_time is not None:
        claims["auth_time"] = int(auth_time.timestamp())
    if family_id is not None:
        claims["fam"] = str(family_id)
    if amr:
        claims["amr"] = list(amr)
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


def decode_mfa_token(token: str) -> tuple[uuid.UUID, str]:
    """(user id, first factor method) of a valid MFA challenge token."""
    claims = _decode(token, "mfa", "MFA token")
    method = claims.get("method")
    try:
        return uuid.UUID(claims["sub"]), method if method in ("password", "magic_link") else "password"
    except (ValueError, TypeError, AttributeError) as exc:
        raise Unauthorized("invalid MFA token", code="invalid_token") from exc
