"""Changing the password: confirmed by the current one, throttled, and it ends every other login
of the account (whoever learnt the old password keeps nothing)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit, reauth
from personal_assistant.auth.passwords import check_password_policy, hash_password, verify_password
from personal_assistant.auth.tokens import revoke_all_sessions
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.db.models import User


async def change_password(
    session: AsyncSession,
    user: User,
    current_password: str | None,
    new_password: str,
    *,
    auth_time: datetime | None = None,
    keep_session: uuid.UUID | None = None,
    ip: str | None = None,
) -> None:
    """Set a new password. Needs the current one; an account without a password (magic link
    only) sets its first one within 10 minutes of a login (`auth_time`) instead, so a stolen
    token alone cannot. The new one must pass the policy. Every other login (refresh-token
    families, browser sessions) ends; `keep_session`, the caller's, stays."""
    await reauth.throttle(user.id)
    if not user.password_hash and not reauth.logged_in_recently(auth_time):
        raise ValidationFailed(
            "log in again (by email link) to set a password",
            code="recent_login_required",
            fields={"current_password": "log in again within the last 10 minutes"},
        )
    if user.password_hash:
        if not current_password:
            raise ValidationFailed("confirm with your current password", fields={"current_password": "required"})
        if not verify_password(current_password, user.password_hash):
            raise ValidationFailed("wrong password", fields={"current_password": "wrong password"})
    check_password_policy(new_password, email=user.email, field="new_password")
    if user.password_hash and verify_password(new_password, user.password_hash):
        raise ValidationFailed(
            "that is your current password", fields={"new_password": "choose a password you do not use now"}
        )
    user.password_hash = hash_password(new_password)
    ended = await revoke_all_sessions(session, user.id, keep=keep_session)
    await audit.record(session, "auth.password_changed", user_id=user.id, ip=ip, ended_sessions=ended)
