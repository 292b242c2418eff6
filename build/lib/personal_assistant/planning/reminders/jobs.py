"""Background jobs of reminders (thin wrappers over delivery)."""

from __future__ import annotations

from personal_assistant.config import get_settings
from personal_assistant.planning.reminders.delivery import deliver_due_reminders
from personal_assistant.workers.jobs import job


@job("reminders.deliver_due")
async def deliver_due() -> dict[str, int]:
    """The beat tick: send everything due. Bounded in time so ticks never pile up behind it."""
    settings = get_settings()
    stats = await deliver_due_reminders(max_seconds=max(30.0, settings.reminder_tick_seconds * 6))
    return {
        "claimed": stats.claimed,
        "sent": stats.sent,
        "late": stats.late,
        "missed": stats.missed,
        "deferred": stats.deferred,
        "suppressed": stats.suppressed,
        "failed": stats.failed,
        "duplicates_prevented": stats.duplicates_prevented,
    }
