"""Settings by text (time zone, quiet hours, check-ins, currency, escalation, day-part times,
name), reading them back, and the current time. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, registry
from personal_assistant.core import clock
from personal_assistant.db.models import User
from personal_assistant.users import service as users

# Tool argument -> profile field.
_FIELDS = {
    "timezone": "timezone",
    "quiet_hours_start": "quiet_hours_start",
    "quiet_hours_end": "quiet_hours_end",
    "morning_checkin": "morning_checkin_time",
    "evening_checkin": "evening_checkin_time",
    "checkins_enabled": "checkins_enabled",
    "currency": "currency",
    "escalation_minutes": "escalation_minutes",
    "escalation_max": "escalation_max",
    "day_parts": "day_parts",
    "name": "name",
}
# "Don't text me after 10" names one end of the quiet hours: the other is the usual one.
DEFAULT_QUIET_START, DEFAULT_QUIET_END = "22:00", "07:00"


def settings_out(user: User) -> dict[str, Any]:
    return {
        "timezone": user.timezone,
        "quiet_hours_start": users.format_hhmm(user.quiet_hours_start),
        "quiet_hours_end": users.format_hhmm(user.quiet_hours_end),
        "morning_checkin": users.format_hhmm(user.morning_checkin_time),
        "evening_checkin": users.format_hhmm(user.evening_checkin_time),
        "checkins_enabled": user.checkins_enabled,
        "currency": user.currency,
        "escalation_minutes": user.escalation_minutes,
        "escalation_max": user.escalation_max,
        "day_parts": user.day_parts or None,
        "name": user.name,
    }


@registry.tool(
    "update_settings",
    "Change the user's settings: time zone (IANA), quiet hours (HH:MM to HH:MM), check-in times and on/off, "
    "currency, reminder re-sends (minutes apart, how many), their own day-part times, their name.",
    schemas.UpdateSettings,
    changes_data=True,
)
async def update_settings(ctx: ToolContext, args: schemas.UpdateSettings) -> dict[str, Any]:
    given = args.model_dump(exclude_none=True)
    before = settings_out(ctx.user)
    if "quiet_hours_start" in given and "quiet_hours_end" not in given and ctx.user.quiet_hours_end is None:
        given["quiet_hours_end"] = DEFAULT_QUIET_END
    if "quiet_hours_end" in given and "quiet_hours_start" not in given and ctx.user.quiet_hours_start is None:
        given["quiet_hours_start"] = DEFAULT_QUIET_START
    if given.get("day_parts"):  # {} clears them (an undo), a part sets that part only
        given["day_parts"] = {**(ctx.user.day_parts or {}), **given["day_parts"]}
    if "currency" in given:
        given["currency"] = given["currency"].upper()
    changes = {_FIELDS[key]: value for key, value in given.items()}
    # Setting a check-in time means the user wants check-ins.
    if ("morning_checkin" in given or "evening_checkin" in given) and "checkins_enabled" not in given:
        changes["checkins_enabled"] = True
    user = await users.update_profile(ctx.session, ctx.user_id, changes)
    changed = [key for key, field in _FIELDS.items() if field in changes]
    return {**settings_out(user), "changed": changed, "previous": {k: before[k] for k in changed}}


@registry.tool("get_settings", "The user's current settings (quiet hours, check-ins, currency, zone, re-sends).",
               schemas.GetSettings)
async def get_settings(ctx: ToolContext, args: schemas.GetSettings) -> dict[str, Any]:
    return settings_out(ctx.user)


@registry.tool("current_time", "The current date and time in the user's time zone.", schemas.CurrentTime)
async def current_time(ctx: ToolContext, args: schemas.CurrentTime) -> dict[str, Any]:
    return {"local_time": clock.now().astimezone(clock.zone(ctx.timezone)).isoformat(), "timezone": ctx.timezone}
