"""Operator aggregates over every user: counts and sums only, never a row's content.

These queries are deliberately UNSCOPED (the operator's view of the whole deployment: metrics
gauges, `assistant stats`); no user-facing path may use them. A per-user report passes the
user's id explicitly.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, distinct, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from personal_assistant.db.models import (
    AgentStep,
    Connector,
    FailedJob,
    Message,
    ReminderDelivery,
    SmsUsage,
    User,
)

# Connector statuses that mean "the user has to connect the account again".
RECONNECT_STATUSES = ("error", "revoked")


def _day(column: InstrumentedAttribute[datetime]) -> ColumnElement:
    return func.date(column)


def _as_day(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class UnscopedOpsRepository:
    """Whole-deployment aggregates for operators (see the module docstring)."""

    def __init__(self, session: AsyncSession, user_id: uuid.UUID | None = None) -> None:
        self.session = session
        self.user_id = user_id  # set: every aggregate is restricted to this one user

    def _only(self, column: InstrumentedAttribute[uuid.UUID]) -> list[ColumnElement[bool]]:
        return [column == self.user_id] if self.user_id is not None else []

    # --- gauges refreshed at scrape time ---
    async def open_dead_letters(self) -> int:
        stmt = select(func.count()).select_from(FailedJob).where(FailedJob.resolved_at.is_(None))
        return int((await self.session.execute(stmt)).scalar_one())

    async def connectors_needing_reconnect(self) -> int:
        stmt = select(func.count()).select_from(Connector).where(Connector.status.in_(RECONNECT_STATUSES))
        return int((await self.session.execute(stmt)).scalar_one())

    # --- users ---
    async def user_counts(self) -> tuple[int, int]:
        """(all accounts, active accounts)."""
        stmt = select(func.count(), func.count().filter(User.is_active.is_(True))).select_from(User)
        total, active = (await self.session.execute(stmt)).one()
        return int(total), int(active)

    async def users_active_since(self, since: datetime) -> int:
        """Distinct users who texted (or used the web chat) or logged in since `since`."""
        texted = select(Message.user_id.label("uid")).where(
            Message.direction == "inbound", Message.created_at >= since
        )
        logged_in = select(User.id.label("uid")).where(User.last_login_at >= since)
        both = union(texted, logged_in).subquery()
        stmt = select(func.count(distinct(both.c.uid)))
        return int((await self.session.execute(stmt)).scalar_one())

    # --- texts ---
    async def texts_per_day(self, since: datetime, until: datetime) -> list[tuple[str, str, int]]:
        """(day, direction, texts) for SMS in [since, until)."""
        day = _day(Message.created_at)
        stmt = (
            select(day, Message.direction, func.count())
            .where(Message.channel == "sms", Message.created_at >= since, Message.created_at < until,
                   *self._only(Message.user_id))
            .group_by(day, Message.direction)
            .order_by(day)
        )
        return [(_as_day(d), str(direction), int(n)) for d, direction, n in (await self.session.execute(stmt))]

    async def sms_usage(self, since: datetime, until: datetime) -> dict[str, tuple[int, Decimal]]:
        """direction -> (segments, estimated cost in USD)."""
        stmt = (
            select(SmsUsage.direction, func.coalesce(func.sum(SmsUsage.segments), 0),
                   func.coalesce(func.sum(SmsUsage.price_estimate), 0))
            .where(SmsUsage.created_at >= since, SmsUsage.created_at < until, *self._only(SmsUsage.user_id))
            .group_by(SmsUsage.direction)
        )
        return {str(d): (int(seg), Decimal(str(cost))) for d, seg, cost in await self.session.execute(stmt)}

    # --- agent ---
    async def llm_tokens(self, since: datetime, until: datetime) -> dict[str, tuple[int, int]]:
        """provider -> (input tokens, output tokens)."""
        stmt = (
            select(AgentStep.provider, func.coalesce(func.sum(AgentStep.tokens_in), 0),
                   func.coalesce(func.sum(AgentStep.tokens_out), 0))
            .where(AgentStep.created_at >= since, AgentStep.created_at < until, *self._only(AgentStep.user_id))
            .group_by(AgentStep.provider)
        )
        return {str(p): (int(i), int(o)) for p, i, o in await self.session.execute(stmt)}

    async def turn_token_split(self, since: datetime, until: datetime) -> tuple[int, int]:
        """(agent turns, turns that used no LLM token at all)."""
        per_turn = (
            select(AgentStep.turn_id, func.sum(AgentStep.tokens_in + AgentStep.tokens_out).label("tokens"))
            .where(AgentStep.created_at >= since, AgentStep.created_at < until, *self._only(AgentStep.user_id))
            .group_by(AgentStep.turn_id)
            .subquery()
        )
        stmt = select(func.count(), func.count().filter(per_turn.c.tokens == 0)).select_from(per_turn)
        turns, free = (await self.session.execute(stmt)).one()
        return int(turns), int(free)

    # --- reminders ---
    async def reminder_outcomes(self, since: datetime, until: datetime) -> dict[str, int]:
        """ledger outcome (sent, late, missed, suppressed, failed, pending) -> deliveries."""
        stmt = (
            select(ReminderDelivery.outcome, func.count())
            .where(ReminderDelivery.created_at >= since, ReminderDelivery.created_at < until,
                   *self._only(ReminderDelivery.user_id))
            .group_by(ReminderDelivery.outcome)
        )
        return {str(o): int(n) for o, n in await self.session.execute(stmt)}

    async def user_by_email(self, email: str) -> User | None:
        stmt = select(User).where(func.lower(User.email) == email.strip().lower())
        return (await self.session.execute(stmt)).scalar_one_or_none()
