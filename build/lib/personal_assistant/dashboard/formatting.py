"""Jinja filters: times in the user's own zone, money, short relative phrases."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from personal_assistant.core import clock


def _zone(tz_name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz_name or "UTC")
    except Exception:  # an unknown zone must not break a page
        return ZoneInfo("UTC")


def local_datetime(value: datetime | None, tz_name: str | None = "UTC") -> str:
    """'Mon 3 Mar, 9:05 PM' in the user's zone ('today'/'tomorrow' when close)."""
    if value is None:
        return ""
    local = clock.as_utc(value).astimezone(_zone(tz_name))
    today = clock.now().astimezone(_zone(tz_name)).date()
    clock_text = local.strftime("%I:%M %p").lstrip("0")
    delta = (local.date() - today).days
    if delta == 0:
        return f"today, {clock_text}"
    if delta == 1:
        return f"tomorrow, {clock_text}"
    if delta == -1:
        return f"yesterday, {clock_text}"
    day = local.strftime("%a %d %b").replace(" 0", " ")
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day}, {clock_text}"


def local_input(value: datetime | None, tz_name: str | None = "UTC") -> str:
    """Value for an <input type="datetime-local"> in the user's zone."""
    if value is None:
        return ""
    return clock.as_utc(value).astimezone(_zone(tz_name)).strftime("%Y-%m-%dT%H:%M")


def hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def money(value: Decimal | str | float | None, currency: str | None = "USD") -> str:
    if value is None:
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    symbols = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "AUD": "$"}
    symbol = symbols.get((currency or "").upper())
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%a %d %b %Y").replace(" 0", " ")


def attr(obj: Any, name: str, default: Any = None) -> Any:
    """Read a field from a model, a pydantic schema or a dict alike."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


FILTERS = {
    "local_datetime": local_datetime,
    "local_input": local_input,
    "hhmm": hhmm,
    "money": money,
    "day": day,
    "attr": attr,
}
