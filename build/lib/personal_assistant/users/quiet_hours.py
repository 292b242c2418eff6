"""Quiet-hours arithmetic in the user's own time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from personal_assistant.core import clock


def quiet_period_end(
    start: time | None, end: time | None, tz_name: str, at: datetime | None = None
) -> datetime | None:
    """If `at` (UTC; default now) falls inside quiet hours, the UTC time they end; else None.

    Quiet hours may wrap midnight ("22:00 to 07:00"). Equal start and end means none.
    """
    if start is None or end is None or start == end:
        return None
    tz = ZoneInfo(tz_name)
    local = clock.as_utc(at or clock.now()).astimezone(tz)
    t = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= t < end
        end_day = local.date()
    else:  # wraps midnight
        inside = t >= start or t < end
        end_day = local.date() + timedelta(days=1) if t >= start else local.date()
    if not inside:
        return None
    # Build the local end time, then normalise (handles a DST change inside the quiet period).
    end_local = datetime.combine(end_day, end, tzinfo=tz)
    return clock.as_utc(end_local)
