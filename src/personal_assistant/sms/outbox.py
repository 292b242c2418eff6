"""The outbox: every outbound text is a committed row before it is sent, and is sent outside any
database transaction.

    queued = await queue_text(session, user, "Reminder: meds", "reminder", idempotency_key=key)
    # ... the caller's transaction commits; then (a job, or the caller itself):
    await dispatch(message_id)

A row moves  pending -> dispatching -> <the transport's status: console|queued|accepted|sent ...>
and, on the way, maybe to  failed  (a permanent error, or out of attempts) or  uncertain.

1. queue_text() runs in the caller's transaction and only writes: the idempotency key (unique on
   messages) makes a second queueing of the same text return the first row; an opted-out phone,
   quiet hours (for kinds that respect them) and a missing phone store nothing and say so.
   dispatch="job" sends it from a background job after the commit; dispatch="caller" stores it
   already claimed (dispatching, with a lease) for a caller that sends it right after its commit.
2. dispatch() claims a pending row in a short transaction (pending -> dispatching, attempts + 1,
   a lease), re-checking opt-out and quiet hours; calls the transport with NO transaction open;
   then records the outcome in another short transaction.
3. Outcomes. Accepted: the provider's sid and status, usage and cost. Not accepted (429/5xx, no
   connection): back to pending with backoff, failed after MAX_ATTEMPTS. Permanent: failed (21610
   also opts the phone out). Uncertain (a timeout after the request left): never re-sent blindly.
4. The rule for uncertain sends (Twilio's Messages API has no idempotency key): the sweep
   (sms/sweep.py) reconciles them, and so does a status callback, whose URL carries our message
   id (?m=<id>). reconcile() asks the transport for a text with this body between these numbers
   since the row was created: found -> recorded as sent with that sid; not found -> pending again
   (sent once more). A row still "dispatching" after its lease (the process died mid-send) is
   uncertain too. The lease is longer than any one dispatch, so a lookup never races a request
   still in flight.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock, crypto
from personal_assistant.db.models import Message, SmsUsage, User
from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import SMS_OPT_OUTS, SMS_OUTBOUND, SMS_SENDS_UNCERTAIN
from personal_assistant.sms import pacing
from personal_assistant.sms import repository as repo
from personal_assistant.sms.segments import DEFAULT_MAX_SEGMENTS, count_segments, price_estimate, trim_to_segments
from personal_assistant.sms.transports import (
    PermanentSendError,
    TransientSendError,
    TransportResult,
    UncertainSendError,
    get_transport,
)
from personal_assistant.users.quiet_hours import quiet_period_end
from personal_assistant.users.repository import PhoneRepository
from personal_assistant.workers.enqueue import defer

log = structlog.get_logger("sms.outbox")

# Kinds of outbound text. "reply" answers a message the user just sent (ignores quiet hours);
# "code" is a verification code to a phone that may not be verified yet; "urgent_reminder" is a
# reminder the user marked urgent.
KINDS = ("reply", "reminder", "urgent_reminder", "checkin", "focus", "code", "system", "onboarding", "list")
QUIET_HOURS_EXEMPT = frozenset({"reply", "code", "urgent_reminder"})
KIND_MAX_SEGMENTS = {"list": 10}
STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
# Sends that were not accepted are tried again this many times in all, with backoff.
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (5, 15, 30, 60, 120)
# Before the outbox: our states. After: the transport's (console, queued, accepted, sent, ...).
PENDING, DISPATCHING, UNCERTAIN, FAILED = "pending", "dispatching", "uncertain", "failed"
OUTBOX_STATES = (PENDING, DISPATCHING, UNCERTAIN)
HANDED_OVER = ("console", "accepted", "scheduled", "queued", "sending", "sent", "delivered", "read")


@dataclass
class Queued:
    """What queue_text() did: status is pending|dispatching (stored), or suppressed_opt_out,
    deferred_quiet_hours (with retry_at) or no_phone (nothing stored); duplicate = the key was
    used before and `message` is that earlier row."""

    status: str
    message: Message | None = None
    retry_at: datetime | None = None
    duplicate: bool = False

    @property
    def stored(self) -> bool:
        return self.message is not None


@dataclass(frozen=True)
class Claimed:
    """A row this process may send now (its lease is ours), detached from any session."""

    id: uuid.UUID
    user_id: uuid.UUID
    kind: str
    to_number: str
    from_number: str | None
    body: str  # the real text (unsealed)
    lease_until: datetime


def status_callback_url(message_id: uuid.UUID) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}{STATUS_CALLBACK_PATH}?m={message_id}"


async def from_number_for(session: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    """The user's dedicated number, else the deployment's shared number."""
    if user_id is not None:
        dedicated = await repo.dedicated_number_of(session, user_id)
        if dedicated:
            return dedicated
    return get_settings().twilio_shared_number


def quiet_until(user: User, now: datetime | None = None) -> datetime | None:
    try:
        return quiet_period_end(user.quiet_hours_start, user.quiet_hours_end, user.timezone or "UTC", now)
    except (KeyError, ValueError):  # an unknown zone must not block sending: read it as UTC
        return quiet_period_end(user.quiet_hours_start, user.quiet_hours_end, "UTC", now)


def _lease(now: datetime) -> datetime:
    return now + timedelta(seconds=get_settings().outbox_lease_seconds)


async def queue_text(
    session: AsyncSession,
    user: User,
    body: str,
    kind: str,
    *,
    to_number: str | None = None,
    from_number: str | None = None,
    idempotency_key: str | None = None,
    max_segments: int | None = None,
    ref_id: uuid.UUID | None = None,
    in_reply_to_id: uuid.UUID | None = None,
    answered_by: str | None = None,
    masked_body: str | None = None,
    dispatch: Literal["job", "caller"] = "job",
) -> Queued:
    """Store one text to the user (their verified primary phone unless `to_number` is given),
    in the caller's transaction. `masked_body` is what the thread shows instead of `body` (a
    code): the real text is kept encrypted until it is sent. See the module docstring."""
    if to_number is None:
        phone = await PhoneRepository(session, user.id).primary()
        if phone is None:
            return _counted(kind, Queued("no_phone"))
        to_number = phone.e164
    if await repo.is_opted_out(session, to_number):
        log.info("sms.suppressed_opt_out", user_id=str(user.id), kind=kind)
        return _counted(kind, Queued("suppressed_opt_out"))
    now = clock.now()
    if kind not in QUIET_HOURS_EXEMPT:
        quiet_end = quiet_until(user, now)
        if quiet_end is not None:
            log.info("sms.deferred_quiet_hours", user_id=str(user.id), kind=kind)
            return _counted(kind, Queued("deferred_quiet_hours", retry_at=quiet_end))

    text = trim_to_segments(body, max_segments or KIND_MAX_SEGMENTS.get(kind, DEFAULT_MAX_SEGMENTS))
    info = count_segments(text)
    claimed_now = dispatch == "caller"
    message = Message(
        id=uuid.uuid4(),
        user_id=user.id,
        direction="outbound",
        channel="sms",
        kind=kind,
        body=masked_body if masked_body is not None else text,
        sealed_body=crypto.encrypt(text) if masked_body is not None else None,
        to_number=to_number,
        from_number=from_number or await from_number_for(session, user.id),
        status=DISPATCHING if claimed_now else PENDING,
        attempts=1 if claimed_now else 0,
        claimed_until=_lease(now) if claimed_now else None,
        idempotency_key=idempotency_key,
        segments=info.segments,
        encoding=info.encoding,
        price_estimate=price_estimate(info.segments, get_settings().sms_price_per_segment_usd),
        ref_id=ref_id,
        in_reply_to_id=in_reply_to_id,
        answered_by=answered_by,
        created_at=now,
    )
    if not await repo.OutboxRepository(session).insert_once(message):
        # This key was queued before (a retry, a second worker): that row is the text.
        existing = await repo.MessageRepository(session, user.id).by_idempotency_key(idempotency_key or "")
        assert existing is not None
        return Queued(existing.status, existing, duplicate=True)
    if not claimed_now:
        defer(session, "sms.dispatch", message_id=str(message.id))
    return Queued(message.status, message)


def claimed_of(message: Message) -> Claimed:
    """The Claimed view of a row queued with dispatch="caller" (after its transaction committed)."""
    assert message.status == DISPATCHING and message.claimed_until is not None
    return Claimed(message.id, message.user_id, message.kind, message.to_number or "", message.from_number,
                   _unsealed(message), message.claimed_until)


def _unsealed(message: Message) -> str:
    return crypto.decrypt(message.sealed_body) if message.sealed_body else message.body


def _counted(kind: str, result: Queued) -> Queued:
    SMS_OUTBOUND.labels(kind, result.status).inc()
    return result


# --- dispatch (outside any transaction) ------------------------------------------------------


async def dispatch(message_id: uuid.UUID | str) -> str | None:
    """Claim one pending text and send it. Returns its status afterwards (None: not ours to send:
    already sent, claimed by another dispatcher, or not due yet)."""
    claimed = await _claim(uuid.UUID(str(message_id)))
    if claimed is None:
        return None
    return (await send_claimed([claimed]))[0]


async def _claim(message_id: uuid.UUID) -> Claimed | None:
    async with session_scope() as session:
        now = clock.now()
        message = await repo.OutboxRepository(session).claim(message_id, now, _lease(now))
        if message is None:
            return None
        user = await session.get(User, message.user_id)
        if user is None or not user.is_active:
            await _settle(session, message, FAILED, error="inactive")
            return None
        if await repo.is_opted_out(session, message.to_number or ""):
            await _settle(session, message, FAILED, error="opted_out")
            return None
        if message.kind not in QUIET_HOURS_EXEMPT:
            quiet_end = quiet_until(user, now)
            if quiet_end is not None:  # a retry that reached quiet hours waits for the morning
                message.status, message.claimed_until, message.next_attempt_at = PENDING, None, quiet_end
                message.attempts -= 1
                return None
        return claimed_of(message)


async def send_claimed(batch: list[Claimed], *, concurrency: int = 8) -> list[str]:
    """Send texts this process holds the lease of, then record every outcome in one short
    transaction. Returns each text's status afterwards, in order."""
    if not batch:
        return []
    transport = get_transport()
    gate = asyncio.Semaphore(concurrency)

    async def one(claimed: Claimed) -> TransportResult | Exception:
        async with gate:
            try:
                if transport.paced:
                    await transport.ready()  # an open breaker fails fast, without taking a slot
                    await _wait_for_pacing(claimed)
                return await transport.send(
                    to=claimed.to_number,
                    from_=claimed.from_number,
                    body=claimed.body,
                    status_callback=status_callback_url(claimed.id) if transport.name == "twilio" else None,
                )
            except (PermanentSendError, TransientSendError, UncertainSendError) as exc:
                return exc

    outcomes = await asyncio.gather(*(one(c) for c in batch))
    async with session_scope() as session:
        statuses = [await _record(session, c, o) for c, o in zip(batch, outcomes, strict=True)]
    return statuses


async def _wait_for_pacing(claimed: Claimed) -> None:
    wait = await pacing.reserve_slot(claimed.from_number)
    if wait <= 0:
        return
    if clock.now() + timedelta(seconds=wait) + timedelta(seconds=get_settings().outbox_lease_seconds / 2) > (
        claimed.lease_until
    ):
        # A long queue on this number: keep the lease ahead of the wait, or a sweep would call it
        # uncertain while we are only waiting our turn.
        async with session_scope() as session:
            await repo.OutboxRepository(session).extend_lease(
                claimed.id, claimed.lease_until + timedelta(seconds=wait)
            )
    await asyncio.sleep(wait)


async def _record(session: AsyncSession, claimed: Claimed, outcome: TransportResult | Exception) -> str:
    outbox = repo.OutboxRepository(session)
    message = await outbox.held(claimed.id)
    if message is None:
        # A status callback recorded it first, or the lease ran out and the sweep took the row
        # (it reconciles with the provider, so this outcome is not needed).
        current = await session.get(Message, claimed.id)
        log.info("sms.outbox_outcome_taken", message_id=str(claimed.id))
        return current.status if current is not None else UNCERTAIN
    now = clock.now()
    if isinstance(outcome, TransportResult):
        await _mark_sent(session, message, outcome, now)
    elif isinstance(outcome, PermanentSendError):
        await _settle(session, message, FAILED, error=outcome.code)
        if outcome.opted_out:
            await repo.set_opted_out(session, message.to_number or "", now)
            SMS_OPT_OUTS.labels("carrier_21610").inc()
            log.info("sms.opted_out_by_carrier", user_id=str(message.user_id), message_id=str(message.id))
    elif isinstance(outcome, UncertainSendError):
        SMS_SENDS_UNCERTAIN.inc()
        await _settle(session, message, UNCERTAIN, error=outcome.code)
    else:
        assert isinstance(outcome, TransientSendError)
        if message.attempts >= MAX_ATTEMPTS:
            await _settle(session, message, FAILED, error=outcome.code)
        else:
            delay = BACKOFF_SECONDS[min(message.attempts, len(BACKOFF_SECONDS)) - 1]
            message.status, message.claimed_until = PENDING, None
            message.next_attempt_at, message.error_code = now + timedelta(seconds=delay), outcome.code[:16]
            log.warning("sms.send_retry_later", message_id=str(message.id), code=outcome.code, in_seconds=delay)
    SMS_OUTBOUND.labels(message.kind, message.status).inc()
    return message.status


async def _mark_sent(session: AsyncSession, message: Message, sent: TransportResult, now: datetime) -> None:
    message.provider_sid = sent.sid
    message.status = sent.status
    message.sent_at = message.status_updated_at = now
    message.claimed_until = message.next_attempt_at = None
    message.error_code = None
    message.sealed_body = None  # the provider has it now; we keep only the masked text
    session.add(
        SmsUsage(
            user_id=message.user_id,
            message_id=message.id,
            direction="outbound",
            segments=message.segments,
            encoding=message.encoding or "gsm7",
            price_estimate=message.price_estimate or 0,
        )
    )
    await session.flush()
    log.info("sms.sent", user_id=str(message.user_id), message_id=str(message.id), kind=message.kind,
             segments=message.segments, attempt=message.attempts)


async def _settle(session: AsyncSession, message: Message, status: str, *, error: str | None) -> None:
    message.status = status
    message.claimed_until = None
    message.error_code = error[:16] if error else None
    message.status_updated_at = clock.now()
    if status == FAILED:
        message.sealed_body = None
        log.warning("sms.send_failed", user_id=str(message.user_id), message_id=str(message.id), code=error)
    await session.flush()


# --- reconciliation of uncertain sends (the sweep and status callbacks) -----------------------


async def adopt_from_callback(session: AsyncSession, message_id: str, provider_sid: str) -> bool:
    """A status callback names our message (?m=<id>) and its sid: a text whose outcome we never
    recorded (the sender died, or is still waiting for Twilio's answer) is sent. In the
    callback's transaction."""
    try:
        key = uuid.UUID(message_id)
    except ValueError:
        return False
    message = await repo.OutboxRepository(session).unsettled(key)
    if message is None or message.provider_sid is not None:
        return False
    await _mark_sent(session, message, TransportResult(provider_sid, "queued"), clock.now())
    log.info("sms.reconciled_by_callback", message_id=message_id)
    return True



async def reconcile(message_id: uuid.UUID) -> str | None:
    """Decide an uncertain text by asking the transport (see the module docstring). Returns the
    status afterwards, or None when the row is no longer uncertain or the lookup failed."""
    async with session_scope() as session:
        message = await repo.OutboxRepository(session).uncertain(message_id)
        if message is None:
            return None
        to, from_, body = message.to_number or "", message.from_number, _unsealed(message)
        since = clock.as_utc(message.created_at) - timedelta(minutes=1)
    try:
        found = await get_transport().lookup(to=to, from_=from_, body=body, since=since)
    except TransientSendError:
        log.warning("sms.reconcile_lookup_failed", message_id=str(message_id))
        return None
    async with session_scope() as session:
        message = await repo.OutboxRepository(session).uncertain(message_id)
        if message is None:
            return None
        if found is not None:
            await _mark_sent(session, message, found, clock.now())
            log.info("sms.reconciled_sent", message_id=str(message_id))
        else:
            message.status, message.next_attempt_at, message.claimed_until = PENDING, clock.now(), None
            log.info("sms.reconciled_not_sent", message_id=str(message_id))
        return message.status


async def send_without_user(*, to_number: str, from_number: str | None, body: str, kind: str = "onboarding") -> str:
    """Text someone who has no account (the onboarding reply, an operator's test). Nothing is
    stored but the metrics, and no transaction is open while the transport works. Returns the
    send status. (With no row there is no outbox: a crash mid-send loses this one text.)"""
    async with session_scope() as session:
        if await repo.is_opted_out(session, to_number):
            return _counted(kind, Queued("suppressed_opt_out")).status
    text = trim_to_segments(body, DEFAULT_MAX_SEGMENTS)
    from_ = from_number or get_settings().twilio_shared_number
    transport = get_transport()
    try:
        if transport.paced:
            await transport.ready()
            await asyncio.sleep(await pacing.reserve_slot(from_))
        sent = await transport.send(to=to_number, from_=from_, body=text, status_callback=None)
    except PermanentSendError as exc:
        if exc.opted_out:
            async with session_scope() as session:
                await repo.set_opted_out(session, to_number, clock.now())
        log.warning("sms.send_failed", kind=kind, code=exc.code)
        return _counted(kind, Queued(FAILED)).status
    except (TransientSendError, UncertainSendError) as exc:
        log.warning("sms.send_not_confirmed", kind=kind, code=exc.code)
        return _counted(kind, Queued(FAILED)).status
    log.info("sms.sent_without_user", kind=kind, sid=sent.sid, transport=transport.name)
    return _counted(kind, Queued(sent.status)).status
