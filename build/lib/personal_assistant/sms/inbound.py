"""Everything an inbound text does after the webhook's signature check.

receive_inbound() runs inside the caller's transaction (the webhook's own unit of work, or the
dashboard's phone simulator) and does only database work: the text is stored waiting for its
turn (status received), and the turn (agent/pipeline.py) is a job sent after the commit, so the
webhook answers Twilio fast and a text it acknowledged is never lost (the sweep re-drives it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token
from personal_assistant.core.errors import RateLimited
from personal_assistant.core.ratelimit import get_rate_limiter
from personal_assistant.db.models import Message, SmsUsage, User
from personal_assistant.observability.metrics import SMS_DUPLICATES, SMS_INBOUND, SMS_OPT_OUTS
from personal_assistant.sms import keywords
from personal_assistant.sms import repository as repo
from personal_assistant.sms.routing import route_inbound
from personal_assistant.sms.segments import count_segments, price_estimate
from personal_assistant.workers.enqueue import defer

log = structlog.get_logger("sms.inbound")

# Twilio concatenates long inbound texts up to 1,600 characters; keep a margin, refuse nothing.
MAX_INBOUND_CHARS = 5000
# Agent turns per phone (SMS_INBOUND_RATE_PER_PHONE): a flood (a stuck phone, a loop with another
# bot) must not run up the LLM bill. A text over the limit waits until the window reopens, and
# the sender hears "give me a minute" at most once per window.
FLOOD_NOTICE_RATE = "1/minute"
FLOOD_NOTICE = "Give me a minute: I'll answer your texts in order, one at a time."
# An unknown sender gets the onboarding text at most this often.
ONBOARDING_EVERY = timedelta(days=1)


@dataclass
class InboundOutcome:
    status: str  # stored|deferred|duplicate|unknown_sender|ignored
    message_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    keyword: str | None = None  # opt_out|opt_in|help
    reply_deferred: bool = False


# C0 control characters other than tab/newline/CR: PostgreSQL refuses NUL in text, and none of
# them mean anything in a text message.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean_text(value: str | None) -> str:
    return (value or "").translate(_CONTROL)


def sender_hash(e164: str) -> str:
    """Unknown senders are remembered only by a keyed hash of their number."""
    return hash_token(f"unknown-sender:{e164}")


async def receive_inbound(
    session: AsyncSession,
    *,
    message_sid: str,
    from_number: str,
    to_number: str,
    body: str,
    num_media: int = 0,
) -> InboundOutcome:
    """Record one inbound text exactly once, route it, apply carrier keywords, and defer the reply.

    A MessageSid seen before returns status "duplicate" and changes nothing (Twilio retries).
    """
    message_sid = clean_text(message_sid).strip()[:64]
    if not await repo.claim_receipt(session, message_sid):
        SMS_DUPLICATES.inc()
        SMS_INBOUND.labels("duplicate").inc()
        log.info("sms.inbound_duplicate", message_sid=message_sid)
        return InboundOutcome("duplicate")

    body = clean_text(body)[:MAX_INBOUND_CHARS]
    from_number, to_number = clean_text(from_number).strip(), clean_text(to_number).strip()
    keyword = keywords.classify(body)
    route = await route_inbound(session, from_number=from_number, to_number=to_number)
    if keyword == "opt_in" and not await _opted_out_sender(session, route.kind, from_number):
        # "yes" / "start" from a phone that is not opted out is an answer for the agent
        # ("Set it for 7pm?" "yes"), not a carrier keyword.
        keyword = None
    if route.kind == "user":
        assert route.user is not None
        outcome = await _from_user(session, route.user.id, message_sid, from_number, to_number, body,
                                   num_media, keyword)
    elif route.kind == "unknown":
        outcome = await _from_unknown(session, from_number, to_number, keyword)
    else:
        # A known phone texting someone else's dedicated number, or a disabled account: nothing.
        outcome = InboundOutcome("ignored")
    if outcome.status != "stored":  # "received" (the insert's value) already says stored
        await repo.set_receipt_outcome(session, message_sid, outcome.status)
    SMS_INBOUND.labels(outcome.status).inc()
    log.info(
        "sms.inbound",
        message_sid=message_sid,
        route=route.kind,
        outcome=outcome.status,
        user_id=str(outcome.user_id) if outcome.user_id else None,
        message_id=str(outcome.message_id) if outcome.message_id else None,
        keyword=keyword,
        chars=len(body),
        num_media=num_media,
    )
    return outcome


async def _opted_out_sender(session: AsyncSession, route_kind: str, from_number: str) -> bool:
    if await repo.is_opted_out(session, from_number):
        return True
    return route_kind == "unknown" and await repo.unknown_sender_suppressed(
        session, sender_hash(from_number), clock.now()
    )


async def _from_user(
    session: AsyncSession,
    user_id: uuid.UUID,
    message_sid: str,
    from_number: str,
    to_number: str,
    body: str,
    num_media: int,
    keyword: str | None,
) -> InboundOutcome:
    now = clock.now()
    if keyword == "opt_out":
        await repo.set_opted_out(session, from_number, now)
        SMS_OPT_OUTS.labels("opt_out").inc()
    elif keyword == "opt_in":
        await repo.set_opted_out(session, from_number, None)
        SMS_OPT_OUTS.labels("opt_in").inc()
    info = count_segments(body)
    message = Message(
        id=uuid.uuid4(),  # known before the flush: message and usage go in one round trip
        user_id=user_id,
        direction="inbound",
        channel="sms",
        kind="keyword" if keyword else "chat",
        body=body,
        from_number=from_number,
        to_number=to_number,
        provider_sid=message_sid,
        # STOP gets no text from us (see keywords.py); everything else waits for its reply.
        status="no_reply" if keyword == "opt_out" else "received",
        num_media=max(0, num_media),
        segments=info.segments,
        encoding=info.encoding,
        sent_at=now,
        created_at=now,
    )
    session.add(message)
    session.add(
        SmsUsage(
            user_id=user_id,
            message_id=message.id,
            direction="inbound",
            segments=info.segments,
            encoding=info.encoding,
            price_estimate=price_estimate(info.segments, get_settings().sms_price_per_segment_usd),
        )
    )
    if keyword == "opt_out":
        await session.flush()
        return InboundOutcome("stored", message.id, user_id, keyword)
    wait = await _over_flood_limit(from_number) if keyword is None else None
    if wait is not None:
        message.next_attempt_at = now + timedelta(seconds=wait)
        await session.flush()
        await _flood_notice(session, user_id, message, from_number, to_number)
        defer(session, "sms.process_inbound", countdown=wait, user_id=str(user_id))
        return InboundOutcome("deferred", message.id, user_id, keyword, reply_deferred=True)
    await session.flush()
    defer(session, "sms.process_inbound", user_id=str(user_id))
    return InboundOutcome("stored", message.id, user_id, keyword, reply_deferred=True)


async def _over_flood_limit(from_number: str) -> int | None:
    """None when this text may have its turn now, else the seconds until the window reopens."""
    try:
        await get_rate_limiter().hit(get_settings().sms_inbound_rate_per_phone, "sms_inbound", "phone",
                                     sender_hash(from_number))
    except RateLimited as exc:
        return exc.retry_after
    return None


async def _flood_notice(
    session: AsyncSession, user_id: uuid.UUID, message: Message, from_number: str, to_number: str
) -> None:
    """The one "give me a minute" of this window (a reply-kind text, so quiet hours do not hold it)."""
    from personal_assistant.sms.outbox import queue_text

    try:
        await get_rate_limiter().hit(FLOOD_NOTICE_RATE, "sms_flood_notice", sender_hash(from_number))
    except RateLimited:
        return
    user = await session.get(User, user_id)
    if user is not None:
        await queue_text(session, user, FLOOD_NOTICE, "reply", to_number=from_number, from_number=to_number,
                         idempotency_key=f"flood:{message.id}")


async def _from_unknown(
    session: AsyncSession, from_number: str, to_number: str, keyword: str | None
) -> InboundOutcome:
    now = clock.now()
    digest = sender_hash(from_number)
    if keyword == "opt_out":
        await repo.set_opted_out(session, from_number, now)  # unverified claims of this number too
        await repo.set_unknown_sender_suppressed(session, digest, now + repo.UNKNOWN_OPT_OUT_UNTIL)
        SMS_OPT_OUTS.labels("opt_out").inc()
        return InboundOutcome("unknown_sender", keyword=keyword)
    if keyword == "opt_in":
        await repo.set_opted_out(session, from_number, None)
        # Lift the suppression and let this START get the onboarding text.
        await repo.set_unknown_sender_suppressed(session, digest, now - ONBOARDING_EVERY)
        SMS_OPT_OUTS.labels("opt_in").inc()
    elif await repo.unknown_sender_suppressed(session, digest, now):
        return InboundOutcome("unknown_sender", keyword=keyword)
    if not await repo.claim_unknown_sender_reply(session, digest, now, ONBOARDING_EVERY):
        return InboundOutcome("unknown_sender", keyword=keyword)
    defer(
        session,
        "sms.reply_unknown_sender",
        to_number=from_number,
        from_number=to_number,
        help=keyword == "help",
    )
    return InboundOutcome("unknown_sender", keyword=keyword, reply_deferred=True)

