"""The agent's turn: one inbound text in, one reply text out, with no transaction across a
network call.

prepare_turn() reads what the turn needs (AgentCore) in the caller's short transaction;
run_turn() lets the Runner plan with the provider chain (Gemini, else the offline brain) while no
transaction is open, and runs each tool call in its own short transaction. The caller then writes
the turn's result, with finish_turn(), in the same transaction that stores the reply
(agent/pipeline.py), so the reply, the conversation state and the turn's record commit together.

Callers hold the user's turn lease (agent/lock.py). post_web_message() is the web chat: the same
pipeline as SMS, answered in the same request.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.agent import conversation
from personal_assistant.agent.core import AgentCore, TurnState
from personal_assistant.agent.llm.base import TurnContext
from personal_assistant.agent.llm.fallback import ChainTurn, ProviderChain, default_chain
from personal_assistant.agent.planner import Planner
from personal_assistant.agent.runner import Runner, TurnOutcome
from personal_assistant.agent.tools.registry import registry
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import Message, User
from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import AGENT_TURNS

log = structlog.get_logger("agent.service")


@dataclass
class TurnResult:
    text: str
    provider: str  # who answered: gemini|offline|fixed
    turn_id: uuid.UUID
    outcome: TurnOutcome
    last_action: dict[str, Any] | None


@dataclass
class PreparedTurn:
    """A turn whose context was read (in the caller's transaction), ready to run with none open."""

    state: TurnState
    providers: ChainTurn


async def prepare_turn(
    session: AsyncSession,
    user: User,
    text: str,
    *,
    channel: str,
    current: Message | None = None,
    chain: ProviderChain | None = None,
) -> PreparedTurn:
    """Read what a turn for `user` answering `text` needs (`current`: the stored inbound text,
    whose id is the turn id), in the caller's short transaction."""
    settings = get_settings()
    chain = chain or default_chain(settings)
    state = await AgentCore(settings=settings).assemble(session, user, text, channel=channel, current=current)
    used = 0
    if chain.primary is not None and chain.daily_quota is not None:
        used = await conversation.gemini_tokens_today(session, user.id, state.ctx.timezone)
    return PreparedTurn(state, chain.start_turn(tokens_used_today=used))


async def run_turn(prepared: PreparedTurn) -> TurnResult:
    """Plan and act with no transaction open (each tool call commits its own). See finish_turn()
    for what the caller writes afterwards."""
    settings = get_settings()
    ctx, providers = prepared.state.ctx, prepared.providers
    try:
        outcome = await Runner.for_settings(prepared.state.scope, settings).run(ctx, Planner(providers))
    finally:
        providers.end_primary(ctx)
    AGENT_TURNS.labels(outcome.provider, outcome.outcome).inc()
    log.info("agent.turn", user_id=str(ctx.user_id), turn_id=str(ctx.turn_id), provider=outcome.provider,
             outcome=outcome.outcome, channel=ctx.channel, tools=len(outcome.results))
    text_out = (outcome.text or "").strip() or "Got it."
    return TurnResult(text_out, outcome.provider, ctx.turn_id, outcome, last_action_of(ctx, outcome))


async def finish_turn(session: AsyncSession, user_id: uuid.UUID, result: TurnResult) -> None:
    """In the caller's final transaction: the turn's remaining steps and conversation state (an
    open clarification, what the turn changed). The last list shown is stored by the planning
    services that show lists, inside their tool's own transaction."""
    for step in result.outcome.steps:
        session.add(step)
    await conversation.save_turn_state(
        session, user_id, pending=result.outcome.pending, last_action=result.last_action
    )


def last_action_of(ctx: TurnContext, outcome: TurnOutcome) -> dict | None:
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
    outbound: Message | None  # None: another process is answering it; it will be in the thread
    provider: str | None


async def post_web_message(user_id: uuid.UUID, text: str, *, chain: ProviderChain | None = None) -> WebExchange:
    """Web chat: store the user's message (committed first, so it is in the thread at once and
    survives a crash), then answer this user's waiting texts in order, as SMS does."""
    from personal_assistant.agent import pipeline

    async with session_scope() as session:
        inbound = await conversation.store_message(session, user_id, direction="inbound", body=text, channel="web")
    await pipeline.answer_waiting(user_id, chain=chain)
    async with session_scope() as session:
        reply = await conversation.reply_to(session, user_id, inbound.id)
        inbound = await conversation.get_message(session, user_id, inbound.id)  # as answered, not as stored
    return WebExchange(inbound, reply, reply.answered_by if reply is not None else None)
