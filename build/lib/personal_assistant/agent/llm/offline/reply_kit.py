"""Shared pieces of the reply composers: the turn's zone and voice, and defensive readers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from personal_assistant.agent.llm.base import TurnContext
from personal_assistant.agent.llm.offline.style import (
    Voice,
    clip,
    clock,
    day_label,
    parse_date,
    parse_iso,
    second_person,
    when_label,
)


class Reply:
    """What one composer needs: the context, its zone, and the voice."""

    def __init__(self, ctx: TurnContext) -> None:
        self.ctx = ctx
        try:
            self.zone = ZoneInfo(ctx.timezone)
        except Exception:  # an unknown zone name must not break the reply
            self.zone = ZoneInfo("UTC")
        self.now = (
            ctx.local_now.astimezone(self.zone) if isinstance(ctx.local_now, datetime) else datetime.now(self.zone)
        )
        self.voice = Voice(ctx.turn_id)

    def at(self, data: dict[str, Any], *keys: str) -> datetime | None:
        for key in keys:
            parsed = parse_iso(data.get(key), self.zone)
            if parsed is not None:
                return parsed
        return None

    def when(self, data: dict[str, Any], *keys: str) -> str:
        at = self.at(data, *keys)
        return when_label(at, self.now) if at else ""


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def item_list(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = data.get("items")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def spoken(value: Any, limit: int = 60) -> str:
    return clip(second_person(str(value)), limit) if value not in (None, "") else ""


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def numbered(lines: list[str], budget: int) -> tuple[str, int]:
    """'1) a 2) b' within `budget` characters; returns the text and how many items fit."""
    out, used = [], 0
    for i, line in enumerate(lines, 1):
        piece = f"{i}) {line}"
        if used + len(piece) + 1 > budget:
            break
        out.append(piece)
        used += len(piece) + 1
    return " ".join(out), len(out)


def due_label(r: Reply, data: dict[str, Any]) -> str:
    raw = data.get("local_due") or data.get("due_at")
    if isinstance(raw, str) and len(raw) == 10:
        day = parse_date(raw)
        return day_label(day, r.now.date()) if day else ""
    at = r.at(data, "local_due", "due_at")
    return when_label(at, r.now) if at else ""


def month_day(day: date) -> str:
    return f"{day.strftime('%b')} {day.day}"


def name_list(values: Any) -> list[str]:
    return [clip(str(v), 30) for v in values if v] if isinstance(values, list) else []


def hm(value: Any) -> str:
    try:
        hour, minute = str(value).split(":")[:2]
        return clock(datetime(2000, 1, 1, int(hour), int(minute)))
    except (ValueError, TypeError):
        return str(value)
