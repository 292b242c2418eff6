"""Carrier keywords: STOP stops everything (reminders too), START resumes, HELP helps."""

from __future__ import annotations

import pytest

from personal_assistant.db.session import session_scope
from personal_assistant.sms.keywords import classify
from personal_assistant.sms.outbox import queue_text
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.factories import load_user
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed
from tests.sms.helpers import messages_of, opted_out

SMS = "/webhooks/twilio/sms"


async def _text(client, from_: str, body: str) -> None:
    response = await post_signed(client, SMS, inbound_params(from_=from_, to=SHARED_NUMBER, body=body))
    assert response.status_code == 200
    await wait_for_in_process_jobs()


@pytest.mark.parametrize("word", ["STOP", "stop", "  Stop  ", "STOPALL", "unsubscribe", "Cancel", "END", "quit",
                                  "stop."])
def test_opt_out_words_in_any_case_and_spacing(word):
    assert classify(word) == "opt_out"


@pytest.mark.parametrize("text", ["stop reminding me about laundry", "cancel the dentist reminder", "the end",
                                  "", "help me plan my day"])
def test_sentences_that_contain_a_keyword_are_normal_texts(text):
    assert classify(text) is None


@pytest.mark.parametrize(("word", "kind"), [(" start", "opt_in"), ("Yes", "opt_in"), ("UNSTOP", "opt_in"),
                                            ("help ", "help"), ("INFO", "help")])
def test_opt_in_and_help_words(word, kind):
    assert classify(word) == kind


async def test_stop_stops_reminders_and_start_resumes_them(client, make_user, twilio_webhooks):
    user = await make_user()

    await _text(client, user.phone, "  sToP ")

    assert await opted_out(user.phone)
    assert await messages_of(user.id, "outbound") == []  # no reply of ours to STOP
    async with session_scope() as s:
        result = await queue_text(s, await load_user(s, user), "Time to take your meds", "reminder")
    assert result.status == "suppressed_opt_out"
    assert await messages_of(user.id, "outbound") == []

    await _text(client, user.phone, "hello?")  # an opted-out phone gets nothing, not even replies
    assert await messages_of(user.id, "outbound") == []

    await _text(client, user.phone, "START")

    assert not await opted_out(user.phone)
    [confirmation] = await messages_of(user.id, "outbound")
    assert "opted back in" in confirmation.body
    async with session_scope() as s:
        result = await queue_text(s, await load_user(s, user), "Time to take your meds", "reminder")
    assert result.stored


async def test_help_answers_with_a_short_help_text(client, make_user, twilio_webhooks):
    user = await make_user()

    await _text(client, user.phone, "HELP")

    [reply] = await messages_of(user.id, "outbound")
    assert "STOP" in reply.body and "https://assistant.test/signup" in reply.body
    assert reply.segments <= 2


async def test_unknown_sender_who_texts_stop_never_gets_the_onboarding_text(client, fake_twilio):
    stranger = "+15559990002"

    await _text(client, stranger, "STOP")
    await _text(client, stranger, "hi")

    assert fake_twilio.message_posts() == []

    await _text(client, stranger, "start")
    [sent] = fake_twilio.sent_messages
    assert sent["To"] == stranger and "signup" in sent["Body"]


async def test_yes_from_a_phone_that_is_not_opted_out_is_an_answer_for_the_agent(client, make_user, twilio_webhooks):
    user = await make_user()

    await _text(client, user.phone, "Yes")

    [inbound] = await messages_of(user.id, "inbound")
    [reply] = await messages_of(user.id, "outbound")
    assert inbound.kind == "chat"
    assert "opted back in" not in reply.body
