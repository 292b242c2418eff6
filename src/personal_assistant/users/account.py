"""Export of everything a user owns, and account deletion.

Both walk Base.metadata, so a table added later is covered without touching this file: every
table with a user_id column is exported (secrets left out) and removed by the foreign-key
cascades of the users row.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit, reauth
from personal_assistant.auth.passwords import verify_password
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.db.models import User
from personal_assistant.users.repository import UserRepository, owned_rows, user_tables

log = structlog.get_logger("users.account")

EXPORT_FORMAT_VERSION = 1
RECENT_LOGIN = timedelta(minutes=10)


def is_secret_column(name: str) -> bool:
    """Credentials and ciphertexts never leave the server, not even to their owner."""
    return name == "password_hash" or name.endswith("_hash") or name.endswith("_encrypted")


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return clock.as_utc(value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def _clean(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in row.items() if not is_secret_column(k)}


async def export_user_data(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    """JSON-ready dict of the user's row and every row of every table with their user_id.

    Shape: {"format_version", "exported_at", "user": {...}, "tables": {"tasks": [...], ...}}.
    Columns holding secrets (password_hash, *_hash, *_encrypted) are left out.
    """
    user = await UserRepository(session).get(user_id)
    user_row = {c.name: getattr(user, c.key) for c in User.__table__.columns}
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in user_tables():
        rows = await owned_rows(session, table, user_id)
        tables[table.name] = [_clean(table, r) for r in rows]
    log.info("user.exported", user_id=str(user_id), tables=len(tables))
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": clock.now().isoformat(),
        "user": _clean(User.__table__, user_row),  # type: ignore[arg-type]
        "tables": tables,
    }


def deleted_subject(user_id: uuid.UUID) -> str:
    """A keyed hash of the id: lets an operator confirm a deletion they were told about,
    without the audit log keeping who the person was."""
    return hash_token(f"deleted-user:{user_id}")


async def hard_delete_user(
    session: AsyncSession, user_id: uuid.UUID, *, ip: str | None = None, via: str = "self"
) -> None:
    """Delete the user row; the cascades remove every owned row. Leaves one audit event,
    "user.deleted", with no user_id and no personal data."""
    users = UserRepository(session)
    user = await users.get(user_id)
    await audit.record(session, "user.deleted", user_id=None, ip=ip, subject=deleted_subject(user_id), via=via)
    session.expunge(user)
    await users.hard_delete(user_id)
    await session.flush()
    log.info("user.deleted", via=via)


async def delete_account(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    password: str | None = None,
    auth_time: datetime | None = None,
    ip: str | None = None,
) -> None:
    """The user deletes their own account, everything in it, for good.

    Confirmation: the account password. An account without a password (magic-link only) confirms
    with a login made in the last 10 minutes (the access token's auth_time) instead. Attempts are
    throttled per account (auth.reauth), so a stolen token cannot guess the password.
    """
    user = await UserRepository(session).get(user_id)
    await reauth.throttle(user.id)
    if user.password_hash:
        if not password:
            raise ValidationFailed("confirm with your password", fields={"password": "required to delete the account"})
        if not verify_password(password, user.password_hash):
            raise ValidationFailed("wrong password", fields={"password": "wrong password"})
    elif auth_time is None or clock.now() - auth_time > RECENT_LOGIN:
        raise ValidationFailed(
            "log in again to confirm",
            code="recent_login_required",
            fields={"password": "log in again (within 10 minutes) to delete the account"},
        )
    await hard_delete_user(session, user_id, ip=ip, via="self")
