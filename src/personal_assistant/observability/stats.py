"""The operator's numbers (`assistant stats`): the whole deployment over the last N days, or one
user's month with its cost. Aggregates only; nothing a user wrote is read."""

from __future__ import annotations

import calendar
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.observability.repository import UnscopedOpsRepository

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MILLION = Decimal(1_000_000)
CENTS = Decimal("0.0001")


class StatsInputError(ValueError):
    """A bad --month or an unknown --user."""


@dataclass
class Window:
    start: datetime
    end: datetime  # exclusive

    @classmethod
    def last_days(cls, days: int, now: datetime | None = None) -> Window:
        """The last `days` calendar days in UTC, today included."""
        now = now or clock.now()
        end = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
        return cls(end - timedelta(days=days), end)

    @classmethod
    def month(cls, text: str) -> Window:
        match = MONTH.match(text.strip())
        if not match:
            raise StatsInputError(f"--month must look like 2026-12, not {text!r}")
        year, month = int(match.group(1)), int(match.group(2))
        last = calendar.monthrange(year, month)[1]
        start = datetime(year, month, 1, tzinfo=UTC)
        return cls(start, start + timedelta(days=last))


@dataclass
class Report:
    window: dict[str, str]
    users: dict[str, int] = field(default_factory=dict)
    texts_per_day: list[dict[str, Any]] = field(default_factory=list)
    sms: dict[str, Any] = field(default_factory=dict)
    llm: dict[str, Any] = field(default_factory=dict)
    reminders: dict[str, int] = field(default_factory=dict)
    turns: dict[str, Any] = field(default_factory=dict)
    total_cost_usd: str = "0"
    user: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def llm_cost(tokens_in: int, tokens_out: int) -> Decimal:
    settings = get_settings()
    cost = (Decimal(tokens_in) * Decimal(settings.llm_price_per_million_input_usd)
            + Decimal(tokens_out) * Decimal(settings.llm_price_per_million_output_usd)) / MILLION
    return cost.quantize(CENTS)


def _days(window: Window) -> list[str]:
    days: list[str] = []
    day: date = window.start.date()
    while day < window.end.date():
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


async def build_report(session: AsyncSession, window: Window, user_id: uuid.UUID | None = None) -> Report:
    """Every figure of `assistant stats` for `window` (one user's when `user_id` is given)."""
    repo = UnscopedOpsRepository(session, user_id)
    report = Report(window={"from": window.start.isoformat(), "to": window.end.isoformat()})

    if user_id is None:
        total, active = await repo.user_counts()
        report.users = {
            "total": total,
            "active_accounts": active,
            "active_7d": await repo.users_active_since(clock.now() - timedelta(days=7)),
            "active_30d": await repo.users_active_since(clock.now() - timedelta(days=30)),
        }

    counts = {(day, direction): n for day, direction, n in await repo.texts_per_day(window.start, window.end)}
    report.texts_per_day = [
        {"day": day, "in": counts.get((day, "inbound"), 0), "out": counts.get((day, "outbound"), 0)}
        for day in _days(window)
    ]

    usage = await repo.sms_usage(window.start, window.end)
    sms_cost = sum((cost for _, cost in usage.values()), Decimal(0))
    report.sms = {
        "texts_in": sum(d["in"] for d in report.texts_per_day),
        "texts_out": sum(d["out"] for d in report.texts_per_day),
        "segments_in": usage.get("inbound", (0, Decimal(0)))[0],
        "segments_out": usage.get("outbound", (0, Decimal(0)))[0],
        "cost_usd": str(sms_cost.quantize(CENTS)),
    }

    tokens = await repo.llm_tokens(window.start, window.end)
    providers = {
        name: {"tokens_in": t_in, "tokens_out": t_out, "cost_usd": str(llm_cost(t_in, t_out))}
        for name, (t_in, t_out) in sorted(tokens.items())
        if t_in or t_out
    }
    all_in = sum(t for t, _ in tokens.values())
    all_out = sum(t for _, t in tokens.values())
    total_llm = llm_cost(all_in, all_out)
    report.llm = {"tokens_in": all_in, "tokens_out": all_out, "cost_usd": str(total_llm), "providers": providers}

    outcomes = await repo.reminder_outcomes(window.start, window.end)
    report.reminders = {
        "sent": outcomes.get("sent", 0) + outcomes.get("late", 0),  # a late send was still sent
        "late": outcomes.get("late", 0),
        "missed": outcomes.get("missed", 0),
        "failed": outcomes.get("failed", 0),
    }

    turns, free = await repo.turn_token_split(window.start, window.end)
    report.turns = {
        "total": turns,
        "zero_token": free,
        "zero_token_share": round(free / turns, 4) if turns else None,
    }
    report.total_cost_usd = str((sms_cost + total_llm).quantize(CENTS))
    return report


async def user_month_report(session: AsyncSession, email: str, month: str) -> Report:
    """One user's month: texts, segments, SMS and LLM cost, reminders, turns."""
    window = Window.month(month)
    user = await UnscopedOpsRepository(session).user_by_email(email)
    if user is None:
        raise StatsInputError(f"no user with the email {email!r}")
    report = await build_report(session, window, user.id)
    report.user = {"id": str(user.id), "email": user.email, "month": month}
    return report
