"""The conversation thread and what the agent remembers between messages.

Messages of both channels form one thread per user. ConversationState holds the open
clarification (with an expiry) and the last list shown ("done 2" refers to it).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.agent.llm.base import RecentText
from personal_assistant.agent.repository import AgentStepRepository, ConversationStateRepository
from personal_assistant.core import clock
from personal_assistant.db.models import ConversationState, Message
from personal_assistant.sms.repository import MessageRepository
from personal_assistant.users.repository import PhoneRepository

PENDING_TTL = timedelta(minutes=30)
# Verification codes never enter the agent's context (nor leave for an LLM).
PRIVATE_KINDS = ("code",)


async def thread_context(
    session: AsyncSession, user_id: uuid.UUID, current: Message | None, *, limit: int = 10
) -> tuple[list[tuple[str, str]], RecentText | None]:
    """What the thread says before `current` (the text being answered), from one query:

    - the last `limit` messages as (direction, body), oldest first. Replies stored after `current`
      arrived are history (they answer earlier texts); texts the user sent after it are not
      (their turn comes next);
    - the assistant's newest outbound text sent before `current` (not a code), and whether the
      user texted between it and `current` (None when none is among the recent messages)."""
    rows = await MessageRepository(session, user_id).latest(limit * 2 + 1, exclude_kinds=PRIVATE_KINDS)
    if current is not None:
        rows = [
            m for m in rows
            if m.id != current.id and not (m.direction == "inbound" and m.created_at > current.created_at)
        ]
    history = [(m.direction, m.body) for m in reversed(rows[:limit]) if m.body]
    before = current.created_at if current is not None else None
    sent = next((m for m in rows if m.direction == "outbound" and (before is None or m.created_at <= before)), None)
    if sent is None:
        return history, None
    answered = any(m.direction == "inbound" and m.created_at > sent.created_at for m in rows)
    last = RecentText(
        kind=sent.kind,
        body=sent.body,
        sent_at=clock.as_utc(sent.sent_at or sent.created_at),
        ref_id=sent.ref_id,
        key=sent.idempotency_key,
        answered=answered,
    )
    return history, last


async def primary_phone_number(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    phone = await PhoneRepository(session, user_id).primary()
    return phone.e164 if phone is not None else None


async def list_messages(
    session: AsyncSession, user_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[list[Message], int]:
    """A page of the thread (both directions and channels), newest last; offset counts from the newest."""
    return await MessageRepository(session, user_id).page(limit, offset)


async def store_message(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    direction: str,
    body: str,
    channel: str = "web",
    kind: str = "chat",
    status: str = "received",
    answered_by: str | None = None,
    in_reply_to_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> Message:
    now = clock.now()
    message = Message(
        idempotency_key=idempotency_key,
        direction=direction,
        channel=channel,
        kind=kind,
        body=body,
        status=status,
        answered_by=answered_by,
        in_reply_to_id=in_reply_to_id,
        created_at=now,
        sent_at=now if direction == "outbound" else None,
    )
    return await MessageRepository(session, user_id).add(message)


def reply_key(inbound_id: uuid.UUID) -> str:
    """The idempotency key of the one reply to an inbound text."""
    return f"reply:{inbound_id}"


async def get_message(session: AsyncSession, user_id: uuid.UUID, message_id: uuid.UUID) -> Message:
    return await MessageRepository(session, user_id).get(message_id)


async def reply_to(session: AsyncSession, user_id: uuid.UUID, inbound_id: uuid.UUID) -> Message | None:
    """The reply to one inbound text, if it exists yet."""
    return await MessageRepository(session, user_id).by_idempotency_key(reply_key(inbound_id))


async def load_state(session: AsyncSession, user_id: uuid.UUID) -> ConversationState | None:
    return await ConversationStateRepository(session, user_id).current()


def open_pending(state: ConversationState | None, now: datetime | None = None) -> dict[str, Any] | None:
    """The clarification still waiting for an answer, or None when there is none or it expired."""
    if state is None or not state.pending:
        return None
    if state.pending_expires_at is not None and state.pending_expires_at <= (now or clock.now()):
        return None
    return state.pending


async def save_turn_state(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    pending: dict[str, Any] | None,
    last_action: dict[str, Any] | None = None,
) -> None:
    """Store the outcome of a turn: a new clarification with its expiry, or none (answers clear
    it); and what the turn changed, when it changed something (else the previous change stays
    the one "undo" means)."""
    repo = ConversationStateRepository(session, user_id)
    state = await repo.current()
    if state is None and pending is None and last_action is None:
        return
    if state is not None and pending is None and state.pending is None and last_action is None:
        return
    fresh = state is None
    state = state or ConversationState()
    state.pending = pending
    state.pending_expires_at = clock.now() + PENDING_TTL if pending is not None else None
    if last_action is not None:
        state.last_action = last_action
    state.updated_at = clock.now()
    if fresh:
        await repo.add(state)
    else:
        await session.flush()


async def gemini_tokens_today(session: AsyncSession, user_id: uuid.UUID, tz_name: str) -> int:
    """Tokens this user spent on Gemini since local midnight (the daily quota window)."""
    local = clock.now().astimezone(clock.zone(tz_name))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return await AgentStepRepository(session, user_id).tokens_since(clock.as_utc(midnight), "gemini")
