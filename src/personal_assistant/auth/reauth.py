"""Throttling of the password and code checks made behind a login.

Deleting the account, turning two-step login on or off, replacing recovery codes and changing
the password each check a secret for a caller who already holds a token or a cookie. Someone who
stole that token must not get unlimited guesses at the password or the TOTP code it protects, so
every such check counts against LOGIN_RATE_LIMIT per account, success or not, like a login.
"""

from __future__ import annotations

import uuid

from personal_assistant.config import get_settings
from personal_assistant.core.ratelimit import get_rate_limiter


async def throttle(user_id: uuid.UUID) -> None:
    """Count one confirmation attempt for the account; RateLimited (429) when over the limit."""
    await get_rate_limiter().hit(get_settings().login_rate_limit, "reauth", str(user_id))
