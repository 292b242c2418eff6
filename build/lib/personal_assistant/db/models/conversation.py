"""Messages (both channels, both directions), conversation state, and agent steps."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin, UserOwned


class Message(IdMixin, UserOwned, Base):
    """One text of the thread. Inbound: status received (its turn is pending) -> answered |
    no_reply | expired. Outbound texts are the outbox (sms/outbox.py): pending -> dispatching ->
    the transport's status (console, queued, sent, delivered ...) | uncertain | failed."""

    __tablename__ = "messages"

    direction: Mapped[str] = mapped_column(String(8))  # inbound|outbound
    channel: Mapped[str] = mapped_column(String(8), default="sms")  # sms|web
    kind: Mapped[str] = mapped_column(String(16), default="chat")  # chat|reply|reminder|checkin|code|focus|system
    body: Mapped[str] = mapped_column(Text, default="")
    # An outbound text whose stored body is masked (a verification code): the real text,
    # encrypted (core.crypto), until the transport has it; then cleared.
    sealed_body: Mapped[str | None] = mapped_column(Text)
    from_number: Mapped[str | None] = mapped_column(String(20))
    to_number: Mapped[str | None] = mapped_column(String(20))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    error_code: Mapped[str | None] = mapped_column(String(16))
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    segments: Mapped[int] = mapped_column(Integer, default=0)
    encoding: Mapped[str | None] = mapped_column(String(8))  # gsm7|ucs2
    price_estimate: Mapped[Decimal | None] = mapped_column(Numeric(10, 5))
    answered_by: Mapped[str | None] = mapped_column(String(16))  # provider that wrote a reply
    in_reply_to_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # What an outbound text is about (the reminder of a reminder text, the focus session ...).
    ref_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Outbox: send attempts so far, when the next may start, and the lease of a dispatch under
    # way. Inbound: next_attempt_at defers a turn (a text over the flood limit waits for the
    # window to reopen).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    sent_at: Mapped[datetime | None]
    status_updated_at: Mapped[datetime | None]


class ConversationState(IdMixin, UserOwned, Base):
    """What the agent must remember between messages: a pending question, the last list shown."""

    __tablename__ = "conversation_states"
    __table_args__ = (UniqueConstraint("user_id"),)  # one per user

    pending: Mapped[dict | None] = mapped_column(JSON)
    pending_expires_at: Mapped[datetime | None]
    last_list: Mapped[dict | None] = mapped_column(JSON)  # {"kind": "tasks", "ids": [...]}
    # What the previous turn changed, for "undo" and corrections:
    # {"turn_id": ..., "at": ISO time, "actions": [{"tool": ..., "args": {...}, "result": {...}}]}
    last_action: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class AgentStep(IdMixin, UserOwned, Base):
    __tablename__ = "agent_steps"

    turn_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    step_index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # plan|tool|answer|error
    provider: Mapped[str] = mapped_column(String(16))
    tool: Mapped[str | None] = mapped_column(String(64))
    arguments: Mapped[dict | None] = mapped_column(JSON)
    result_summary: Mapped[str | None] = mapped_column(Text)
    # A data-changing tool call: its key within the turn and its full result, so a turn run
    # again after a crash (same turn id) reuses the result instead of acting twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(500))
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
