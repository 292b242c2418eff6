"""Routing: dedicated numbers, the shared number, unknown senders, and a known phone texting
someone else's dedicated number. Outbound goes through the real twilio Client to the fake server,
so "who got a text" is what the fake recorded."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from personal_assistant.core import clock
from personal_assistant.db.models import SmsNumber
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed
from tests.sms.helpers import all_messages, messages_of

SMS = "/webhooks/twilio/sms"
ALICE_NUMBER = "+15550001111"


async def _dedicate(session, number: str, user_id) -> None:
    session.add(SmsNumber(e164=number, user_id=user_id, assigned_at=clock.now()))
    await session.commit()


async def _text(client, from_: str, to: str, body: str = "what's on my list?"):
    response = await post_signed(client, SMS, inbound_params(from_=from_, to=to, body=body))
    await wait_for_in_process_jobs()
    assert response.status_code == 200
    return response


async def test_owner_texting_their_dedicated_number_is_answered_from_it(client, session, make_user, fake_twilio):
    alice = await make_user()
    await _dedicate(session, ALICE_NUMBER, alice.id)

    await _text(client, alice.phone, ALICE_NUMBER)

    assert len(await messages_of(alice.id, "inbound")) == 1
    [sent] = fake_twilio.sent_messages
    assert sent["To"] == alice.phone and sent["From"] == ALICE_NUMBER


async def test_known_phone_texting_someone_elses_dedicated_number_gets_nothing(
    client, session, make_user, fake_twilio
):
    alice = await make_user()
    bob = await make_user()
    await _dedicate(session, ALICE_NUMBER, alice.id)

    await _text(client, bob.phone, ALICE_NUMBER, body="show me alice's reminders")

    assert await all_messages() == []  # nothing stored for alice, nothing for bob
    assert fake_twilio.message_posts() == []  # and no text to anyone


async def test_shared_number_routes_by_the_senders_verified_phone(client, make_user, fake_twilio):
    alice = await make_user()
    bob = await make_user()

    await _text(client, bob.phone, SHARED_NUMBER, body="hello from bob")

    assert [m.body for m in await messages_of(bob.id, "inbound")] == ["hello from bob"]
    assert await messages_of(alice.id) == []
    [sent] = fake_twilio.sent_messages
    assert sent["To"] == bob.phone and sent["From"] == SHARED_NUMBER


async def test_unverified_phone_is_an_unknown_sender(client, make_user, fake_twilio):
    carol = await make_user(verified=False)

    await _text(client, carol.phone, SHARED_NUMBER)

    assert await messages_of(carol.id) == []
    [sent] = fake_twilio.sent_messages
    assert "https://assistant.test/signup" in sent["Body"]


async def test_unknown_sender_gets_one_onboarding_text_a_day(client, make_user, fake_twilio):
    stranger = "+15559990000"
    await make_user(name="Alice Secret")

    await _text(client, stranger, SHARED_NUMBER, body="hi")
    await _text(client, stranger, SHARED_NUMBER, body="hello??")

    [sent] = fake_twilio.sent_messages
    assert sent["To"] == stranger and sent["From"] == SHARED_NUMBER
    assert "https://assistant.test/signup" in sent["Body"]
    assert "Alice" not in sent["Body"]
    assert await all_messages() == []

    with time_machine.travel(clock.now() + timedelta(days=1, minutes=1)):
        await _text(client, stranger, SHARED_NUMBER, body="anyone?")
    assert len(fake_twilio.sent_messages) == 2


async def test_unknown_sender_on_a_dedicated_number_sees_nothing_of_its_owner(
    client, session, make_user, fake_twilio
):
    alice = await make_user(name="Alice Secret")
    await _dedicate(session, ALICE_NUMBER, alice.id)

    await _text(client, "+15559990001", ALICE_NUMBER, body="what are alice's tasks")

    [sent] = fake_twilio.sent_messages
    assert "Alice" not in sent["Body"] and alice.email not in sent["Body"]
    assert await messages_of(alice.id) == []


async def test_disabled_account_gets_nothing(client, make_user, fake_twilio):
    dora = await make_user(is_active=False)

    await _text(client, dora.phone, SHARED_NUMBER)

    assert await all_messages() == []
    assert fake_twilio.message_posts() == []
