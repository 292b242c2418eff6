"""The outbound service through the real twilio Client against the fake Twilio server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time

import time_machine
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import Message, SmsNumber
from personal_assistant.db.session import session_scope
from personal_assistant.sms.outbound import send_sms
from tests.fixtures.factories import load_user
from tests.fixtures.twilio import SHARED_NUMBER
from tests.sms.helpers import messages_of, opted_out, usage_rows


async def _send(user, body="Time to take your meds", kind="reminder", **kw):
    async with session_scope() as s:
        result = await send_sms(s, await load_user(s, user), body, kind, **kw)
        return result


async def test_send_goes_through_twilio_with_a_status_callback(make_user, fake_twilio):
    user = await make_user()

    result = await _send(user)

    assert result.status == "queued" and result.delivered_to_transport
    [post] = fake_twilio.message_posts()
    assert post.authorized
    assert post.form["To"] == user.phone
    assert post.form["From"] == SHARED_NUMBER
    assert post.form["Body"] == "Time to take your meds"
    assert post.form["StatusCallback"] == "https://assistant.test/webhooks/twilio/status"
    [stored] = await messages_of(user.id, "outbound")
    assert stored.status == "queued" and stored.provider_sid.startswith("SM")
    assert (stored.segments, stored.encoding, str(stored.price_estimate)) == (1, "gsm7", "0.00830")
    [usage] = await usage_rows(user.id)
    assert usage.message_id == stored.id and usage.segments == 1


async def test_a_user_with_a_dedicated_number_texts_from_it(make_user, fake_twilio):
    user = await make_user()
    async with session_scope() as s:
        s.add(SmsNumber(e164="+15550002222", user_id=user.id, assigned_at=clock.now()))

    await _send(user)

    assert fake_twilio.sent_messages[0]["From"] == "+15550002222"


async def test_429_then_success_sends_exactly_once(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(429, 20429, "Too Many Requests")

    result = await _send(user)

    assert result.status == "queued"
    assert len(fake_twilio.message_posts()) == 2
    assert len(fake_twilio.sent_messages) == 1
    assert len(await messages_of(user.id, "outbound")) == 1


async def test_server_errors_that_outlast_the_retries_fail_and_the_same_key_retries_later(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(500, 20500, "Internal Server Error", times=4)

    first = await _send(user, idempotency_key="reminder:1:0")

    assert first.status == "failed" and first.error_code == "20500"
    assert len(fake_twilio.message_posts()) == 4
    assert fake_twilio.sent_messages == []

    again = await _send(user, idempotency_key="reminder:1:0")

    assert again.status == "queued"
    assert len(fake_twilio.sent_messages) == 1
    [stored] = await messages_of(user.id, "outbound")  # the same row, now sent
    assert stored.status == "queued" and stored.error_code is None


async def test_21610_marks_the_phone_opted_out_and_nothing_is_sent_afterwards(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(400, 21610, "Attempt to send to unsubscribed recipient")

    result = await _send(user)

    assert result.status == "suppressed_opt_out" and result.error_code == "21610"
    assert len(fake_twilio.message_posts()) == 1  # permanent: not retried
    assert await opted_out(user.phone)

    later = await _send(user, body="Check in: how's it going?", kind="checkin")
    assert later.status == "suppressed_opt_out"
    assert len(fake_twilio.message_posts()) == 1


async def test_a_permanent_error_is_not_retried(make_user, fake_twilio):
    user = await make_user()
    fake_twilio.fail_next(400, 21211, "Invalid 'To' Phone Number")

    result = await _send(user)

    assert result.status == "failed" and result.error_code == "21211"
    assert len(fake_twilio.message_posts()) == 1
    assert not await opted_out(user.phone)


async def test_idempotency_key_sends_once_even_when_raced(make_user, fake_twilio):
    user = await make_user()

    results = await asyncio.gather(*(_send(user, idempotency_key="reminder:abc:1") for _ in range(3)))

    assert len(fake_twilio.sent_messages) == 1
    assert len({r.message.id for r in results}) == 1
    assert sorted(r.duplicate for r in results) == [False, True, True]
    assert len(await messages_of(user.id, "outbound")) == 1


async def test_quiet_hours_defer_reminders_but_not_replies(make_user, fake_twilio):
    user = await make_user(timezone="America/New_York", quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))
    night = datetime(2026, 3, 10, 3, 30, tzinfo=UTC)  # 23:30 in New York

    with time_machine.travel(night, tick=False):
        reminder = await _send(user, idempotency_key="reminder:q:1")
        reply = await _send(user, body="Done, added it.", kind="reply")

    assert reminder.status == "deferred_quiet_hours"
    assert reminder.retry_at == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # 07:00 EDT
    assert reply.status == "queued"
    assert [m["Body"] for m in fake_twilio.sent_messages] == ["Done, added it."]

    with time_machine.travel(reminder.retry_at, tick=False):
        later = await _send(user, idempotency_key="reminder:q:1")
    assert later.status == "queued" and not later.duplicate
    assert len(fake_twilio.sent_messages) == 2


async def test_long_texts_are_trimmed_to_three_segments(make_user, fake_twilio):
    user = await make_user()
    words = "Here is one small step you can take right now to get going. " * 20

    plain = await _send(user, body=words)
    emoji = await _send(user, body="🎉 " + words)
    listing = await _send(user, body=words, kind="list")

    sent = [m["Body"] for m in fake_twilio.sent_messages]
    assert sent[0].endswith("...") and len(sent[0]) <= 459
    assert plain.message.segments == 3 and plain.message.encoding == "gsm7"
    assert sent[1].endswith("…") and emoji.message.encoding == "ucs2" and emoji.message.segments == 3
    assert sent[2] == words and listing.message.segments > 3


async def test_sends_from_one_number_are_paced(make_user, fake_twilio, settings_env):
    settings_env(SMS_SEND_INTERVAL_SECONDS="0.3")
    user = await make_user()

    await asyncio.gather(_send(user, body="one"), _send(user, body="two"))

    times = sorted(r.at for r in fake_twilio.message_posts())
    assert times[1] - times[0] >= 0.25


async def test_pacing_is_shared_through_redis(make_user, fake_twilio, settings_env, redis_url):
    settings_env(SMS_SEND_INTERVAL_SECONDS="0.3", REDIS_URL=redis_url)
    user = await make_user()

    await asyncio.gather(_send(user, body="one"), _send(user, body="two"))

    import redis

    assert redis.Redis.from_url(redis_url).exists(f"sms:pace:{SHARED_NUMBER}")
    times = sorted(r.at for r in fake_twilio.message_posts())
    assert times[1] - times[0] >= 0.25


async def test_console_transport_stores_the_text_like_a_real_send(make_user, settings_env):
    settings_env(SMS_TRANSPORT="console", TWILIO_ACCOUNT_SID=None)
    user = await make_user()

    result = await _send(user, body="Evening check-in: what went well today?", kind="checkin")

    assert result.status == "console"
    async with session_scope() as s:
        stored = (await s.execute(select(Message).where(Message.user_id == user.id))).scalar_one()
    assert stored.body.startswith("Evening check-in") and stored.status == "console"
    assert len(await usage_rows(user.id)) == 1
