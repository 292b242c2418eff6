"""Background jobs of the SMS channel (Celery tasks with REDIS_URL, in-process tasks embedded).

Both are safe to run twice (Celery delivers at least once): the reply carries the idempotency key
"reply:<inbound message id>", so a second run finds it and sends nothing.
"""

from __future__ import annotations

import uuid

import structlog
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from personal_assistant.config import get_settings
from personal_assistant.db.models import Message, User
from personal_assistant.db.session import session_scope
from personal_assistant.sms import keywords
from personal_assistant.sms import repository as repo
from personal_assistant.sms.outbound import send_sms, send_without_user
from personal_assistant.sms.serial import background_turn
from personal_assistant.workers.jobs import job

log = structlog.get_logger("sms.jobs")

EMPTY_TEXT_REPLY = "I got an empty text. What can I help you with? One thing at a time is fine."
MEDIA_ONLY_REPLY = "I can only read words for now, not pictures or files. Could you text it to me?"
APOLOGY_REPLY = "Sorry, I hit a snag on my side. Please text me again in a minute."


def _sqlite_busy(exc: BaseException) -> bool:
    # SQLite (embedded mode) has one writer: a transaction that read first and then writes after
    # another one committed gets "database is locked" at once, whatever the busy timeout. The
    # whole unit of work is then simply run again (the reply's idempotency key keeps it single).
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def signup_url() -> str:
    return get_settings().public_base_url.rstrip("/") + "/signup"


async def _reply_text(session: AsyncSession, user: User, message: Message) -> tuple[str, str] | None:
    """(reply text, who wrote it); None when the message must get no reply (STOP)."""
    settings = get_settings()
    keyword = keywords.classify(message.body) if message.kind == "keyword" else None
    if keyword == "opt_out":
        return None
    if keyword == "opt_in":
        return keywords.opt_in_text(settings.app_name), "keyword"
    if keyword == "help":
        return keywords.help_text(settings.app_name, signup_url()), "keyword"
    if not message.body.strip():
        return (MEDIA_ONLY_REPLY if message.num_media > 0 else EMPTY_TEXT_REPLY), "fixed"
    from personal_assistant.agent.service import handle_inbound

    try:
        # A savepoint: a failing turn leaves nothing half-written, and the user still gets a text.
        async with session.begin_nested():
            reply = await handle_inbound(session, user, message.body, channel="sms")
    except OperationalError as exc:
        if _sqlite_busy(exc):
            raise  # retry the whole job rather than apologise
        log.exception("sms.agent_turn_failed", message_id=str(message.id), user_id=str(user.id))
        return APOLOGY_REPLY, "fallback"
    except Exception:
        log.exception("sms.agent_turn_failed", message_id=str(message.id), user_id=str(user.id))
        return APOLOGY_REPLY, "fallback"
    text = (reply.text or "").strip() or "Got it."
    return text, reply.provider


@job("sms.process_inbound")
async def process_inbound(message_id: str) -> None:
    """Run the agent on one stored inbound text and send its reply from the number texted."""
    async with background_turn():
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(_sqlite_busy),
            # Under a burst of texts a turn may conflict many times; it waits rather than fails,
            # and never holds the write lock for a whole turn (webhooks must stay fast).
            stop=stop_after_attempt(30),
            wait=wait_random_exponential(multiplier=0.1, max=3),
            reraise=True,
        ):
            with attempt:
                await _process_inbound_once(message_id)


async def _process_inbound_once(message_id: str) -> None:
    async with session_scope() as session:
        message = await session.get(Message, uuid.UUID(message_id))
        if message is None or message.direction != "inbound":
            log.warning("sms.process_inbound_missing", message_id=message_id)
            return
        user = await session.get(User, message.user_id)
        if user is None or not user.is_active:
            return
        if await repo.MessageRepository(session, user.id).reply_to(message.id) is not None:
            return  # answered by an earlier run of this job
        decided = await _reply_text(session, user, message)
        if decided is None:
            return
        text, provider = decided
        result = await send_sms(
            session,
            user,
            text,
            "reply",
            to_number=message.from_number,
            from_number=message.to_number,
            idempotency_key=f"reply:{message.id}",
        )
        if result.message is not None and not result.duplicate:
            result.message.answered_by = provider[:16]
            result.message.in_reply_to_id = message.id
            await session.flush()
        log.info("sms.replied", message_id=message_id, user_id=str(user.id), status=result.status)


@job("sms.reply_unknown_sender")
async def reply_unknown_sender(to_number: str, from_number: str | None = None, help: bool = False) -> None:  # noqa: A002
    """The onboarding text for a number without an account (throttled by the webhook)."""
    settings = get_settings()
    text = (
        keywords.help_text(settings.app_name, signup_url())
        if help
        else keywords.onboarding_text(settings.app_name, signup_url())
    )
    async with session_scope() as session:
        await send_without_user(session, to_number=to_number, from_number=from_number, body=text)
