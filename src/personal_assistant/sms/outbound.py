"""Outbound SMS: the one function every part of the product sends texts through.

send_sms(session, user, body, kind) applies the rules in this order:
1. idempotency: a key already used returns the stored message and sends nothing (the unique
   constraint on messages.idempotency_key decides, so two racing senders cannot both send);
2. opt-out: a phone that texted STOP (or that Twilio reported as unsubscribed, 21610) gets nothing;
3. quiet hours: every kind except a direct reply (and a code the user just asked for) is deferred
   until the user's quiet hours end -> SendResult("deferred_quiet_hours", retry_at=...);
4. trimming to at most 3 segments (more only when the caller allows), segment and price estimate;
5. the transport: `twilio` (from the user's dedicated number, else the shared one, with a status
   callback) or `console`; retries of transient errors happen inside the transport.

Suppressed and deferred sends store nothing, so the same idempotency key can be used on the retry.
A send that failed transiently (Twilio down after retries) keeps its row as "send_failed"; a
later call with the same key claims that row and tries again.

The send happens inside the caller's transaction (the contract takes a session); the Twilio
call has a timeout and runs in a worker thread, so the event loop never blocks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import Message, SmsUsage, User
from personal_assistant.observability.metrics import SMS_OPT_OUTS, SMS_OUTBOUND
from personal_assistant.sms import repository as repo
from personal_assistant.sms.segments import DEFAULT_MAX_SEGMENTS, count_segments, price_estimate, trim_to_segments
from personal_assistant.sms.transports import PermanentSendError, TransientSendError, get_transport
from personal_assistant.users.quiet_hours import quiet_period_end
from personal_assistant.users.repository import PhoneRepository

log = structlog.get_logger("sms.outbound")

# Kinds of outbound text. "reply" answers a message the user just sent (ignores quiet hours);
# "code" is a verification code to a phone that may not be verified yet; "urgent_reminder" is a
# reminder the user marked urgent.
KINDS = ("reply", "reminder", "urgent_reminder", "checkin", "focus", "code", "system", "onboarding", "list")
# Texts the user is waiting for right now, or asked to get whatever the hour: sent during quiet
# hours (never to an opted-out phone).
QUIET_HOURS_EXEMPT = frozenset({"reply", "code", "urgent_reminder"})
# Kinds that may use more than the default 3 segments (a list the user asked for).
KIND_MAX_SEGMENTS = {"list": 10}
STATUS_CALLBACK_PATH = "/webhooks/twilio/status"


@dataclass
class SendResult:
    status: str  # sent|queued|console|suppressed_opt_out|deferred_quiet_hours|no_phone|failed
    message: Message | None = None
    retry_at: datetime | None = None
    error_code: str | None = None
    duplicate: bool = False  # the idempotency key was already used; nothing was sent this time

    @property
    def delivered_to_transport(self) -> bool:
        return self.status in ("sent", "queued", "console")


def status_callback_url() -> str:
    return get_settings().public_base_url.rstrip("/") + STATUS_CALLBACK_PATH


async def from_number_for(session: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    """The user's dedicated number, else the deployment's shared number."""
    if user_id is not None:
        dedicated = await repo.dedicated_number_of(session, user_id)
        if dedicated:
            return dedicated
    return get_settings().twilio_shared_number


def _status_of_stored(message: Message) -> str:
    if message.status == "console":
        return "console"
    if message.status in ("sent", "delivered", "read"):
        return "sent"
    if message.status in ("failed", "undelivered", "canceled", "send_failed"):
        return "failed"
    return "queued"


def _quiet_until(user: User) -> datetime | None:
    try:
        return quiet_period_end(user.quiet_hours_start, user.quiet_hours_end, user.timezone or "UTC")
    except (KeyError, ValueError):  # an unknown zone must not block sending
        return quiet_period_end(user.quiet_hours_start, user.quiet_hours_end, "UTC")


def _done(kind: str, result: SendResult) -> SendResult:
    SMS_OUTBOUND.labels(kind, result.status).inc()
    return result


async def send_sms(
    session: AsyncSession,
    user: User,
    body: str,
    kind: str,
    *,
    to_number: str | None = None,
    idempotency_key: str | None = None,
    max_segments: int | None = None,
    from_number: str | None = None,
) -> SendResult:
    """Send one text to the user (their verified primary phone unless to_number is given).

    `from_number` (a reply goes out from the number the user texted) defaults to the user's
    dedicated number, else the shared one; `max_segments` overrides the per-kind limit.

    Returns what happened: "console"/"queued"/"sent" when handed to the transport,
    "suppressed_opt_out", "deferred_quiet_hours" (with retry_at), "no_phone" or "failed".
    """
    settings = get_settings()
    if to_number is None:
        phone = await PhoneRepository(session, user.id).primary()
        if phone is None:
            return _done(kind, SendResult("no_phone"))
        to_number = phone.e164

    messages = repo.MessageRepository(session, user.id)
    message: Message | None = None
    if idempotency_key:
        existing = await messages.by_idempotency_key(idempotency_key)
        if existing is not None:
            if existing.status != "send_failed" or not await messages.claim_failed(existing):
                return SendResult(_status_of_stored(existing), existing, duplicate=True)
            message = existing

    if await repo.is_opted_out(session, to_number):
        log.info("sms.suppressed_opt_out", user_id=str(user.id), kind=kind)
        if message is not None:  # a claimed earlier attempt: it will never go out now
            message.status, message.error_code = "failed", "opted_out"
            await session.flush()
        return _done(kind, SendResult("suppressed_opt_out", message))
    if kind not in QUIET_HOURS_EXEMPT:
        quiet_end = _quiet_until(user)
        if quiet_end is not None:
            log.info("sms.deferred_quiet_hours", user_id=str(user.id), kind=kind)
            if message is not None:  # give the claimed row back for the retry
                message.status = "send_failed"
                await session.flush()
            return _done(kind, SendResult("deferred_quiet_hours", message, retry_at=quiet_end))

    limit = max_segments or KIND_MAX_SEGMENTS.get(kind, DEFAULT_MAX_SEGMENTS)
    text = trim_to_segments(body, limit)
    info = count_segments(text)
    price = price_estimate(info.segments, settings.sms_price_per_segment_usd)
    from_number = from_number or await from_number_for(session, user.id)

    if message is None:
        message = Message(
            user_id=user.id,
            direction="outbound",
            channel="sms",
            kind=kind,
            body=text,
            to_number=to_number,
            from_number=from_number,
            status="sending",
            idempotency_key=idempotency_key,
            segments=info.segments,
            encoding=info.encoding,
            price_estimate=price,
        )
        try:
            async with session.begin_nested():
                session.add(message)
                await session.flush()
        except IntegrityError:
            # Another sender took this key between our lookup and the insert: it sends, we don't.
            existing = await messages.by_idempotency_key(idempotency_key) if idempotency_key else None
            if existing is None:
                raise
            return SendResult(_status_of_stored(existing), existing, duplicate=True)

    transport = get_transport()
    callback = status_callback_url() if transport.name == "twilio" else None
    try:
        sent = await transport.send(to=to_number, from_=from_number, body=text, status_callback=callback)
    except PermanentSendError as exc:
        message.status, message.error_code = "failed", exc.code[:16]
        message.status_updated_at = clock.now()
        await session.flush()
        if exc.opted_out:
            await repo.set_opted_out(session, to_number, clock.now())
            SMS_OPT_OUTS.labels("carrier_21610").inc()
            log.info("sms.opted_out_by_carrier", user_id=str(user.id), message_id=str(message.id))
            return _done(kind, SendResult("suppressed_opt_out", message, error_code=exc.code))
        log.warning("sms.send_failed", user_id=str(user.id), message_id=str(message.id), code=exc.code)
        return _done(kind, SendResult("failed", message, error_code=exc.code))
    except TransientSendError as exc:
        message.status, message.error_code = "send_failed", exc.code[:16]
        message.status_updated_at = clock.now()
        await session.flush()
        log.warning("sms.send_retry_exhausted", user_id=str(user.id), message_id=str(message.id), code=exc.code)
        return _done(kind, SendResult("failed", message, error_code=exc.code))

    now = clock.now()
    message.provider_sid = sent.sid
    message.status = sent.status
    message.sent_at = now
    message.status_updated_at = now
    session.add(
        SmsUsage(
            user_id=user.id,
            message_id=message.id,
            direction="outbound",
            segments=info.segments,
            encoding=info.encoding,
            price_estimate=price,
        )
    )
    await session.flush()
    status = "console" if sent.status == "console" else ("sent" if sent.status == "sent" else "queued")
    log.info(
        "sms.sent",
        user_id=str(user.id),
        message_id=str(message.id),
        kind=kind,
        transport=transport.name,
        segments=info.segments,
    )
    return _done(kind, SendResult(status, message))


async def send_without_user(
    session: AsyncSession, *, to_number: str, from_number: str | None, body: str, kind: str = "onboarding"
) -> str:
    """Text someone who has no account (onboarding reply, admin test). Nothing is stored but the
    metrics; the log carries no number and no body. Returns the send status."""
    if await repo.is_opted_out(session, to_number):
        return _done(kind, SendResult("suppressed_opt_out")).status
    transport = get_transport()
    text = trim_to_segments(body, DEFAULT_MAX_SEGMENTS)
    from_ = from_number or get_settings().twilio_shared_number
    try:
        sent = await transport.send(to=to_number, from_=from_, body=text, status_callback=None)
    except PermanentSendError as exc:
        if exc.opted_out:
            await repo.set_opted_out(session, to_number, clock.now())
        log.warning("sms.send_failed", kind=kind, code=exc.code)
        return _done(kind, SendResult("failed", error_code=exc.code)).status
    except TransientSendError as exc:
        log.warning("sms.send_retry_exhausted", kind=kind, code=exc.code)
        return _done(kind, SendResult("failed", error_code=exc.code)).status
    log.info("sms.sent_without_user", kind=kind, sid=sent.sid, transport=transport.name)
    status = "console" if sent.status == "console" else "queued"
    return _done(kind, SendResult(status)).status
