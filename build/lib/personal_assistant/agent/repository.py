"""Every query of the agent's own tables (conversation state, agent steps; messages have one
repository, sms.repository.MessageRepository), plus the
read of a user's connected accounts that decides which tools are enabled. All scoped to one user.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import func, select

from personal_assistant.db.models import AgentStep, Connector, ConversationState
from personal_assistant.db.repository import ScopedRepository


class ConversationStateRepository(ScopedRepository[ConversationState]):
    model = ConversationState
    label = "conversation state"

    async def current(self) -> ConversationState | None:
        stmt = self.select().order_by(ConversationState.updated_at.desc()).limit(1)
        return cast(ConversationState | None, (await self.session.execute(stmt)).scalar_one_or_none())

    async def get_or_create(self) -> ConversationState:
        state = await self.current()
        if state is None:
            state = await self.add(ConversationState())
        return state


class AgentStepRepository(ScopedRepository[AgentStep]):
    model = AgentStep
    label = "agent step"

    def stage(self, step: AgentStep) -> None:
        """Add a step without a round trip of its own; the session's next flush writes it."""
        step.user_id = self.user_id
        self.session.add(step)

    async def tokens_since(self, since: datetime, provider: str) -> int:
        stmt = select(func.coalesce(func.sum(AgentStep.tokens_in + AgentStep.tokens_out), 0)).where(
            AgentStep.user_id == self.user_id, AgentStep.provider == provider, AgentStep.created_at >= since
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def replayed(self, turn_id, key: str) -> AgentStep | None:
        """The recorded data-changing call of this turn with this key, if it ran already."""
        stmt = self.select(AgentStep.turn_id == turn_id, AgentStep.idempotency_key == key).limit(1)
        return (await self.session.execute(stmt)).scalars().first()

    async def for_turn(self, turn_id) -> list[AgentStep]:
        return await self.list(AgentStep.turn_id == turn_id, order_by=(AgentStep.step_index,))


class ConnectorStatusRepository(ScopedRepository[Connector]):
    """Read-only: which providers this user has connected (tokens are never loaded here)."""

    model = Connector
    label = "connector"

    async def connected_providers(self) -> set[str]:
        stmt = select(Connector.provider).where(
            Connector.user_id == self.user_id, Connector.status == "connected"
        )
        return set((await self.session.execute(stmt)).scalars())
