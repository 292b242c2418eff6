"""Adding a phone and proving it with a 6-digit code sent by SMS.

A code is stored as a keyed hash bound to its phone row, expires after PHONE_CODE_MINUTES, and
allows PHONE_CODE_MAX_ATTEMPTS wrong guesses; after that (or after expiry) a new code is needed.
Sending codes is rate limited per number and per user. A number verified by another account is a
409 that never says which account.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token
from personal_assistant.core.errors import Conflict, RateLimited, ServiceUnavailable, ValidationFailed
from personal_assistant.core.ratelimit import get_rate_limiter
from personal_assistant.db.models import PhoneNumber, User
from personal_assistant.users.repository import PhoneRepository, verified_owner_of

log = structlog.get_logger("users.phones")

RESEND_COOLDOWN_SECONDS = 30
CODE_SENDS_PER_NUMBER = "5/hour"
CODE_SENDS_PER_USER = "10/hour"
CODE_PATTERN = re.compile(r"^\d{6}$")
IN_USE = "this number is already verified on another account"


def normalise_phone(raw: str | None, *, field: str = "phone") -> str:
    """E.164 from what people type: "+15551234567", "(555) 123-4567" (assumes +1), "1 555 123 4567".

    Raises ValidationFailed naming `field` for anything that is not a plausible number."""
    text = (raw or "").strip()
    invalid = ValidationFailed("invalid phone number", fields={field: "use international format, e.g. +15551234567"})
    if not text or not re.fullmatch(r"[+\d\s().\-]+", text) or text.count("+") > 1 or "+" in text[1:]:
        raise invalid
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if digits.startswith("0") or not 8 <= len(digits) <= 15:
            raise invalid
        return "+" + digits
    if len(digits) == 10 and digits[0] not in "01":
        return "+1" + digits
    if len(digits) == 11 and digits[0] == "1" and digits[1] not in "01":
        return "+" + digits
    raise invalid


def _code_hash(phone: PhoneNumber, code: str) -> str:
    return hash_token(f"phone-code:{phone.id}:{code}")


@dataclass(frozen=True)
class PhoneVerificationStarted:
    e164: str
    status: str  # code_sent | already_verified
    expires_at: datetime | None = None


async def start_phone_verification(
    session: AsyncSession, user: User, raw_phone: str, *, ip: str | None = None
) -> PhoneVerificationStarted:
    """Add (or re-send a code to) a phone: texts a 6-digit code (through the outbox, after commit)."""
    settings = get_settings()
    e164 = normalise_phone(raw_phone)
    owner = await verified_owner_of(session, e164)
    if owner == user.id:
        return PhoneVerificationStarted(e164, "already_verified")
    if owner is not None:
        raise Conflict(IN_USE, code="phone_in_use", fields={"phone": IN_USE})
    repo = PhoneRepository(session, user.id)
    existing = await repo.by_e164(e164)
    phone = existing[0] if existing else None
    now = clock.now()
    if phone and phone.code_sent_at and (now - phone.code_sent_at).total_seconds() < RESEND_COOLDOWN_SECONDS:
        wait = RESEND_COOLDOWN_SECONDS - int((now - phone.code_sent_at).total_seconds())
        raise RateLimited(wait, "a code was just sent; wait a moment before asking again")
    limiter = get_rate_limiter()
    await limiter.hit(CODE_SENDS_PER_NUMBER, "phone_code", "number", hash_token(e164)[:32])
    await limiter.hit(CODE_SENDS_PER_USER, "phone_code", "user", str(user.id))
    if phone is None:
        has_primary = any(p.verified_at and p.is_primary for p in await repo.list())
        phone = await repo.add(PhoneNumber(e164=e164, is_primary=not has_primary, created_at=now))
    code = f"{secrets.randbelow(1_000_000):06d}"
    phone.code_hash = _code_hash(phone, code)
    phone.code_expires_at = now + timedelta(minutes=settings.phone_code_minutes)
    phone.code_attempts = 0
    phone.code_sent_at = now
    await session.flush()

    from personal_assistant.sms.outbox import queue_text

    text = f"{settings.app_name}: your code is {{code}}. It expires in {settings.phone_code_minutes} minutes."
    # The thread keeps the code masked (the phone row keeps only its hash); the real text is
    # sealed until the transport has it. The development console shows it: that is its purpose.
    shows_code = settings.is_development and settings.effective_sms_transport == "console"
    queued = await queue_text(
        session,
        user,
        text.format(code=code),
        "code",
        to_number=e164,
        masked_body=None if shows_code else text.format(code="******"),
    )
    if not queued.stored:
        log.warning("phone.code_not_sent", user_id=str(user.id), status=queued.status)
        raise ServiceUnavailable("we could not text that number right now; try again later")
    log.info("phone.code_sent", user_id=str(user.id), phone_id=str(phone.id))
    return PhoneVerificationStarted(e164, "code_sent", phone.code_expires_at)


async def verify_phone(session: AsyncSession, user: User, raw_phone: str, code: str) -> PhoneNumber:
    """Check the texted code; on success the phone is verified (and primary if it is the first).

    A wrong code counts an attempt and raises ValidationFailed on `code`; that attempt is
    committed before raising so it survives the rolled-back request."""
    settings = get_settings()
    e164 = normalise_phone(raw_phone)
    repo = PhoneRepository(session, user.id)
    phone = next((p for p in await repo.by_e164(e164) if p.code_hash), None)
    if phone is None:
        verified = next((p for p in await repo.by_e164(e164) if p.verified_at), None)
        if verified is not None:
            return verified
        raise ValidationFailed("no code was sent to this number", fields={"phone": "ask for a code first"})
    now = clock.now()
    if phone.code_expires_at is None or phone.code_expires_at <= now:
        raise ValidationFailed(
            "the code has expired", code="code_expired", fields={"code": "expired; ask for a new code"}
        )
    if phone.code_attempts >= settings.phone_code_max_attempts:
        raise ValidationFailed(
            "too many wrong codes", code="too_many_attempts", fields={"code": "too many attempts; ask for a new code"}
        )
    given = re.sub(r"\s+", "", code or "")
    if not CODE_PATTERN.match(given) or not secrets.compare_digest(_code_hash(phone, given), phone.code_hash or ""):
        phone.code_attempts += 1
        left = settings.phone_code_max_attempts - phone.code_attempts
        await session.commit()
        raise ValidationFailed(
            "wrong code",
            fields={
                "code": f"wrong code; {left} attempt(s) left" if left > 0 else "too many attempts; ask for a new code"
            },
        )
    if await verified_owner_of(session, e164) not in (None, user.id):
        raise Conflict(IN_USE, code="phone_in_use", fields={"phone": IN_USE})
    others = await repo.list(PhoneNumber.id != phone.id)
    phone.verified_at = now
    phone.code_hash = None
    phone.code_expires_at = None
    phone.code_attempts = 0
    if not any(p.verified_at and p.is_primary for p in others):
        phone.is_primary = True
    try:
        await session.flush()
    except IntegrityError as exc:  # another account verified it at the same moment
        raise Conflict(IN_USE, code="phone_in_use", fields={"phone": IN_USE}) from exc
    log.info("phone.verified", user_id=str(user.id), phone_id=str(phone.id))
    return phone


async def list_phones(session: AsyncSession, user_id) -> list[PhoneNumber]:
    return await PhoneRepository(session, user_id).list(order_by=[PhoneNumber.created_at])
