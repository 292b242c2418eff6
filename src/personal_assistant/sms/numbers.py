"""Deployment numbers: assign an existing Twilio number to a user (their dedicated number),
release it, list who owns what, and provision a new one through Twilio's IncomingPhoneNumbers API
with its SMS webhook pointing at this deployment. One number belongs to at most one user and a
user has at most one dedicated number (unique columns decide); the shared number is a setting.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from twilio.base.exceptions import TwilioRestException

from personal_assistant.config import get_settings
from personal_assistant.core import clock, resilience
from personal_assistant.core.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from personal_assistant.core.resilience import ProviderUnavailable
from personal_assistant.db.models import SmsNumber
from personal_assistant.sms import repository as repo
from personal_assistant.sms.twilio_client import build_client
from personal_assistant.users.admin import find_user

log = structlog.get_logger("sms.numbers")

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
INBOUND_PATH = "/webhooks/twilio/sms"


@dataclass
class NumberRow:
    e164: str
    user_id: uuid.UUID | None
    email: str | None
    twilio_sid: str | None
    assigned_at: str | None
    shared: bool = False

    def as_dict(self) -> dict:
        return {
            "number": self.e164,
            "owner": self.email or ("(shared)" if self.shared else ""),
            "user_id": str(self.user_id) if self.user_id else None,
            "twilio_sid": self.twilio_sid,
            "assigned_at": self.assigned_at,
            "shared": self.shared,
        }


def check_e164(number: str, field: str = "number") -> str:
    number = number.strip()
    if not E164.match(number):
        raise ValidationFailed("not an E.164 phone number", fields={field: "use the form +15551234567"})
    return number


async def list_numbers(session: AsyncSession) -> list[NumberRow]:
    """Every number of this deployment with its owner; the shared number first."""
    rows: list[NumberRow] = []
    shared = get_settings().twilio_shared_number
    if shared:
        rows.append(NumberRow(shared, None, None, None, None, shared=True))
    for number, email in await repo.numbers_with_owners(session):
        assigned = number.assigned_at.isoformat() if number.assigned_at else None
        rows.append(NumberRow(number.e164, number.user_id, email, number.twilio_sid, assigned))
    return rows


async def assign_number(session: AsyncSession, number: str, user_ref: str) -> SmsNumber:
    """Make `number` the dedicated number of the user (email or id)."""
    number = check_e164(number)
    if number == get_settings().twilio_shared_number:
        raise Conflict("the shared number cannot be a dedicated number")
    user = await find_user(session, user_ref)
    row = await repo.sms_number(session, number)
    if row is not None and row.user_id not in (None, user.id):
        raise Conflict("this number already belongs to another user")
    current = await repo.number_of_user(session, user.id)
    if current is not None and current.e164 != number:
        raise Conflict(f"this user already has the dedicated number {current.e164}; release it first")
    if row is None:
        row = SmsNumber(e164=number)
        session.add(row)
    row.user_id = user.id
    row.assigned_at = clock.now()
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent assignment won
        raise Conflict("this number or user was assigned concurrently") from exc
    log.info("sms.number_assigned", number_id=str(row.id), user_id=str(user.id))
    return row


async def release_number(session: AsyncSession, number: str, *, from_twilio: bool = False) -> SmsNumber | None:
    """Unassign `number` from its user. With from_twilio, also release it at Twilio and forget it."""
    number = check_e164(number)
    row = await repo.sms_number(session, number)
    if row is None:
        raise NotFound("number")
    row.user_id = None
    row.assigned_at = None
    if from_twilio:
        if row.twilio_sid:
            client = build_client()
            sid = row.twilio_sid
            await _twilio(lambda: client.incoming_phone_numbers(sid).delete())
        await session.delete(row)
        await session.flush()
        log.info("sms.number_released_at_twilio", number_id=str(row.id))
        return None
    await session.flush()
    log.info("sms.number_released", number_id=str(row.id))
    return row


async def _twilio(call):
    # Through the resilience layer (breaker, worker threads), one attempt: buying a number is not
    # idempotent, so an operator retries, not us.
    try:
        return await resilience.guarded_sync("twilio", call, attempts=1)
    except ProviderUnavailable as exc:
        cause = exc.__cause__
        if isinstance(cause, TwilioRestException):
            raise ServiceUnavailable(f"Twilio refused the request (code {cause.code})") from exc
        raise ServiceUnavailable(f"Twilio is unavailable right now ({exc.reason})") from exc
    except TwilioRestException as exc:
        raise ServiceUnavailable(f"Twilio refused the request (code {exc.code})") from exc


async def provision_number(
    session: AsyncSession,
    *,
    area_code: str | None = None,
    country: str = "US",
    number: str | None = None,
    user_ref: str | None = None,
) -> SmsNumber:
    """Buy a number at Twilio (the given one, or the first SMS-capable one in the area code) with
    its SMS webhook set to this deployment, store it, and optionally assign it to a user."""
    settings = get_settings()
    client = build_client()
    if number is None:
        kwargs: dict = {"sms_enabled": True, "limit": 1}
        if area_code:
            kwargs["area_code"] = area_code
        candidates = await _twilio(lambda: client.available_phone_numbers(country).local.list(**kwargs))
        if not candidates:
            raise NotFound("available number")
        number = candidates[0].phone_number
    number = check_e164(str(number))
    base = settings.public_base_url.rstrip("/")
    created = await _twilio(
        lambda: client.incoming_phone_numbers.create(
            phone_number=number,
            sms_url=base + INBOUND_PATH,
            sms_method="POST",
        )
    )
    row = SmsNumber(e164=number, twilio_sid=created.sid)
    session.add(row)
    await session.flush()
    log.info("sms.number_provisioned", number_id=str(row.id), twilio_sid=created.sid)
    if user_ref:
        row = await assign_number(session, number, user_ref)
    return row
