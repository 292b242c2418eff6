"""Settings by text (time zone, quiet hours, check-ins) and the current time. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, registry
from personal_assistant.core import clock
from personal_assistant.users import service as users

# Tool argument -> profile field.
_FIELDS = {
    "timezone": "timezone",
    "quiet_hours_start": "quiet_hours_start",
    "quiet_hours_end": "quiet_hours_end",
    "morning_checkin": "morning_checkin_time",
    "evening_checkin": "evening_checkin_time",
    "checkins_enabled": "checkins_enabled",
}


@registry.tool(
    "update_settings",
    "Change the user's settings: time zone (IANA), quiet hours (HH:MM to HH:MM), check-in times and on/off.",
    schemas.UpdateSettings,
    changes_data=True,
)
async def update_settings(ctx: ToolContext, args: schemas.UpdateSettings) -> dict[str, Any]:
    given = args.model_dump(exclude_none=True)
    changes = {_FIELDS[key]: value for key, value in given.items()}
    # Setting a check-in time means the user wants check-ins.
    if ("morning_checkin" in given or "evening_checkin" in given) and "checkins_enabled" not in given:
        changes["checkins_enabled"] = True
    user = await users.update_profile(ctx.session, ctx.user_id, changes)
    changed = [key for key, field in _FIELDS.items() if field in changes]
    return {
        "timezone": user.timezone,
        "quiet_hours_start": users.format_hhmm(user.quiet_hours_start),
        "quiet_hours_end": users.format_hhmm(user.quiet_hours_end),
        "morning_checkin": users.format_hhmm(user.morning_checkin_time),
        "evening_checkin": users.format_hhmm(user.evening_checkin_time),
        "checkins_enabled": user.checkins_enabled,
        "changed": changed,
    }


@registry.tool("current_time", "The current date and time in the user's time zone.", schemas.CurrentTime)
async def current_time(ctx: ToolContext, args: schemas.CurrentTime) -> dict[str, Any]:
    return {"local_time": clock.now().astimezone(clock.zone(ctx.timezone)).isoformat(), "timezone": ctx.timezone}
