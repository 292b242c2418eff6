"""SMS usage and cost per user and per day (operator report, `assistant sms usage`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.sms import repository as repo


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
    rows = []
    for d, user_id, email, outbound, inbound, segments, cost in await repo.usage_by_user_and_day(session, since):
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
