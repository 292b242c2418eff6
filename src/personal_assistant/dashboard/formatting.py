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


def local_day(value: datetime | None, tz_name: str | None = "UTC") -> str:
    """A date without a time ("by Friday"): 'today', 'tomorrow', 'Fri 4 Dec' in the user's zone."""
    if value is None:
        return ""
    local = clock.as_utc(value).astimezone(_zone(tz_name)).date()
    today = clock.now().astimezone(_zone(tz_name)).date()
    delta = (local - today).days
    if delta in (-1, 0, 1):
        return {-1: "yesterday", 0: "today", 1: "tomorrow"}[delta]
    text = local.strftime("%a %d %b").replace(" 0", " ")
    return text + (f" {local.year}" if local.year != today.year else "")


def task_due(task: Any, tz_name: str | None = "UTC") -> str:
    """A task's due as people said it: a date alone when no time was given."""
    due = getattr(task, "due_at", None)
    if due is None:
        return ""
    return local_day(due, tz_name) if getattr(task, "due_all_day", False) else local_datetime(due, tz_name)


def next_time(reminder: Any) -> datetime:
    """When a reminder will really act next: its snooze, a quiet-hours deferral or an
    escalation re-send (next_fire_at), else its occurrence."""
    return reminder.next_fire_at or reminder.due_at


def reminder_when(reminder: Any, tz_name: str | None = "UTC") -> str:
    """The reminder's real next time in words. A send deferred by quiet hours shows the time it
    will go out, not the time it was first set for (or snoozed to)."""
    nxt = local_datetime(next_time(reminder), tz_name)
    status = reminder.status
    fire, due, snoozed = reminder.next_fire_at, reminder.due_at, reminder.snoozed_until
    if status == "sent":
        sent = f"sent {local_datetime(reminder.last_sent_at, tz_name)}" if reminder.last_sent_at else "sent"
        return f"{sent}, I’ll ask again {nxt}" if fire else sent
    if status == "snoozed":
        moved = fire is not None and snoozed is not None and clock.as_utc(fire) > clock.as_utc(snoozed)
        return f"snoozed until {nxt}" + (" (after your quiet hours)" if moved else "")
    if fire is not None and clock.as_utc(fire) > clock.as_utc(due):
        return f"{nxt} (after your quiet hours; set for {local_datetime(due, tz_name)})"
    return nxt


def local_input(value: datetime | None, tz_name: str | None = "UTC") -> str:
    """Value for an <input type="datetime-local"> in the user's zone."""
    if value is None:
        return ""
    return clock.as_utc(value).astimezone(_zone(tz_name)).strftime("%Y-%m-%dT%H:%M")


def local_date_input(value: datetime | None, tz_name: str | None = "UTC") -> str:
    """Value for an <input type="date"> in the user's zone."""
    return clock.as_utc(value).astimezone(_zone(tz_name)).strftime("%Y-%m-%d") if value else ""


def local_time_input(value: datetime | None, tz_name: str | None = "UTC") -> str:
    """Value for an <input type="time"> in the user's zone."""
    return clock.as_utc(value).astimezone(_zone(tz_name)).strftime("%H:%M") if value else ""


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
    "local_day": local_day,
    "local_date_input": local_date_input,
    "local_time_input": local_time_input,
    "task_due": task_due,
    "reminder_when": reminder_when,
    "hhmm": hhmm,
    "money": money,
    "day": day,
    "attr": attr,
}
