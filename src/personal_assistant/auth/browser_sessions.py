"""Server-side browser sessions: what makes a dashboard cookie revocable.

The cookie carries a random secret (the session id); its keyed hash is a `browser_sessions` row.
Every request looks the row up, so logging out, "log out everywhere", a password change or
turning two-step login on ends the session on the server: a copy of the cookie stops working.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth.principal import Principal
from personal_assistant.auth.repository import BrowserSessionRepository, browser_session_by_hash
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token
from personal_assistant.db.models import BrowserSession, User

SESSION_LIFETIME = timedelta(days=14)
# last_seen_at is for the sessions list, not security: write it at most this often.
TOUCH_EVERY = timedelta(minutes=10)


def _hash(secret: str) -> str:
    return hash_token("browser-session:" + secret)


async def start_browser_session(
    session: AsyncSession, user_id: uuid.UUID, secret: str, *, mfa: bool, user_agent: str | None = None
) -> BrowserSession:
    """Record a signed-in browser whose cookie holds `secret` (mfa: the login passed the
    second factor)."""
    now = clock.now()
    row = BrowserSession(
        token_hash=_hash(secret),
        mfa=mfa,
        user_agent=(user_agent or None) and user_agent[:255],
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    return await BrowserSessionRepository(session, user_id).add(row)


async def live_browser_session(
    session: AsyncSession, user_id: uuid.UUID, secret: str
) -> tuple[BrowserSession, User] | None:
    """The session of `user_id` with this secret and its owner, if it is live: not ended, not
    expired, the account active. None otherwise."""
    found = await browser_session_by_hash(session, _hash(secret))
    if found is None:
        return None
    row, user = found
    now = clock.now()
    if row.user_id != user_id or row.revoked_at is not None or row.expires_at <= now or not user.is_active:
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return row, user


def session_principal(row: BrowserSession, user: User) -> Principal:
    # The session row is the login: its creation is when the user last proved who they are.
    return Principal(user.id, user.role, "session", row.created_at, mfa=row.mfa, session_id=row.id)


async def end_browser_session(session: AsyncSession, user_id: uuid.UUID, secret: str) -> None:
    """Log this browser out on the server."""
    found = await browser_session_by_hash(session, _hash(secret))
    if found is not None and found[0].user_id == user_id:
        await BrowserSessionRepository(session, user_id).revoke(found[0].id, clock.now())


async def list_browser_sessions(session: AsyncSession, user_id: uuid.UUID) -> list[BrowserSession]:
    """The user's signed-in browsers, most recently seen first."""
    return await BrowserSessionRepository(session, user_id).active(clock.now())
