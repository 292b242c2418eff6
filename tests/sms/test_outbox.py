"""The outbox through the real twilio Client against the fake Twilio server: queued in a
transaction, sent outside it, retried only when Twilio did not take it, reconciled (never
re-sent blindly) when it may have."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import Message, SmsNumber
from personal_assistant.db.session import session_scope
from personal_assistant.sms import outbox
from personal_assistant.sms.sweep import sweep
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.factories import load_user
from tests.fixtures.twilio import SHARED_NUMBER, post_signed
from tests.sms.helpers import messages_of, opted_out, usage_rows


async def _queue(user, body="Time to take your meds", kind="reminder", **kw) -> outbox.Queued:
    async with session_scope() as s:
        return await outbox.queue_text(s, await load_user(s, user), body, kind, **kw)


async def _send(user, body="Time to take your meds", kind="reminder", **kw) -> tuple[outbox.Queued, Message | None]:
    """Queue in one transaction; after its commit the dispatch job sends it (in-process here)."""
    queued = await _queue(user, body, kind, **kw)
    await wait_for_in_process_jobs()
    return queued, await _row(queued.message.id) if queued.message else None


async def _row(message_id) -> Message:
    async with session_scope() as s:
        return await s.get(Message, message_id)


async def test_a_queued_text_is_sent_after_the_commit_with_a_callback_naming_it(make_user, fake_twilio):
    user = await make_user()

    queued, sent = await _send(user)

    assert queued.status == "pending"  # committed before anything left
    [post] = fake_twilio.message_posts()
    assert post.authorized
    assert (post.form["To"], post.form["From"], post.form["Body"]) == (
        user.phone,
        SHARED_NUMBER,
        "Time to take your meds",
    )
    assert post.form["StatusCallback"] == f"https://assistant.test/webhooks/twilio/status?m={sent.id}"
    assert sent.status == "queued" and sent.provider_sid.startswith("SM") and sent.attempts == 1
    assert (sent.segments, sent.encoding, str(sent.price_estimate)) == (1, "gsm7", "0.00830")
    [usage] = await usage_rows(user.id)
    assert usage.message_id == sent.id and usage.segments == 1


async def test_a_rolled_back_queue_sends_nothing(make_user, fake_twilio):
    user = await make_user()
    try:
        async with session_scope() as s:
            await outbox.queue_text(s, await load_user(s, user), "never", "reminder")
            raise RuntimeError("the caller's transaction fails")
    except RuntimeError:
        pass
    await wait_for_in_process_jobs()
    assert fake_twilio.message_posts() == [] and await messages_of(user.id) == []


async def test_a_user_with_a_dedicated_number_texts_from_it(make_user, fake_twilio):
    user = await make_user()
    async with session_scope() as s:
        s.add(SmsNumber(e164="+15550002222", user_id=user.id, assigned_at=clock.now()))

    await _send(user)

    assert fake_twilio.sent_messages[0]["From"] == "+15550002222"


async def test_429_then_success_sends_exactly_once(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(429, 20429, "Too Many Requests")

    _, sent = await _send(user)

    assert sent.status == "queued"
    assert len(fake_twilio.message_posts()) == 2 and len(fake_twilio.sent_messages) == 1


async def test_server_errors_go_back_to_the_outbox_with_backoff_then_fail_for_good(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(500, 20500, "Internal Server Error", times=2)

    _, first = await _send(user, idempotency_key="reminder:1:0")

    assert first.status == "pending" and first.error_code == "20500" and first.next_attempt_at > clock.now()
    assert fake_twilio.sent_messages == []
    assert await outbox.dispatch(first.id) is None  # not due yet: nothing is sent early

    with time_machine.travel(first.next_attempt_at + timedelta(seconds=1), tick=False):
        await sweep()
        await wait_for_in_process_jobs()
    again = await _row(first.id)
    assert again.status == "queued" and again.error_code is None and again.attempts == 2
    assert len(fake_twilio.sent_messages) == 1

    fake_twilio.fail_next(503, 20503, "down", times=2 * outbox.MAX_ATTEMPTS)
    _, doomed = await _send(user, body="another")
    for _ in range(outbox.MAX_ATTEMPTS):
        row = await _row(doomed.id)
        if row.status != "pending":
            break
        with time_machine.travel(row.next_attempt_at + timedelta(seconds=1), tick=False):
            await outbox.dispatch(row.id)
    assert (await _row(doomed.id)).status == "failed"


async def test_21610_opts_the_phone_out_and_nothing_is_sent_afterwards(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(400, 21610, "Attempt to send to unsubscribed recipient")

    _, sent = await _send(user)

    assert sent.status == "failed" and sent.error_code == "21610"
    assert len(fake_twilio.message_posts()) == 1  # permanent: not retried
    assert await opted_out(user.phone)
    later, _ = await _send(user, body="Check in: how's it going?", kind="checkin")
    assert later.status == "suppressed_opt_out" and not later.stored
    assert len(fake_twilio.message_posts()) == 1


async def test_a_permanent_error_is_not_retried(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(400, 21211, "Invalid 'To' Phone Number")

    _, sent = await _send(user)

    assert sent.status == "failed" and sent.error_code == "21211"
    assert len(fake_twilio.message_posts()) == 1
    assert not await opted_out(user.phone)


async def test_idempotency_key_queues_and_sends_once_even_when_raced(make_user, fake_twilio):
    user = await make_user()

    results = await asyncio.gather(*(_queue(user, idempotency_key="reminder:abc:1") for _ in range(3)))
    await wait_for_in_process_jobs()

    assert len(fake_twilio.sent_messages) == 1
    assert len({r.message.id for r in results}) == 1
    assert sorted(r.duplicate for r in results) == [False, True, True]
    assert len(await messages_of(user.id, "outbound")) == 1


async def test_quiet_hours_defer_reminders_but_not_replies(make_user, fake_twilio):
    user = await make_user(timezone="America/New_York", quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))
    night = datetime(2026, 3, 10, 3, 30, tzinfo=UTC)  # 23:30 in New York

    with time_machine.travel(night, tick=False):
        reminder, _ = await _send(user, idempotency_key="reminder:q:1")
        reply, _ = await _send(user, body="Done, added it.", kind="reply")

    assert reminder.status == "deferred_quiet_hours" and not reminder.stored
    assert reminder.retry_at == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # 07:00 EDT
    assert [m["Body"] for m in fake_twilio.sent_messages] == ["Done, added it."]

    with time_machine.travel(reminder.retry_at, tick=False):
        later, _ = await _send(user, idempotency_key="reminder:q:1")
    assert later.stored and not later.duplicate
    assert len(fake_twilio.sent_messages) == 2


async def test_a_retry_that_reaches_quiet_hours_waits_for_the_morning(make_user, fake_twilio):
    user = await make_user(timezone="America/New_York", quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))
    fake_twilio.fail_next(500, 20500, "down", times=2)
    with time_machine.travel(datetime(2026, 3, 10, 1, 59, 50, tzinfo=UTC), tick=False):  # 21:59:50
        _, first = await _send(user, kind="checkin")
    assert first.status == "pending"
    with time_machine.travel(datetime(2026, 3, 10, 2, 5, tzinfo=UTC), tick=False):  # 22:05, quiet
        assert await outbox.dispatch(first.id) is None
    waiting = await _row(first.id)
    assert waiting.status == "pending" and waiting.next_attempt_at == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    assert fake_twilio.sent_messages == []


async def test_long_texts_are_trimmed_to_three_segments(make_user, fake_twilio):
    user = await make_user()
    words = "Here is one small step you can take right now to get going. " * 20

    _, plain = await _send(user, body=words)
    _, emoji = await _send(user, body="🎉 " + words)
    _, listing = await _send(user, body=words, kind="list")

    sent = [m["Body"] for m in fake_twilio.sent_messages]
    assert sent[0].endswith("...") and len(sent[0]) <= 459
    assert plain.segments == 3 and plain.encoding == "gsm7"
    assert sent[1].endswith("…") and emoji.encoding == "ucs2" and emoji.segments == 3
    assert sent[2] == words and listing.segments > 3


async def test_sends_from_one_number_are_paced(make_user, fake_twilio, settings_env):
    settings_env(SMS_SEND_INTERVAL_SECONDS="0.3")
    user = await make_user()

    await asyncio.gather(_send(user, body="one"), _send(user, body="two"))

    times = sorted(r.at for r in fake_twilio.message_posts())
    assert times[1] - times[0] >= 0.25


async def test_pacing_is_shared_through_redis(make_user, fake_twilio, settings_env, redis_url):
    settings_env(SMS_SEND_INTERVAL_SECONDS="0.3", REDIS_URL=redis_url)
    user = await make_user()

    async def queue_and_send(body: str) -> None:
        async with session_scope() as s:
            queued = await outbox.queue_text(s, await load_user(s, user), body, "reminder", dispatch="caller")
        await outbox.send_claimed([outbox.claimed_of(queued.message)])

    await asyncio.gather(queue_and_send("one"), queue_and_send("two"))

    import redis

    assert redis.Redis.from_url(redis_url).exists(f"sms:pace:{SHARED_NUMBER}")
    times = sorted(r.at for r in fake_twilio.message_posts())
    assert times[1] - times[0] >= 0.25


async def test_console_transport_stores_the_text_like_a_real_send(make_user, settings_env):
    settings_env(SMS_TRANSPORT="console", TWILIO_ACCOUNT_SID=None)
    user = await make_user()

    _, stored = await _send(user, body="Evening check-in: what went well today?", kind="checkin")

    assert stored.body.startswith("Evening check-in") and stored.status == "console"
    assert len(await usage_rows(user.id)) == 1


async def test_a_timeout_after_the_request_left_is_reconciled_not_resent(make_user, fake_twilio, settings_env):
    """Twilio took the text but we never heard back: the lookup finds it, nothing is sent twice."""
    settings_env(TWILIO_TIMEOUT_SECONDS="0.3")
    fake_twilio.delay_seconds = 0.8
    user = await make_user()

    _, sent = await _send(user, body="Reminder: call the dentist")

    assert sent.status == "uncertain"
    fake_twilio.delay_seconds = 0
    await asyncio.sleep(0.8)  # the fake finishes accepting the text
    stats = await sweep()
    row = await _row(sent.id)
    assert stats.reconciled == 1 and row.status == "queued" and row.provider_sid.startswith("SM")
    assert len(fake_twilio.sent_messages) == 1  # accepted once, never posted again
    assert len(fake_twilio.message_posts()) == 1


async def test_an_uncertain_text_twilio_never_got_is_sent_again(make_user, fake_twilio, settings_env):
    user = await make_user()
    # The sender died between claiming and sending: a lease nobody will finish.
    async with session_scope() as s:
        queued = await outbox.queue_text(
            s, await load_user(s, user), "Reminder: water the plants", "reminder", dispatch="caller"
        )
    with time_machine.travel(clock.now() + timedelta(minutes=5), tick=False):
        stats = await sweep()
    row = await _row(queued.message.id)
    assert stats.uncertain == 1 and row.status == "queued"
    assert [m["Body"] for m in fake_twilio.sent_messages] == ["Reminder: water the plants"]


async def test_a_crash_after_twilio_accepted_sends_no_second_text(make_user, fake_twilio):
    """Accepted by the transport, then the process died before recording it: the sweep finds the
    text at Twilio and records it; the fake counts one message."""
    user = await make_user()
    async with session_scope() as s:
        queued = await outbox.queue_text(s, await load_user(s, user), "Reminder: meds", "reminder", dispatch="caller")
    claimed = outbox.claimed_of(queued.message)
    await outbox.get_transport().send(
        to=claimed.to_number, from_=claimed.from_number, body=claimed.body, status_callback=None
    )  # ... and the process dies here
    with time_machine.travel(clock.now() + timedelta(minutes=5), tick=False):
        await sweep()
    row = await _row(claimed.id)
    assert row.status == "queued" and len(fake_twilio.sent_messages) == 1


async def test_a_status_callback_settles_an_uncertain_text(client, make_user, fake_twilio):
    user = await make_user()
    async with session_scope() as s:
        queued = await outbox.queue_text(
            s, await load_user(s, user), "Reminder: stretch", "reminder", dispatch="caller"
        )
    path = f"/webhooks/twilio/status?m={queued.message.id}"
    params = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered", "AccountSid": fake_twilio.account_sid}
    response = await post_signed(client, path, params)
    assert response.status_code == 200
    row = await _row(queued.message.id)
    assert (row.status, row.provider_sid) == ("delivered", "SM" + "7" * 32)
    assert await outbox.dispatch(row.id) is None  # never sent again
    assert fake_twilio.message_posts() == []


async def test_a_masked_text_is_stored_masked_and_sent_in_full(make_user, fake_twilio):
    user = await make_user()

    _, sent = await _send(user, body="Your code is 123456", kind="code", masked_body="Your code is ******")

    assert fake_twilio.sent_messages[0]["Body"] == "Your code is 123456"
    assert sent.body == "Your code is ******" and sent.sealed_body is None  # cleared once sent
    async with session_scope() as s:
        bodies = (await s.execute(select(Message.body, Message.sealed_body))).all()
    assert all("123456" not in (body or "") and "123456" not in (sealed or "") for body, sealed in bodies)
