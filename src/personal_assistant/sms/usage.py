"""SMS usage and cost per user and per day (operator report, `assistant sms usage`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.db.models import SmsUsage, User


@dataclass
class UsageRow:
    day: str
    user_id: str
    email: str
    outbound: int
    inbound: int
    segments: int
    cost_usd: Decimal

    def as_dict(self) -> dict:
        return {
            "day": self.day,
            "user_id": self.user_id,
            "email": self.email,
            "outbound": self.outbound,
            "inbound": self.inbound,
            "segments": self.segments,
            "cost_usd": str(self.cost_usd),
        }


async def usage_report(session: AsyncSession, days: int = 7) -> list[UsageRow]:
    """Messages, segments and estimated cost per user and UTC day over the last `days` days."""
    since = clock.now() - timedelta(days=max(1, days))
    if session.get_bind().dialect.name == "postgresql":
        day = func.to_char(func.timezone("UTC", SmsUsage.created_at), "YYYY-MM-DD")
    else:
        day = func.strftime("%Y-%m-%d", SmsUsage.created_at)
    stmt = (
        select(
            day.label("day"),
            SmsUsage.user_id,
            User.email,
            func.sum(case((SmsUsage.direction == "outbound", 1), else_=0)),
            func.sum(case((SmsUsage.direction == "inbound", 1), else_=0)),
            func.sum(SmsUsage.segments),
            func.sum(SmsUsage.price_estimate),
        )
        .join(User, User.id == SmsUsage.user_id)
        .where(SmsUsage.created_at >= since)
        .group_by(day, SmsUsage.user_id, User.email)
        .order_by(day.desc(), User.email)
    )
    rows = []
    for d, user_id, email, outbound, inbound, segments, cost in (await session.execute(stmt)).all():
        rows.append(
            UsageRow(
                str(d),
                str(user_id),
                email,
                int(outbound or 0),
                int(inbound or 0),
                int(segments or 0),
                Decimal(str(cost or 0)).quantize(Decimal("0.00001")),
            )
        )
    return rows
