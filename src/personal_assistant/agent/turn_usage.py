"""Agent turns per day and what they cost in LLM tokens (operator report, `assistant sms usage`).

Every agent step records its provider and tokens (agent_steps); a turn's tokens are the sum over
its steps and its answering provider that of its last step. With AGENT_ROUTING=offline_first most
turns should be answered by the offline brain (or the safety screen) at 0 tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.db.models import AgentStep


@dataclass
class TurnUsage:
    day: str
    turns: int
    zero_token_turns: int
    tokens: int

    @property
    def zero_token_share(self) -> float:
        return round(self.zero_token_turns / self.turns, 4) if self.turns else 0.0

    def as_dict(self) -> dict:
        return {"day": self.day, "turns": self.turns, "zero_token_turns": self.zero_token_turns,
                "zero_token_share": self.zero_token_share, "tokens": self.tokens}


class TurnUsageRepository:
    """Operator-level aggregate over every user's agent steps (counts only, no content)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def per_day(self, since: datetime) -> list[tuple[str, int, int, int]]:
        """(UTC day, turns, turns at 0 tokens, tokens) per day since `since`, newest first."""
        turns = (
            select(
                AgentStep.turn_id,
                func.min(AgentStep.created_at).label("at"),
                func.sum(AgentStep.tokens_in + AgentStep.tokens_out).label("tokens"),
            )
            .where(AgentStep.created_at >= since)
            .group_by(AgentStep.turn_id)
            .subquery()
        )
        if self.session.get_bind().dialect.name == "postgresql":
            day = func.to_char(func.timezone("UTC", turns.c.at), "YYYY-MM-DD")
        else:
            day = func.strftime("%Y-%m-%d", turns.c.at)
        stmt = (
            select(
                day.label("day"),
                func.count(),
                func.sum(case((turns.c.tokens == 0, 1), else_=0)),
                func.sum(turns.c.tokens),
            )
            .group_by(day)
            .order_by(day.desc())
        )
        return [(str(d), int(n or 0), int(z or 0), int(t or 0)) for d, n, z, t in (await self.session.execute(stmt))]


async def turn_usage(session: AsyncSession, days: int = 7) -> list[TurnUsage]:
    """Turns per UTC day over the last `days` days, with how many cost no LLM tokens."""
    since = clock.now() - timedelta(days=max(1, days))
    return [TurnUsage(*row) for row in await TurnUsageRepository(session).per_day(since)]
