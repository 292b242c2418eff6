"""Every query of the agent's own tables (messages, conversation state, agent steps), plus the
read of a user's connected accounts that decides which tools are enabled. All scoped to one user.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import func, select

from personal_assistant.db.models import AgentStep, Connector, ConversationState, Message
from personal_assistant.db.repository import ScopedRepository


class MessageRepository(ScopedRepository[Message]):
    model = Message
    label = "message"

    async def latest(
        self, limit: int, *, exclude_kinds: tuple[str, ...] = (), direction: str | None = None
    ) -> list[Message]:
        """The newest `limit` messages (of one direction, if given), newest first."""
        stmt = self.select()
        if exclude_kinds:
            stmt = stmt.where(Message.kind.not_in(exclude_kinds))
        if direction:
            stmt = stmt.where(Message.direction == direction)
        stmt = stmt.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
        return cast(list[Message], list((await self.session.execute(stmt)).scalars()))

    async def inbound_after(self, moment: datetime, *, skip: int = 0) -> bool:
        """Whether more than `skip` inbound texts arrived after `moment` (skip=1 leaves out the
        text being answered, which is usually stored already)."""
        stmt = (
            select(Message.id)
            .where(Message.user_id == self.user_id, Message.direction == "inbound", Message.created_at > moment)
            .limit(skip + 1)
        )
        return len((await self.session.execute(stmt)).all()) > skip

    async def page(self, limit: int, offset: int) -> tuple[list[Message], int]:
        """One page counted from the newest message, returned oldest first (a chat reads down)."""
        total = await self.count()
        stmt = self.select().order_by(Message.created_at.desc(), Message.id.desc()).offset(offset).limit(limit)
        rows = cast(list[Message], list((await self.session.execute(stmt)).scalars()))
        rows.reverse()
        return rows, total


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
