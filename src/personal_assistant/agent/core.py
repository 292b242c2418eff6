"""AgentCore: everything one turn needs to know, gathered once at the start of the turn.

The user and their settings, their local time, the recent conversation (both channels), the
memories relevant to this message, the open clarification and the last list shown, and the tools
this user has (plus the ones waiting for a connected account).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.agent import conversation
from personal_assistant.agent.llm.base import TurnContext
from personal_assistant.agent.safety import country_for
from personal_assistant.agent.tools.registry import ToolRegistry, TurnScope, registry
from personal_assistant.config import Settings, get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import Message, User
from personal_assistant.memory import service as memory_service

log = structlog.get_logger("agent.core")

HISTORY_MESSAGES = 10
MEMORY_LIMIT = 5
# The recalled memories' share of the prompt: about 4 characters a token; the best match always
# goes in (clipped), the next ones while they fit.
MEMORY_TOKEN_BUDGET = 150
CHARS_PER_TOKEN = 4


def user_zone_name(user: User, settings: Settings) -> str:
    if user.timezone and clock.is_valid_timezone(user.timezone):
        return user.timezone
    return settings.default_timezone


@dataclass
class TurnState:
    ctx: TurnContext
    scope: TurnScope


class AgentCore:
    def __init__(self, tools: ToolRegistry = registry, settings: Settings | None = None) -> None:
        self.tools = tools
        self.settings = settings or get_settings()

    async def assemble(
        self,
        session: AsyncSession,
        user: User,
        text: str,
        *,
        channel: str,
        turn_id: uuid.UUID | None = None,
        current: Message | None = None,
    ) -> TurnState:
        """Build the TurnContext (for the provider) and the TurnScope (for the tools) of one turn.

        `current` is the stored inbound text being answered (its id becomes the turn id): the
        history is what came before it, not the texts that arrived after it."""
        turn_id = turn_id or (current.id if current is not None else uuid.uuid4())
        tz_name = user_zone_name(user, self.settings)
        local_now = clock.now().astimezone(clock.zone(tz_name))
        history, last_outbound = await conversation.thread_context(session, user.id, current, limit=HISTORY_MESSAGES)
        # The phone this text came from tells the country; else the one texts go to.
        phone = (current.from_number if current is not None and current.channel == "sms" else None) or (
            await conversation.primary_phone_number(session, user.id)
        )
        state = await conversation.load_state(session, user.id)
        pending = conversation.open_pending(state)
        last_list = state.last_list if state is not None else None
        enabled, unavailable = await self.tools.availability(session, user.id)
        memories = await relevant_memories(session, user, text)
        ctx = TurnContext(
            turn_id=turn_id,
            user_id=user.id,
            text=text,
            channel=channel,
            local_now=local_now,
            timezone=tz_name,
            currency=user.currency or self.settings.default_currency,
            user_name=user.name,
            history=history,
            memories=memories,
            pending=pending,
            last_list=last_list,
            tools=[tool.spec() for tool in enabled],
            unavailable_tools=unavailable,
            dashboard_url=self.settings.public_base_url,
            last_outbound=last_outbound,
            last_action=state.last_action if state is not None else None,
            country=country_for(phone, tz_name),
            day_parts=user.day_parts or None,
        )
        scope = TurnScope(user, turn_id, channel, local_now, tz_name, last_list)
        return TurnState(ctx, scope)


async def relevant_memories(session: AsyncSession, user: User, text: str) -> list[str]:
    """The user's memories that match this message best (memory service ranking: full-text with
    synonyms, importance, recency), within MEMORY_TOKEN_BUDGET.

    Not marked as used: being in the context is not the same as being recalled. No query vector
    here: this runs inside the turn's first transaction, and no network call may happen in one.
    """
    if not text.strip():
        return []
    hits = await memory_service.search_memories(session, user, text, limit=MEMORY_LIMIT, mark_used=False)
    budget = MEMORY_TOKEN_BUDGET * CHARS_PER_TOKEN
    out: list[str] = []
    for hit in hits:
        content = hit.memory.content
        if not out:
            content = content[:budget]
        elif len(content) > budget:
            break
        out.append(content)
        budget -= len(content)
    return out
