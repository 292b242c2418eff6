"""Reminder delivery in one process (the same functions the Celery tasks and the embedded
scheduler run): sent once, escalation, late and missed, quiet hours, opt-out, DST, crashed
workers and concurrent claimers. Runs on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import User
from personal_assistant.db.session import session_scope
from personal_assistant.planning.checkins import run_checkins
from personal_assistant.planning.reminders import service as reminders
from personal_assistant.planning.reminders.delivery import deliver_due_reminders, queue_due_batch
from personal_assistant.planning.reminders.recurrence import join_stored
from personal_assistant.sms.sweep import sweep
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.workers.helpers import add_reminders, get_reminder, ledger, reminder_messages, sends_per_reminder


async def test_a_reminder_due_now_is_sent_once(make_user):
    user = await make_user()
    [rid] = await add_reminders(user.id, 1, clock.now() - timedelta(seconds=1), text="take meds")

    first = await deliver_due_reminders()
    second = await deliver_due_reminders()

    messages = await reminder_messages(user.id)
    assert [m.body for m in messages] == ["Reminder: take meds. Reply done, snooze 10, or cancel it."]
    assert messages[0].to_number == user.phone
    assert (first.sent, second.sent) == (1, 0)
    [entry] = await ledger(rid)
    assert entry.outcome == "sent" and entry.message_id == messages[0].id
    reminder = await get_reminder(rid)
    assert reminder.status == "sent" and reminder.attempts == 1
    assert messages[0].status == "console"  # handed to the transport after the commit


async def test_unacknowledged_reminder_is_nudged_a_bounded_number_of_times(make_user):
    user = await make_user()
    start = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=True):
        [rid] = await add_reminders(user.id, 1, start, text="call the bank", escalation_minutes=10, escalation_max=2)
        await deliver_due_reminders()
    for step in range(1, 5):
        with time_machine.travel(start + step * timedelta(minutes=10, seconds=20), tick=True):
            await deliver_due_reminders()

    bodies = [m.body for m in await reminder_messages(user.id)]
    nudge = "Still on your list: call the bank. Reply done, snooze 10, or cancel it."
    assert bodies == ["Reminder: call the bank. Reply done, snooze 10, or cancel it.", nudge, nudge]
    assert (await get_reminder(rid)).next_fire_at is None


async def test_done_stops_the_nudges_and_snooze_fires_again(make_user, session):
    user = await make_user()
    start = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=True):
        [done_id, snooze_id] = await add_reminders(user.id, 2, start, text="water plants", escalation_minutes=10)
        await deliver_due_reminders()
        owner = await session.get(User, user.id)
        await reminders.acknowledge(session, owner, done_id)
        await reminders.snooze(session, owner, snooze_id, minutes=30)
        await session.commit()
    with time_machine.travel(start + timedelta(minutes=15), tick=True):
        await deliver_due_reminders()  # neither: one is done, the other snoozed for 30 min
    assert len(await reminder_messages(user.id)) == 2
    with time_machine.travel(start + timedelta(minutes=30, seconds=5), tick=True):
        await deliver_due_reminders()
        await deliver_due_reminders()

    counts = await sends_per_reminder()
    assert counts[str(done_id)] == 1
    assert counts[str(snooze_id)] == 2  # the original and the snoozed one, once each
    assert (await get_reminder(done_id)).status == "acknowledged"


async def test_late_within_catch_up_says_late_and_older_is_missed_then_listed_in_morning_checkin(make_user):
    user = await make_user(timezone="Europe/Berlin", checkins_enabled=True, morning_checkin_time=time(8, 0))
    now = datetime(2026, 5, 4, 5, 30, tzinfo=UTC)  # 07:30 in Berlin, the service was down all night
    with time_machine.travel(now, tick=True):
        [late_id] = await add_reminders(user.id, 1, now - timedelta(minutes=30), text="feed the cat")
        [missed_id] = await add_reminders(user.id, 1, now - timedelta(hours=5), text="take out the bins")
        stats = await deliver_due_reminders()

    assert (stats.sent, stats.late, stats.missed) == (1, 1, 1)
    assert [m.body for m in await reminder_messages(user.id)] == [
        "Reminder (late): feed the cat. Reply done, snooze 10, or cancel it."
    ]
    assert (await get_reminder(missed_id)).status == "missed"
    assert [e.outcome for e in await ledger(missed_id)] == ["missed"]
    assert [e.outcome for e in await ledger(late_id)] == ["late"]

    with time_machine.travel(datetime(2026, 5, 4, 6, 0, 30, tzinfo=UTC), tick=True):  # 08:00 Berlin
        await run_checkins()
        await run_checkins()  # never twice a day
    async with session_scope() as s:
        from personal_assistant.db.models import Message

        checkins = list((await s.execute(select(Message).where(Message.kind == "checkin"))).scalars())
    assert len(checkins) == 1
    assert "top 3" in checkins[0].body and "take out the bins" in checkins[0].body


async def test_quiet_hours_defer_to_their_end(make_user):
    user = await make_user(timezone="America/Chicago", quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))
    tz = ZoneInfo("America/Chicago")
    night = datetime(2026, 6, 1, 23, 15, tzinfo=tz).astimezone(UTC)
    with time_machine.travel(night, tick=True):
        [rid] = await add_reminders(user.id, 1, night - timedelta(seconds=5), text="stretch")
        stats = await deliver_due_reminders()
    assert stats.deferred == 1
    assert await reminder_messages(user.id) == []
    quiet_end = datetime(2026, 6, 2, 7, 0, tzinfo=tz).astimezone(UTC)
    assert (await get_reminder(rid)).next_fire_at == quiet_end

    with time_machine.travel(quiet_end - timedelta(minutes=1), tick=True):
        await deliver_due_reminders()
    assert await reminder_messages(user.id) == []
    with time_machine.travel(quiet_end + timedelta(seconds=3), tick=True):
        await deliver_due_reminders()
    messages = await reminder_messages(user.id)
    assert [m.body for m in messages] == [
        "Reminder: stretch. Reply done, snooze 10, or cancel it."
    ]  # at 7:00, not called late
    assert messages[0].sent_at >= quiet_end


async def test_an_urgent_reminder_goes_out_during_quiet_hours(make_user):
    user = await make_user(timezone="America/Chicago", quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))
    night = datetime(2026, 6, 1, 23, 15, tzinfo=ZoneInfo("America/Chicago")).astimezone(UTC)
    with time_machine.travel(night, tick=True):
        await add_reminders(user.id, 1, night - timedelta(seconds=5), text="night meds", urgent=True)
        stats = await deliver_due_reminders()
    assert stats.deferred == 0
    messages = await reminder_messages(user.id)
    assert [(m.body, m.kind) for m in messages] == [("Urgent: night meds. Reply done or snooze 10.", "urgent_reminder")]


async def test_no_phone_is_recorded_as_suppressed_and_not_retried(make_user):
    user = await make_user(phone=None)
    [rid] = await add_reminders(user.id, 1, clock.now() - timedelta(seconds=1))
    await deliver_due_reminders()
    await deliver_due_reminders()
    assert await reminder_messages(user.id) == []
    assert [e.outcome for e in await ledger(rid)] == ["suppressed"]
    assert (await get_reminder(rid)).next_fire_at is None


async def test_daily_reminder_keeps_its_local_time_across_dst(make_user):
    user = await make_user(timezone="America/New_York")
    tz = ZoneInfo("America/New_York")
    first = datetime(2026, 3, 7, 9, 0, tzinfo=tz)  # the day before clocks spring forward
    with time_machine.travel(first.astimezone(UTC) + timedelta(seconds=2), tick=True):
        [rid] = await add_reminders(
            user.id,
            1,
            first.astimezone(UTC),
            text="vitamins",
            timezone="America/New_York",
            rrule=join_stored("FREQ=DAILY", first.replace(tzinfo=None)),
            escalation_max=0,
        )
        await deliver_due_reminders()
    after_first = await get_reminder(rid)
    assert after_first.due_at.astimezone(tz).hour == 9
    assert after_first.due_at == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 09:00 EDT, not 10:00

    for day in (8, 9):
        moment = datetime(2026, 3, day, 9, 0, tzinfo=tz).astimezone(UTC)
        with time_machine.travel(moment - timedelta(minutes=30), tick=True):
            await deliver_due_reminders()  # not yet
        with time_machine.travel(moment + timedelta(seconds=2), tick=True):
            await deliver_due_reminders()
    messages = await reminder_messages(user.id)
    assert [m.sent_at.astimezone(tz).strftime("%d %H:%M") for m in messages] == ["07 09:00", "08 09:00", "09 09:00"]
    assert all(m.body == "Reminder: vitamins. Reply done, snooze 10, or cancel it." for m in messages)


async def test_a_worker_that_dies_after_queuing_loses_and_doubles_nothing(make_user):
    """The batch transaction committed (texts queued, rows moved on), then the worker died before
    sending: no later run queues them again, and the outbox's sweep sends each exactly once."""
    user = await make_user()
    start = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=True):
        ids = await add_reminders(user.id, 3, start - timedelta(seconds=1))
        batch = await queue_due_batch(50)  # ... and the process dies here
        assert batch is not None and len(batch.to_send) == 3
        again = await deliver_due_reminders()
        assert again.claimed == 0  # moved on: due again only for its nudge, in 10 minutes
    assert {m.status for m in await reminder_messages(user.id)} == {"dispatching"}

    with time_machine.travel(start + timedelta(minutes=2), tick=True):  # past the outbox lease
        await sweep()
        await wait_for_in_process_jobs()
    counts = await sends_per_reminder()
    assert [counts[str(i)] for i in ids] == [1, 1, 1]
    assert {m.status for m in await reminder_messages(user.id)} == {"console"}
    assert len(await ledger()) == 3  # one ledger row per attempt, never two
    assert [(await get_reminder(i)).attempts for i in ids] == [1, 1, 1]


async def test_concurrent_claimers_send_each_reminder_exactly_once(make_user):
    users = [await make_user() for _ in range(4)]
    due = clock.now() - timedelta(seconds=1)
    for user in users:
        await add_reminders(user.id, 50, due)

    results = await asyncio.wait_for(
        asyncio.gather(*(deliver_due_reminders(batch_size=10) for i in range(4))), timeout=120
    )

    counts = await sends_per_reminder()
    assert len(counts) == 200 and set(counts.values()) == {1}
    assert sum(r.sent for r in results) == 200


async def test_nudges_after_a_snooze_are_sent_too(make_user, session):
    user = await make_user()
    start = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=True):
        [rid] = await add_reminders(user.id, 1, start, text="pay rent", escalation_minutes=10, escalation_max=1)
        await deliver_due_reminders()
    with time_machine.travel(start + timedelta(minutes=10, seconds=20), tick=True):
        await deliver_due_reminders()  # the one nudge before the snooze (attempt 1)
        await reminders.snooze(session, await session.get(User, user.id), rid, minutes=30)
        await session.commit()
    with time_machine.travel(start + timedelta(minutes=40, seconds=30), tick=True):
        await deliver_due_reminders()  # the snoozed reminder (attempt 0 again)
    with time_machine.travel(start + timedelta(minutes=50, seconds=50), tick=True):
        await deliver_due_reminders()  # its nudge (attempt 1 again): a new attempt, sent

    bodies = [m.body for m in await reminder_messages(user.id)]
    assert bodies == [
        "Reminder: pay rent. Reply done, snooze 10, or cancel it.",
        "Still on your list: pay rent. Reply done, snooze 10, or cancel it.",
        "Reminder: pay rent. Reply done, snooze 10, or cancel it.",
        "Still on your list: pay rent. Reply done, snooze 10, or cancel it.",
    ]
    assert len({e.idempotency_key for e in await ledger(rid)}) == 4


async def test_a_disabled_account_gets_no_reminder_and_it_does_not_loop(make_user):
    user = await make_user(is_active=False)
    [rid] = await add_reminders(user.id, 1, clock.now() - timedelta(seconds=1))
    await deliver_due_reminders()
    await deliver_due_reminders()
    assert await reminder_messages(user.id) == []
    assert (await get_reminder(rid)).next_fire_at is None


def test_reminder_texts_fit_one_segment_and_never_invite_a_bare_cancel():
    """"cancel" alone is a carrier opt-out word: a reminder says "cancel it", and the person's
    own words are shortened before the way to answer is."""
    from personal_assistant.db.models import Reminder
    from personal_assistant.planning.reminders.delivery import reminder_text
    from personal_assistant.sms.segments import count_segments

    long_text = "call the insurance company about the claim for the broken window and the garage door " * 2
    cases = (({}, False), ({}, True), ({"status": "sent", "attempts": 1}, False), ({"urgent": True}, False))
    for fields, late in cases:
        for text in ("take meds", long_text):
            row = {"status": "pending", "attempts": 0, "urgent": False, **fields}
            body = reminder_text(Reminder(text=text, **row), late=late)
            info = count_segments(body)
            assert (info.encoding, info.segments) == ("gsm7", 1), body
            assert "reply done" in body.lower()
            assert not any(line.strip(" .'\"").lower() == "cancel" for line in body.split(","))


async def test_replying_cancel_it_to_a_fired_reminder_cancels_that_reminder_only(make_user):
    from tests.fixtures.turns import text_assistant

    user = await make_user()
    [other] = await add_reminders(user.id, 1, clock.now() + timedelta(hours=3), text="water the plants")
    [rid] = await add_reminders(user.id, 1, clock.now() - timedelta(seconds=1), text="call the bank")
    await deliver_due_reminders()
    await text_assistant(user, "cancel it")
    assert (await get_reminder(rid)).status == "cancelled"
    assert (await get_reminder(other)).status == "pending"
