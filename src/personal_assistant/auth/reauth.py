"""Throttling of the password and code checks made behind a login.

Deleting the account, turning two-step login on or off, replacing recovery codes and changing
the password each check a secret for a caller who already holds a token or a cookie. Someone who
stole that token must not get unlimited guesses at the password or the TOTP code it protects, so
every such check counts against LOGIN_RATE_LIMIT per account, success or not, like a login.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from personal_assistant.auth.passwords import verify_password
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.core.ratelimit import get_rate_limiter
from personal_assistant.db.models import User

RECENT_LOGIN = timedelta(minutes=10)


async def throttle(user_id: uuid.UUID) -> None:
    """Count one confirmation attempt for the account; RateLimited (429) when over the limit."""
    await get_rate_limiter().hit(get_settings().login_rate_limit, "reauth", str(user_id))


def logged_in_recently(auth_time: datetime | None) -> bool:
    return auth_time is not None and clock.now() - auth_time <= RECENT_LOGIN


def confirm_identity(user: User, *, password: str | None, auth_time: datetime | None) -> None:
    """A login in the last 10 minutes, or else the password (call `throttle` first). Accounts
    without a password (magic link only) can only log in again."""
    if password and user.password_hash:
        if not verify_password(password, user.password_hash):
            raise ValidationFailed("wrong password", fields={"password": "wrong password"})
        return
    if logged_in_recently(auth_time):
        return
    raise ValidationFailed(
        "confirm with your password (or log in again)",
        code="recent_login_required",
        fields={"password": "your password, or a login in the last 10 minutes"},
    )
