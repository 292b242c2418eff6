"""The words a reminder's time is shown in (pure functions, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import time_machine

from personal_assistant.dashboard.formatting import reminder_when, task_due

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _reminder(**fields):
    base = {"status": "pending", "due_at": NOW + timedelta(hours=2), "next_fire_at": None, "snoozed_until": None,
            "last_sent_at": None}
    return SimpleNamespace(**{**base, **fields})


@time_machine.travel(NOW, tick=False)
def test_reminder_times_say_when_it_will_really_go_out():
    due = NOW + timedelta(hours=2)
    assert reminder_when(_reminder(next_fire_at=due)) == "today, 2:00 PM"
    deferred = _reminder(next_fire_at=NOW + timedelta(hours=20))
    assert reminder_when(deferred) == "tomorrow, 8:00 AM (after your quiet hours; set for today, 2:00 PM)"
    snoozed = _reminder(
        status="snoozed", snoozed_until=NOW + timedelta(minutes=10), next_fire_at=NOW + timedelta(hours=20)
    )
    assert reminder_when(snoozed) == "snoozed until tomorrow, 8:00 AM (after your quiet hours)"
    sent = _reminder(status="sent", last_sent_at=NOW - timedelta(minutes=5), next_fire_at=NOW + timedelta(minutes=5))
    assert reminder_when(sent) == "sent today, 11:55 AM, I’ll ask again today, 12:05 PM"
    assert reminder_when(_reminder(status="sent", last_sent_at=NOW)) == "sent today, 12:00 PM"


@time_machine.travel(NOW, tick=False)
def test_a_date_only_due_is_a_day():
    friday = SimpleNamespace(due_at=datetime(2026, 6, 5, 4, 0, tzinfo=UTC), due_all_day=True)
    assert task_due(friday, "America/New_York") == "Fri 5 Jun"
    assert task_due(SimpleNamespace(due_at=NOW + timedelta(days=1), due_all_day=True), "UTC") == "tomorrow"
    timed = SimpleNamespace(due_at=datetime(2026, 6, 5, 13, 30, tzinfo=UTC), due_all_day=False)
    assert task_due(timed, "UTC") == "Fri 5 Jun, 1:30 PM"
