"""The periodic jobs, shared by Celery beat and the embedded scheduler: (name, every seconds)."""

from __future__ import annotations

from typing import Any

from personal_assistant.config import Settings

CHECKINS_EVERY = 60.0
FOCUS_EVERY = 15.0
QUEUE_DEPTH_EVERY = 30.0
CONNECTOR_HEALTH_EVERY = 300.0  # health texts held back by quiet hours
MEMORY_EMBED_BACKLOG_EVERY = 600.0


def periodic_jobs(settings: Settings, *, with_broker: bool) -> list[tuple[str, float]]:
    jobs = [
        ("reminders.deliver_due", float(settings.reminder_tick_seconds)),
        ("sms.sweep", float(settings.sweep_every_seconds)),
        ("checkins.run", CHECKINS_EVERY),
        ("focus.nudges", FOCUS_EVERY),
        ("connectors.sync", float(settings.calendar_sync_minutes) * 60),
        ("connectors.health", CONNECTOR_HEALTH_EVERY),
        ("memory.embed_backlog", MEMORY_EMBED_BACKLOG_EVERY),
        ("memory.upkeep", float(settings.memory_upkeep_seconds)),
    ]
    if with_broker:
        jobs.append(("workers.queue_depth", QUEUE_DEPTH_EVERY))
    return jobs


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Celery beat entries. Each tick expires before the next one is due, so ticks queued behind
    a busy worker are dropped instead of piling up (the next tick does the same work)."""
    return {
        name: {"task": name, "schedule": every, "options": {"expires": max(1.0, every * 2)}}
        for name, every in periodic_jobs(settings, with_broker=True)
    }
