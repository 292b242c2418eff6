"""The durable turn pipeline: every stored inbound text gets exactly one reply, even across crashes.

    await answer_waiting(user_id)   # a job after the webhook's commit, the sweep, the web chat

Under the user's turn lease (agent/lock.py), the user's waiting texts (inbound, status received,
not deferred) are answered oldest first, one at a time:
1. read the text and the user (a short transaction); STOP, START, HELP and texts without words
   get their fixed reply, anything else an agent turn (agent/service.py: no transaction open
   while the provider plans, each tool call its own short transaction);
2. one transaction stores the reply (an SMS reply goes into the outbox already claimed, with the
   idempotency key "reply:<inbound id>"; a web reply is stored as delivered), the turn's steps
   and conversation state, and settles the inbound text as answered;
3. after that commit, the SMS reply is handed to the transport (sms/outbox.py).

A crash anywhere leaves the text "received" (or its reply in the outbox), and the sweep
(sms/sweep.py) runs this again: the reply key makes a second reply impossible, and tool calls of
the same turn (its id is the inbound text's id) replay their recorded results instead of acting
twice. A lease that cannot be had within the wait leaves the texts to whoever holds it.
"""

from __future__ import annotations

import uuid

import structlog

from personal_assistant.agent import conversation
from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.lock import turn_lease
from personal_assistant.agent.service import PreparedTurn, TurnResult, finish_turn, prepare_turn, run_turn
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import Message, User
from personal_assistant.db.session import session_scope
from personal_assistant.observability.tracing import bind_user
from personal_assistant.sms import keywords
from personal_assistant.sms import repository as sms_repo
from personal_assistant.sms.outbox import Claimed, claimed_of, queue_text, send_claimed

log = structlog.get_logger("agent.pipeline")

EMPTY_TEXT_REPLY = "I got an empty text. What can I help you with? One thing at a time is fine."
MEDIA_ONLY_REPLY = "I can only read words for now, not pictures or files. Could you text it to me?"
APOLOGY_REPLY = "Sorry, I hit a snag on my side. Please text me again in a minute."
# At most this many texts per lease: a user texting nonstop cannot keep one worker forever.
MAX_TEXTS_PER_LEASE = 50


def signup_url() -> str:
    return get_settings().public_base_url.rstrip("/") + "/signup"


def fixed_reply(message: Message) -> tuple[str, str] | None:
    """The reply that needs no agent: (text, who wrote it), or None."""
    settings = get_settings()
    keyword = keywords.classify(message.body) if message.kind == "keyword" else None
    if keyword == "opt_in":
        return keywords.opt_in_text(settings.app_name), "keyword"
    if keyword == "help":
        return keywords.help_text(settings.app_name, signup_url()), "keyword"
    if not message.body.strip():
        return (MEDIA_ONLY_REPLY if message.num_media > 0 else EMPTY_TEXT_REPLY), "fixed"
    return None


async def answer_waiting(user_id: uuid.UUID, *, chain: ProviderChain | None = None) -> int:
    """Answer this user's waiting texts in order; returns how many were answered here."""
    bind_user(user_id)  # traces of this turn carry the user (never the text)
    answered = 0
    async with turn_lease(user_id) as lease:
        if lease is None:
            return 0
        more = True
        while more and answered < MAX_TEXTS_PER_LEASE and not lease.lost:
            replied, more = await _answer_next(user_id, chain)
            answered += replied
    return answered


async def _answer_next(user_id: uuid.UUID, chain: ProviderChain | None) -> tuple[int, bool]:
    """Answer the oldest waiting text: (1 if it got a reply here, else 0; whether more wait)."""
    prepared: PreparedTurn | None = None
    async with session_scope() as session:
        messages = sms_repo.MessageRepository(session, user_id)
        message = await messages.next_waiting(clock.now())
        if message is None:
            return 0, False
        user = await session.get(User, user_id)
        if user is None or not user.is_active:
            await messages.settle_inbound(message.id, "no_reply")
            return 0, True
        if await messages.by_idempotency_key(conversation.reply_key(message.id)) is not None:
            await messages.settle_inbound(message.id, "answered")  # a run before a crash replied
            return 0, True
        fixed = fixed_reply(message)
        if fixed is None:
            try:
                prepared = await prepare_turn(session, user, message.body, channel=message.channel,
                                              current=message, chain=chain)
            except Exception:  # a bug must not leave the user unanswered (the traceback has no body)
                log.exception("agent.turn_failed", message_id=str(message.id), user_id=str(user_id))
                await session.rollback()
                fixed = APOLOGY_REPLY, "fallback"

    turn: TurnResult | None = None
    if fixed is not None:
        text, provider = fixed
    else:
        assert prepared is not None
        try:
            turn = await run_turn(prepared)
            text, provider = turn.text, turn.provider
        except Exception:
            log.exception("agent.turn_failed", message_id=str(message.id), user_id=str(user_id))
            text, provider = APOLOGY_REPLY, "fallback"

    claimed: Claimed | None = None
    async with session_scope() as session:
        if turn is not None:
            await finish_turn(session, user_id, turn)
        if message.channel == "web":
            await conversation.store_message(
                session, user_id, direction="outbound", body=text, channel="web", kind="reply",
                status="delivered", answered_by=provider[:16], in_reply_to_id=message.id,
                idempotency_key=conversation.reply_key(message.id),
            )
        else:
            queued = await queue_text(
                session, await session.merge(user, load=False), text, "reply",
                to_number=message.from_number, from_number=message.to_number,
                idempotency_key=conversation.reply_key(message.id), in_reply_to_id=message.id,
                answered_by=provider[:16], dispatch="caller",
            )
            if queued.stored and not queued.duplicate:
                claimed = claimed_of(queued.message)  # type: ignore[arg-type]
        messages = sms_repo.MessageRepository(session, user_id)
        await messages.settle_inbound(message.id, "answered")
        more = await messages.next_waiting(clock.now()) is not None
    if claimed is not None:
        await send_claimed([claimed])
    log.info("sms.replied", message_id=str(message.id), user_id=str(user_id), provider=provider,
             channel=message.channel)
    return 1, more
