"""TOTP two-factor authentication (pyotp): setup (with a QR code), enable, disable, recovery
codes, and the second-factor check at login.

The secret is stored encrypted (core.crypto). A code is accepted for the current 30-second
step or one step either side (clock drift), and each step is accepted once: `last_used_step`
refuses a replay of a code already used, even inside its validity window, and says so (the
first login right after turning MFA on usually shows the very code used to turn it on).

Turning MFA on returns ten one-time recovery codes, shown once and stored as keyed hashes;
each works once at login instead of a TOTP code. Turning it on also ends the account's other
logins: a session that an attacker may hold keeps no way around the new second factor.

Every check of a code or password behind a login is throttled per account (auth.reauth).
"""

from __future__ import annotations

import hmac
import io
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyotp
import segno
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit, reauth
from personal_assistant.auth.passwords import verify_password
from personal_assistant.auth.repository import MfaRecoveryCodeRepository, MfaRepository
from personal_assistant.auth.tokens import revoke_all_sessions
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.crypto import decrypt, encrypt, hash_token
from personal_assistant.core.errors import Conflict, ValidationFailed
from personal_assistant.db.models import MfaSecret, User

CODE_PATTERN = re.compile(r"^\d{6}$")
VALID_WINDOW = 1  # steps either side of now
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper. 10 characters of 31 are about 49 bits, and every
# guess counts against the login limit.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
REUSED_MESSAGE = "that code was just used; wait for the next one in your app (codes change every 30 seconds)"


@dataclass(frozen=True)
class MfaSetup:
    secret: str  # base32, for manual entry
    otpauth_uri: str  # what the QR code holds

    def qr_svg(self) -> str:
        """The otpauth URI as a standalone SVG QR code (drawn here, no outside service)."""
        return qr_svg(self.otpauth_uri)

    def qr_data_uri(self) -> str:
        """The same QR code as a data: URI for an <img> (the dashboard's CSP allows data: images)."""
        return _qr(self.otpauth_uri).svg_data_uri(**QR_STYLE)


@dataclass(frozen=True)
class SecondFactor:
    """The outcome of a second-factor check."""

    ok: bool
    method: str | None = None  # "totp" or "recovery_code" when ok
    reused: bool = False  # a valid TOTP code of a step already used
    recovery_codes_left: int | None = None  # after a recovery code was used


QR_STYLE: dict[str, Any] = {"scale": 5, "border": 4, "dark": "#000", "light": "#fff"}


def _qr(uri: str) -> segno.QRCode:
    return segno.make(uri, error="m")


def qr_svg(uri: str) -> str:
    buffer = io.BytesIO()
    _qr(uri).save(buffer, kind="svg", xmldecl=False, title="QR code for your authenticator app", **QR_STYLE)
    return buffer.getvalue().decode()


def _normalise(code: str | None) -> str | None:
    code = re.sub(r"\s+", "", code or "")
    return code if CODE_PATTERN.match(code) else None


def _normalise_recovery(code: str | None) -> str | None:
    text = re.sub(r"[\s-]+", "", (code or "").lower())
    if len(text) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in text):
        return text
    return None


def _recovery_hash(user_id: uuid.UUID, code: str) -> str:
    return hash_token(f"mfa-recovery:{user_id}:{code}")


def new_recovery_codes() -> list[str]:
    """Ten fresh codes, formatted "abcde-fghjk" for reading off paper."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


async def _store_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    codes = new_recovery_codes()
    hashes = [_recovery_hash(user_id, _normalise_recovery(c) or "") for c in codes]
    await MfaRecoveryCodeRepository(session, user_id).replace_all(hashes)
    return codes


def _check_totp(row: MfaSecret, code: str | None) -> SecondFactor:
    """Check `code` against the row's secret; on success remember the step (replay refusal)."""
    code = _normalise(code)
    if code is None:
        return SecondFactor(False)
    totp = pyotp.TOTP(decrypt(row.secret_encrypted))
    now = clock.now()
    current = totp.timecode(now)
    reused = False
    for offset in (0, -1, 1):
        step = current + offset
        if not hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            continue
        if row.last_used_step is not None and step <= row.last_used_step:
            reused = True
            continue
        row.last_used_step = step
        return SecondFactor(True, "totp")
    return SecondFactor(False, reused=reused)


async def _check_code(session: AsyncSession, user_id: uuid.UUID, row: MfaSecret, code: str | None) -> SecondFactor:
    """A TOTP code, or else an unused recovery code (spent by this call)."""
    result = _check_totp(row, code)
    if result.ok or result.reused:
        return result
    recovery = _normalise_recovery(code)
    if recovery is None:
        return result
    codes = MfaRecoveryCodeRepository(session, user_id)
    if not await codes.use(_recovery_hash(user_id, recovery), clock.now()):
        return result
    return SecondFactor(True, "recovery_code", recovery_codes_left=await codes.unused_count())


async def is_enabled(session: AsyncSession, user_id) -> bool:
    row = await MfaRepository(session, user_id).current()
    return row is not None and row.enabled_at is not None


async def check_login_code(session: AsyncSession, user_id: uuid.UUID, code: str | None) -> SecondFactor:
    """The second step of a login: a fresh TOTP code or an unused recovery code of the user's
    enabled MFA. The caller rate limits (the login's own limit)."""
    row = await MfaRepository(session, user_id).current()
    if row is None or row.enabled_at is None:
        return SecondFactor(False)
    result = await _check_code(session, user_id, row, code)
    await session.flush()
    if result.method == "recovery_code":
        await audit.record(
            session, "auth.recovery_code_used", user_id=user_id, remaining=result.recovery_codes_left
        )
    return result


async def setup_mfa(session: AsyncSession, user: User) -> MfaSetup:
    """Start (or restart) MFA enrolment: a new secret, not active until `enable_mfa`."""
    repo = MfaRepository(session, user.id)
    for row in await repo.list():
        if row.enabled_at is not None:
            raise Conflict("two-factor authentication is already on; disable it first", code="mfa_already_enabled")
        await repo.delete(row)
    secret = pyotp.random_base32()
    await repo.add(MfaSecret(secret_encrypted=encrypt(secret)))
    return setup_for(user, secret)


def setup_for(user: User, secret: str) -> MfaSetup:
    """The enrolment details (URI, QR code) of `secret` for this user."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=get_settings().app_name)
    return MfaSetup(secret, uri)


def _wrong_code(result: SecondFactor) -> ValidationFailed:
    if result.reused:
        return ValidationFailed(REUSED_MESSAGE, code="mfa_code_reused", fields={"code": REUSED_MESSAGE})
    return ValidationFailed("that code is not valid", fields={"code": "wrong or expired code"})


async def enable_mfa(
    session: AsyncSession,
    user: User,
    code: str,
    *,
    password: str | None = None,
    auth_time: datetime | None = None,
    ip: str | None = None,
    keep_session: uuid.UUID | None = None,
) -> list[str]:
    """Turn MFA on after `setup_mfa`, proving the authenticator app works with a valid code.

    Whoever turns it on decides the second factor of the account, so a stolen token alone must
    not be enough: the caller logged in within the last 10 minutes (`auth_time`) or gives the
    password. Returns the ten recovery codes (shown once). Ends every other login of the account
    (refresh families, browser sessions), keeping `keep_session`, the caller's own."""
    await reauth.throttle(user.id)
    reauth.confirm_identity(user, password=password, auth_time=auth_time)
    row = await MfaRepository(session, user.id).current()
    if row is None:
        raise Conflict("start with MFA setup first", code="mfa_not_set_up")
    if row.enabled_at is not None:
        raise Conflict("two-factor authentication is already on", code="mfa_already_enabled")
    result = _check_totp(row, code)
    if not result.ok:
        raise _wrong_code(result)
    row.enabled_at = clock.now()
    codes = await _store_recovery_codes(session, user.id)
    ended = await revoke_all_sessions(session, user.id, keep=keep_session)
    await audit.record(session, "auth.mfa_enabled", user_id=user.id, ip=ip, ended_sessions=ended)
    return codes


async def _confirm(
    session: AsyncSession, user: User, row: MfaSecret, *, code: str | None, password: str | None
) -> str:
    """A current code (TOTP or recovery) or the account password; returns which was given."""
    await reauth.throttle(user.id)
    if code:
        result = await _check_code(session, user.id, row, code)
        if not result.ok:
            raise _wrong_code(result)
        return "code"
    if password:
        if not verify_password(password, user.password_hash):
            raise ValidationFailed("wrong password", fields={"password": "wrong password"})
        return "password"
    raise ValidationFailed(
        "give a current code or your password",
        fields={"code": "a current code or your password is required"},
    )


async def disable_mfa(
    session: AsyncSession,
    user: User,
    *,
    code: str | None = None,
    password: str | None = None,
    ip: str | None = None,
) -> None:
    """Turn MFA off. Needs a valid current code (or recovery code) or the account password.
    Admins must keep it."""
    repo = MfaRepository(session, user.id)
    row = await repo.current()
    if row is None or row.enabled_at is None:
        raise Conflict("two-factor authentication is not on", code="mfa_not_enabled")
    if user.role == "admin":
        raise Conflict("admins must keep two-factor authentication on", code="mfa_required")
    confirmed_by = await _confirm(session, user, row, code=code, password=password)
    for each in await repo.list():
        await repo.delete(each)
    await MfaRecoveryCodeRepository(session, user.id).delete_all()
    await audit.record(session, "auth.mfa_disabled", user_id=user.id, ip=ip, confirmed_by=confirmed_by)


async def regenerate_recovery_codes(
    session: AsyncSession,
    user: User,
    *,
    code: str | None = None,
    password: str | None = None,
    ip: str | None = None,
) -> list[str]:
    """Ten new recovery codes (the old ones stop working), confirmed like `disable_mfa`."""
    row = await MfaRepository(session, user.id).current()
    if row is None or row.enabled_at is None:
        raise Conflict("two-factor authentication is not on", code="mfa_not_enabled")
    confirmed_by = await _confirm(session, user, row, code=code, password=password)
    codes = await _store_recovery_codes(session, user.id)
    await audit.record(session, "auth.recovery_codes_replaced", user_id=user.id, ip=ip, confirmed_by=confirmed_by)
    return codes


async def recovery_codes_left(session: AsyncSession, user_id: uuid.UUID) -> int:
    return await MfaRecoveryCodeRepository(session, user_id).unused_count()
