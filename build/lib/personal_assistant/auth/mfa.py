"""TOTP two-factor authentication (pyotp): setup, enable, disable, and the code check.

The secret is stored encrypted (core.crypto). A code is accepted for the current 30-second
step or one step either side (clock drift), and each step is accepted once: `last_used_step`
refuses a replay of a code already used, even inside its validity window.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit
from personal_assistant.auth.passwords import verify_password
from personal_assistant.auth.repository import MfaRepository
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.crypto import decrypt, encrypt
from personal_assistant.core.errors import Conflict, ValidationFailed
from personal_assistant.db.models import MfaSecret, User

CODE_PATTERN = re.compile(r"^\d{6}$")
VALID_WINDOW = 1  # steps either side of now


@dataclass(frozen=True)
class MfaSetup:
    secret: str  # base32, for manual entry
    otpauth_uri: str  # for a QR code


def _normalise(code: str | None) -> str | None:
    code = re.sub(r"\s+", "", code or "")
    return code if CODE_PATTERN.match(code) else None


def _accept_code(row: MfaSecret, code: str | None) -> bool:
    """Check `code` against the row's secret; on success remember the step (replay refusal)."""
    code = _normalise(code)
    if code is None:
        return False
    totp = pyotp.TOTP(decrypt(row.secret_encrypted))
    now = clock.now()
    current = totp.timecode(now)
    for offset in (0, -1, 1):
        step = current + offset
        if row.last_used_step is not None and step <= row.last_used_step:
            continue
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            row.last_used_step = step
            return True
    return False


async def is_enabled(session: AsyncSession, user_id) -> bool:
    row = await MfaRepository(session, user_id).current()
    return row is not None and row.enabled_at is not None


async def check_login_code(session: AsyncSession, user_id, code: str | None) -> bool:
    """True when `code` is a fresh valid TOTP code of the user's enabled MFA."""
    row = await MfaRepository(session, user_id).current()
    if row is None or row.enabled_at is None:
        return False
    ok = _accept_code(row, code)
    await session.flush()
    return ok


async def setup_mfa(session: AsyncSession, user: User) -> MfaSetup:
    """Start (or restart) MFA enrolment: a new secret, not active until `enable_mfa`."""
    repo = MfaRepository(session, user.id)
    for row in await repo.list():
        if row.enabled_at is not None:
            raise Conflict("two-factor authentication is already on; disable it first", code="mfa_already_enabled")
        await repo.delete(row)
    secret = pyotp.random_base32()
    await repo.add(MfaSecret(secret_encrypted=encrypt(secret)))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=get_settings().app_name)
    return MfaSetup(secret, uri)


async def enable_mfa(session: AsyncSession, user: User, code: str, *, ip: str | None = None) -> None:
    """Turn MFA on after `setup_mfa`, proving the authenticator app works with a valid code."""
    row = await MfaRepository(session, user.id).current()
    if row is None:
        raise Conflict("start with MFA setup first", code="mfa_not_set_up")
    if row.enabled_at is not None:
        raise Conflict("two-factor authentication is already on", code="mfa_already_enabled")
    if not _accept_code(row, code):
        raise ValidationFailed("that code is not valid", fields={"code": "wrong or expired code"})
    row.enabled_at = clock.now()
    await audit.record(session, "auth.mfa_enabled", user_id=user.id, ip=ip)


async def disable_mfa(
    session: AsyncSession,
    user: User,
    *,
    code: str | None = None,
    password: str | None = None,
    ip: str | None = None,
) -> None:
    """Turn MFA off. Needs a valid current code or the account password. Admins must keep it."""
    repo = MfaRepository(session, user.id)
    row = await repo.current()
    if row is None or row.enabled_at is None:
        raise Conflict("two-factor authentication is not on", code="mfa_not_enabled")
    if user.role == "admin":
        raise Conflict("admins must keep two-factor authentication on", code="mfa_required")
    if code:
        if not _accept_code(row, code):
            raise ValidationFailed("that code is not valid", fields={"code": "wrong or expired code"})
    elif password:
        if not verify_password(password, user.password_hash):
            raise ValidationFailed("wrong password", fields={"password": "wrong password"})
    else:
        raise ValidationFailed(
            "give a current code or your password",
            fields={"code": "a current code or your password is required"},
        )
    for each in await repo.list():
        await repo.delete(each)
    await audit.record(
        session, "auth.mfa_disabled", user_id=user.id, ip=ip, confirmed_by="code" if code else "password"
    )
