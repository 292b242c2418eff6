"""Twilio through the resilience layer: the real twilio Client against the fake Twilio server."""

from __future__ import annotations

from personal_assistant.db.models import Message
from personal_assistant.db.session import session_scope
from personal_assistant.sms import outbox
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.factories import load_user


async def _send(user, body: str) -> Message:
    async with session_scope() as s:
        queued = await outbox.queue_text(s, await load_user(s, user), body, "reminder")
    await wait_for_in_process_jobs()
    async with session_scope() as s:
        row = await s.get(Message, queued.message.id)
    assert row is not None
    return row


async def test_a_failing_twilio_opens_the_breaker_and_later_sends_wait_in_the_outbox(make_user, fake_twilio,
                                                                                      settings_env):
    settings_env(PROVIDER_BREAKER_THRESHOLD="3", PROVIDER_BACKOFF_SECONDS="0.01", PROVIDER_BACKOFF_MAX_SECONDS="0.01")
    fake_twilio.fail_next(500, 20500, "down", times=10)
    user = await make_user()

    first = await _send(user, "one")
    assert (first.status, first.error_code) == ("pending", "20500")
    assert len(fake_twilio.message_posts()) == 2  # the in-call retry bound (RETRY_ATTEMPTS)

    second = await _send(user, "two")  # its first failure is the third in a row: the breaker opens
    assert second.status == "pending" and second.error_code == "circuit_open"
    assert len(fake_twilio.message_posts()) == 3

    third = await _send(user, "three")  # not even tried: it never left, so it is safe to send later
    assert (third.status, third.error_code) == ("pending", "circuit_open")
    assert len(fake_twilio.message_posts()) == 3
    assert fake_twilio.sent_messages == []


async def test_a_4xx_is_permanent_and_does_not_open_the_breaker(make_user, fake_twilio, settings_env):
    settings_env(PROVIDER_BREAKER_THRESHOLD="2")
    fake_twilio.fail_next(400, 21211, "invalid To", times=3)
    user = await make_user()
    for body in ("a", "b", "c"):
        row = await _send(user, body)
        assert (row.status, row.error_code) == ("failed", "21211")
    sent = await _send(user, "d")
    assert sent.status == "queued"
    assert len(fake_twilio.message_posts()) == 4
