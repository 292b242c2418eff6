"""Reminder rules: creation, recurrence across DST, acknowledge, snooze, cancel, the reminder a
bare "done" answers, and the advance used by delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.planning.common import Ambiguous
from personal_assistant.planning.reminders import service
from tests.fixtures.factories import load_user

NY = ZoneInfo("America/New_York")


def at(text: str) -> time_machine.travel:
    return time_machine.travel(datetime.fromisoformat(text), tick=False)


async def test_create_uses_user_zone_and_escalation_defaults(session, make_user):
    ctx = await make_user(timezone="America/New_York", escalation_minutes=7, escalation_max=2)
    user = await load_user(session, ctx)
    with at("2026-03-01T12:00:00+00:00"):
        r = await service.create_reminder(session, user, text="call mom", due_at="2026-03-02T18:30")
    assert r.timezone == "America/New_York"
    assert r.due_at == datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 18:30 EST
    assert (r.status, r.attempts, r.next_fire_at) == ("pending", 0, r.due_at)
    assert (r.escalation_minutes, r.escalation_max) == (7, 2)


async def test_create_rejects_past_bad_zone_and_bad_rule(session, make_user):
    user = await load_user(session, await make_user())
    with at("2026-03-01T12:00:00+00:00"):
        with pytest.raises(ValidationFailed) as past:
            await service.create_reminder(session, user, text="x", due_at="2026-02-28T09:00")
        with pytest.raises(ValidationFailed) as zone:
            await service.create_reminder(session, user, text="x", due_at="2026-03-02T09:00", timezone="Mars/Base")
        with pytest.raises(ValidationFailed) as rule:
            await service.create_reminder(session, user, text="x", due_at="2026-03-02T09:00", rrule="FREQ=MINUTELY")
    assert "due_at" in past.value.fields
    assert "timezone" in zone.value.fields
    assert "recurrence" in rule.value.fields and "rrule" in rule.value.fields
    assert (await service.list_reminders(session, user))[1] == 0


async def test_daily_8am_recurring_stays_8am_local_across_dst(session, make_user):
    user = await load_user(session, await make_user(timezone="America/New_York"))
    with at("2026-03-06T12:00:00+00:00"):
        r = await service.create_reminder(session, user, text="meds", due_at="2026-03-07T08:00", rrule="FREQ=DAILY")
    seen = [r.due_at]
    for _ in range(3):  # what delivery does after each send
        assert service.advance_to_next_occurrence(r, r.due_at) is True
        seen.append(r.due_at)
    assert [d.astimezone(NY).hour for d in seen] == [8, 8, 8, 8]
    assert [d.astimezone(UTC).hour for d in seen] == [13, 12, 12, 12]  # DST began 2026-03-08
    assert (r.status, r.attempts, r.next_fire_at) == ("pending", 0, seen[-1])
    assert service.rule_of(r) == "FREQ=DAILY"


async def test_recurring_created_after_todays_time_starts_at_next_occurrence(session, make_user):
    user = await load_user(session, await make_user(timezone="America/New_York"))
    with at("2026-05-04T14:00:00+00:00"):  # 10:00 local
        r = await service.create_reminder(session, user, text="stretch", due_at="2026-05-04T08:00", rrule="FREQ=DAILY")
    assert r.due_at == datetime(2026, 5, 5, 12, tzinfo=UTC)


async def test_count_exhausted_marks_done(session, make_user):
    user = await load_user(session, await make_user())
    with at("2026-05-01T00:00:00+00:00"):
        r = await service.create_reminder(
            session, user, text="x", due_at="2026-05-01T09:00", rrule="FREQ=DAILY;COUNT=2"
        )
    assert service.advance_to_next_occurrence(r, r.due_at) is True
    assert r.due_at == datetime(2026, 5, 2, 9, tzinfo=UTC)
    assert service.advance_to_next_occurrence(r, r.due_at) is False
    assert (r.status, r.next_fire_at) == ("done", None)


async def test_acknowledge_one_off_and_recurring(session, make_user):
    user = await load_user(session, await make_user())
    with at("2026-05-01T08:00:00+00:00"):
        one = await service.create_reminder(session, user, text="bins", due_at="2026-05-01T09:00")
        daily = await service.create_reminder(
            session, user, text="water plants", due_at="2026-05-01T09:00", rrule="FREQ=DAILY"
        )
    with at("2026-05-01T09:03:00+00:00"):
        await service.acknowledge(session, user, one)
        await service.acknowledge(session, user, daily)
    assert (one.status, one.next_fire_at) == ("acknowledged", None)
    assert one.acknowledged_at == datetime(2026, 5, 1, 9, 3, tzinfo=UTC)
    assert daily.status == "pending" and daily.due_at == datetime(2026, 5, 2, 9, tzinfo=UTC)
    assert daily.next_fire_at == daily.due_at and daily.acknowledged_at is not None


async def test_snooze_arithmetic_and_limits(session, make_user):
    user = await load_user(session, await make_user(timezone="America/New_York"))
    with at("2026-05-01T12:00:00+00:00"):
        r = await service.create_reminder(session, user, text="call", due_at="2026-05-01T08:30")
    r.status, r.attempts, r.last_sent_at = "sent", 2, datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    with at("2026-05-01T12:31:00+00:00"):
        await service.snooze(session, user, r, minutes=15)
        assert (r.status, r.attempts) == ("snoozed", 0)
        assert r.next_fire_at == r.snoozed_until == datetime(2026, 5, 1, 12, 46, tzinfo=UTC)
        await service.snooze(session, user, r)  # default 10 minutes
        assert r.next_fire_at == datetime(2026, 5, 1, 12, 41, tzinfo=UTC)
        await service.snooze(session, user, r, until="2026-05-01T17:00")  # local time
        assert r.next_fire_at == datetime(2026, 5, 1, 21, 0, tzinfo=UTC)
        with pytest.raises(ValidationFailed) as past:
            await service.snooze(session, user, r, until="2026-05-01T07:00")
        with pytest.raises(ValidationFailed) as far:
            await service.snooze(session, user, r, until="2026-05-09T09:00")
        with pytest.raises(ValidationFailed) as many:
            await service.snooze(session, user, r, minutes=7 * 24 * 60 + 1)
    assert "until" in past.value.fields and "until" in far.value.fields and "minutes" in many.value.fields
    assert r.next_fire_at == datetime(2026, 5, 1, 21, 0, tzinfo=UTC)  # unchanged by the refusals


async def test_cancel_stops_and_cannot_be_snoozed(session, make_user):
    user = await load_user(session, await make_user())
    with at("2026-05-01T08:00:00+00:00"):
        r = await service.create_reminder(session, user, text="dentist appointment", due_at="2026-05-03T09:00")
        await service.cancel(session, user, "the dentist reminder")
        assert (r.status, r.next_fire_at) == ("cancelled", None)
        with pytest.raises(ValidationFailed):
            await service.snooze(session, user, r, minutes=5)


async def test_most_likely_reminder_is_last_sent_within_12_hours(session, make_user):
    user = await load_user(session, await make_user())
    with at("2026-05-01T08:00:00+00:00"):
        a = await service.create_reminder(session, user, text="a", due_at="2026-05-01T09:00")
        b = await service.create_reminder(session, user, text="b", due_at="2026-05-01T09:00")
        assert await service.most_likely_reminder(session, user) is None
    a.status, a.last_sent_at = "sent", datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    b.status, b.last_sent_at = "sent", datetime(2026, 5, 1, 9, 5, tzinfo=UTC)
    await session.flush()
    with at("2026-05-01T09:10:00+00:00"):
        assert (await service.most_likely_reminder(session, user)).id == b.id
        done = await service.acknowledge(session, user)  # a bare "done"
        assert done.id == b.id and b.status == "acknowledged"
        assert (await service.most_likely_reminder(session, user)).id == a.id
    with at("2026-05-01T21:01:00+00:00"):
        assert await service.most_likely_reminder(session, user) is None
        with pytest.raises(NotFound):
            await service.snooze(session, user, minutes=10)


async def test_find_by_words_and_numbers(session, make_user):
    user = await load_user(session, await make_user())
    with at("2026-05-01T08:00:00+00:00"):
        dentist = await service.create_reminder(session, user, text="Dentist at 3pm", due_at="2026-05-02T09:00")
        await service.create_reminder(session, user, text="Pay rent", due_at="2026-05-03T09:00")
        await service.create_reminder(session, user, text="Pay water bill", due_at="2026-05-04T09:00")
        shown = await service.list_upcoming_for_sms(session, user)
        assert [r.text for r in shown] == ["Dentist at 3pm", "Pay rent", "Pay water bill"]
        assert (await service.resolve_reminder_ref(session, user, "dentist")).id == dentist.id
        assert (await service.resolve_reminder_ref(session, user, "3")).text == "Pay water bill"
        with pytest.raises(Ambiguous) as which:
            await service.resolve_reminder_ref(session, user, "pay")
        assert len(which.value.candidates) == 2
        with pytest.raises(NotFound):
            await service.resolve_reminder_ref(session, user, "haircut")


async def test_update_due_time_reschedules(session, make_user):
    user = await load_user(session, await make_user(timezone="Europe/Berlin"))
    with at("2026-05-01T08:00:00+00:00"):
        r = await service.create_reminder(session, user, text="x", due_at="2026-05-02T09:00", rrule="FREQ=WEEKLY")
        r.status, r.attempts = "sent", 1
        await service.update_reminder(session, user, r.id, {"due_at": "2026-05-03T10:00"})
    assert r.due_at == datetime(2026, 5, 3, 8, tzinfo=UTC)
    assert (r.status, r.attempts, r.next_fire_at) == ("pending", 0, r.due_at)
    assert service.advance_to_next_occurrence(r, r.due_at)
    assert r.due_at == datetime(2026, 5, 10, 8, tzinfo=UTC)


async def test_other_users_reminders_are_invisible(session, make_user):
    owner = await load_user(session, await make_user())
    other = await load_user(session, await make_user())
    with at("2026-05-01T08:00:00+00:00"):
        r = await service.create_reminder(session, owner, text="secret", due_at="2026-05-02T09:00")
        with pytest.raises(NotFound):
            await service.get_reminder(session, other, r.id)
        with pytest.raises(NotFound):
            await service.cancel(session, other, "secret")
    assert r.status == "pending"


def test_snooze_boundary_constants():
    assert timedelta(days=7) == service.MAX_SNOOZE


async def test_delivery_ledger_lists_own_sends_newest_first(session, make_user):
    from personal_assistant.db.models.planning import ReminderDelivery

    user = await load_user(session, await make_user())
    other = await load_user(session, await make_user())
    with at("2026-05-01T08:00:00+00:00"):
        r = await service.create_reminder(session, user, text="bins", due_at="2026-05-01T09:00")
        o = await service.create_reminder(session, other, text="secret", due_at="2026-05-01T09:00")
    for n, (rem, owner) in enumerate([(r, user), (r, user), (o, other)]):
        session.add(
            ReminderDelivery(
                user_id=owner.id,
                reminder_id=rem.id,
                occurrence_at=rem.due_at,
                attempt=n,
                idempotency_key=f"k{n}-{rem.id}",
                outcome="sent",
                sent_at=rem.due_at + timedelta(minutes=n),
                created_at=rem.due_at + timedelta(minutes=n),
            )
        )
    await session.flush()
    ledger = await service.delivery_ledger(session, user)
    assert [(e.text, e.attempt) for e in ledger] == [("bins", 1), ("bins", 0)]
