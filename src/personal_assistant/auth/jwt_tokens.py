"""Short-lived JWT access tokens (HS256, signed with SECRET_KEY)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import jwt

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.errors import Unauthorized

ALGORITHM = "HS256"


def create_access_token(user_id: uuid.UUID, role: str, *, minutes: int | None = None) -> str:
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
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str) -> dict:
    try:
        claims = jwt.decode(
            token,
            get_settings().secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "type"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("access token expired", code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("invalid access token", code="invalid_token") from exc
    if claims.get("type") != "access":
        raise Unauthorized("invalid access token", code="invalid_token")
    return claims
