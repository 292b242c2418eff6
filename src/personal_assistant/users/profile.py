"""Profile and settings of the signed-in user: read, validate, update."""

from __future__ import annotations

import re
import uuid
from datetime import time
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.core.money import currency_code
from personal_assistant.db.models import User
from personal_assistant.users.repository import UserRepository

TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# Bounds keep reminders humane: escalations at least a minute apart, a handful at most.
INT_BOUNDS = {
    "escalation_minutes": (1, 240),
    "escalation_max": (0, 10),
    "catchup_minutes": (0, 1440),
}
EDITABLE = (
    "name",
    "timezone",
    "quiet_hours_start",
    "quiet_hours_end",
    "checkins_enabled",
    "morning_checkin_time",
    "evening_checkin_time",
    "escalation_minutes",
    "escalation_max",
    "catchup_minutes",
    "currency",
    "day_parts",
)
DAY_PARTS = ("morning", "afternoon", "evening", "night")
READ_ONLY = ("id", "email", "role", "is_active", "created_at")


@lru_cache
def _zones_by_lower() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


def validate_timezone(name: str | None, *, field: str = "timezone") -> str:
    """The canonical IANA name ("america/new_york" -> "America/New_York"), else ValidationFailed."""
    candidate = (name or "").strip()
    canonical = _zones_by_lower().get(candidate.lower(), candidate)
    if not clock.is_valid_timezone(canonical):
        raise ValidationFailed(
            "unknown time zone", fields={field: "must be an IANA time zone such as America/New_York"}
        )
    return canonical


def parse_hhmm(value: Any, *, field: str) -> time | None:
    """'HH:MM' (24-hour) -> time; None/'' clears the setting."""
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    match = TIME_PATTERN.match(str(value).strip())
    if not match:
        raise ValidationFailed("invalid time", fields={field: "use 24-hour HH:MM, e.g. 22:00"})
    return time(int(match.group(1)), int(match.group(2)))


def parse_day_parts(value: Any) -> dict[str, str] | None:
    """{"morning": "07:00", ...}: the user's own day-part times (None or {} clears them)."""
    if value in (None, {}):
        return None
    if not isinstance(value, dict) or not set(value) <= set(DAY_PARTS):
        raise ValidationFailed("invalid", fields={"day_parts": f"keys among {', '.join(DAY_PARTS)}"})
    out: dict[str, str] = {}
    for part, raw in value.items():
        at = parse_hhmm(raw, field=f"day_parts.{part}")
        if at is not None:
            out[part] = format_hhmm(at) or ""
    return out or None


def format_hhmm(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _validate(changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in changes.items():
        try:
            if key in READ_ONLY:
                raise ValidationFailed("read-only", fields={key: "cannot be changed here"})
            if key not in EDITABLE:
                raise ValidationFailed("unknown", fields={key: "unknown setting"})
            if key == "name":
                value = (value or "").strip() or None
                if value and len(value) > 120:
                    raise ValidationFailed("too long", fields={key: "at most 120 characters"})
            elif key == "timezone":
                value = validate_timezone(value)
            elif key in ("quiet_hours_start", "quiet_hours_end", "morning_checkin_time", "evening_checkin_time"):
                value = parse_hhmm(value, field=key)
            elif key == "checkins_enabled":
                if not isinstance(value, bool):
                    raise ValidationFailed("invalid", fields={key: "true or false"})
            elif key in INT_BOUNDS:
                low, high = INT_BOUNDS[key]
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                    raise ValidationFailed("out of range", fields={key: f"a whole number from {low} to {high}"})
            elif key == "day_parts":
                value = parse_day_parts(value)
            elif key == "currency":
                value = currency_code(str(value or ""), field=key)
            clean[key] = value
        except ValidationFailed as exc:
            errors.update(exc.fields or {key: exc.message})
    return clean, errors


async def get_profile(session: AsyncSession, user_id: uuid.UUID) -> User:
    """The user's own row (NotFound once deleted)."""
    return await UserRepository(session).get(user_id)


async def update_profile(session: AsyncSession, user_id: uuid.UUID, changes: dict[str, Any]) -> User:
    """Apply a partial update of the user's settings.

    Every field is validated first; any error raises ValidationFailed naming each bad field and
    nothing changes. Quiet hours need both ends (or neither). Email and role are read-only here.
    """
    user = await UserRepository(session).get(user_id)
    clean, errors = _validate(changes)
    start = clean.get("quiet_hours_start", user.quiet_hours_start)
    end = clean.get("quiet_hours_end", user.quiet_hours_end)
    if not errors and (start is None) != (end is None):
        missing = "quiet_hours_end" if end is None else "quiet_hours_start"
        errors[missing] = "set both quiet-hours ends, or clear both"
    if errors:
        raise ValidationFailed("some settings are invalid", fields=errors)
    for key, value in clean.items():
        setattr(user, key, value)
    await session.flush()
    return user
