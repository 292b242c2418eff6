"""The agent's entry point for every channel: one inbound text in, one reply out.

A turn: take the user's turn lock (one turn at a time per user, across processes), assemble the
turn (AgentCore), let the Runner plan and execute with the provider chain (Gemini, else the
offline brain), store the conversation state (open clarification, last list shown), commit, and
release the lock. Callers (SMS pipeline, web chat) depend only on handle_inbound's signature.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.agent import conversation
from personal_assistant.agent.core import AgentCore
from personal_assistant.agent.llm.fallback import ProviderChain, default_chain
from personal_assistant.agent.lock import HeldLock, acquire_turn_lock, user_turn_lock
from personal_assistant.agent.planner import Planner
from personal_assistant.agent.runner import Runner
from personal_assistant.agent.tools.registry import registry
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import Message, User
from personal_assistant.observability.metrics import AGENT_TURNS

log = structlog.get_logger("agent.service")


@dataclass
class AgentReply:
    text: str
    provider: str  # which provider answered: gemini|offline|fixed
    turn_id: uuid.UUID | None = None


async def handle_inbound(session: AsyncSession, user: User, text: str, *, channel: str = "sms") -> AgentReply:
    """Run one agent turn for `user` and return the reply text (not yet sent).

    Commits `session` before releasing the user's turn lock, so the next message of this user
    sees everything this turn changed. Called inside a savepoint (it cannot commit then), the lock
    is held until the caller's transaction ends instead.
    """
    held = await acquire_turn_lock(user.id)
    try:
        reply = await run_turn(session, user, text, channel=channel)
        if session.in_nested_transaction():
            release_when_transaction_ends(session, held)
            return reply
        await session.commit()
    except BaseException:
        await held.release()
        raise
    await held.release()
    return reply


def release_when_transaction_ends(session: AsyncSession, held: HeldLock) -> None:
    """Release `held` when the session's outermost transaction commits, rolls back or closes."""

    def on_end(_session, transaction) -> None:
        if transaction.parent is None:
            held.release_soon()

    event.listen(session.sync_session, "after_transaction_end", on_end)


async def run_turn(
    session: AsyncSession,
    user: User,
    text: str,
    *,
    channel: str,
    chain: ProviderChain | None = None,
) -> AgentReply:
    """One turn without the lock (the caller holds it). Flushes, does not commit."""
    settings = get_settings()
    turn = await AgentCore(settings=settings).assemble(session, user, text, channel=channel)
    chain = chain or default_chain(settings)
    used = 0
    if chain.primary is not None and chain.daily_quota is not None:
        used = await conversation.gemini_tokens_today(session, user.id, turn.ctx.timezone)
    providers = chain.start_turn(tokens_used_today=used)
    try:
        outcome = await Runner.for_settings(session, turn.tool_ctx, settings).run(turn.ctx, Planner(providers))
    finally:
        providers.end_primary(turn.ctx)
    # (The last list shown is stored by the planning services that show lists.)
    await conversation.save_turn_state(
        session, user.id, pending=outcome.pending, last_action=last_action_of(turn.ctx, outcome)
    )
    AGENT_TURNS.labels(outcome.provider, outcome.outcome).inc()
    log.info("agent.turn", user_id=str(user.id), turn_id=str(turn.ctx.turn_id), provider=outcome.provider,
             outcome=outcome.outcome, channel=channel, tools=len(outcome.results))
    return AgentReply(outcome.text, outcome.provider, turn.ctx.turn_id)


def last_action_of(ctx, outcome) -> dict | None:
    """What this turn changed (its successful data-changing tool calls), or None."""
    actions = [
        {"tool": r.call.name, "args": r.call.args, "result": r.data}
        for r in outcome.results
        if r.ok and (tool := registry.get(r.call.name)) is not None and tool.changes_data
    ]
    if not actions:
        return None
    return json.loads(json.dumps(
        {"turn_id": str(ctx.turn_id), "at": clock.now().isoformat(), "actions": actions}, default=str
    ))


@dataclass
class WebExchange:
    inbound: Message
    outbound: Message
    provider: str


async def post_web_message(
    session: AsyncSession, user: User, text: str, *, chain: ProviderChain | None = None
) -> WebExchange:
    """Web chat: store the user's message, run the same agent turn as SMS, store the reply.

    The inbound message is committed before the turn waits for the user's lock, so it is in the
    thread even while an earlier turn of this user is still running.
    """
    inbound = await conversation.store_message(session, user.id, direction="inbound", body=text, channel="web")
    await session.commit()
    async with user_turn_lock(user.id):
        reply = await run_turn(session, user, text, channel="web", chain=chain)
        outbound = await conversation.store_message(
            session,
            user.id,
            direction="outbound",
            body=reply.text,
            channel="web",
            kind="reply",
            status="delivered",
            answered_by=reply.provider,
            in_reply_to_id=inbound.id,
        )
        await session.commit()
    return WebExchange(inbound, outbound, reply.provider)
