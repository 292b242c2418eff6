"""The inbound webhook end to end: signatures (real RequestValidator), idempotency, replies."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import time_machine

from personal_assistant.core import clock
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed, sign
from tests.sms.helpers import all_messages, messages_of, receipts, usage_rows

SMS = "/webhooks/twilio/sms"


async def test_signed_text_from_verified_phone_is_stored_and_answered(client, make_user, twilio_webhooks):
    user = await make_user()
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="remind me to call mom at 6pm")

    response = await post_signed(client, SMS, params)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert "<Response />" in response.text
    inbound = await messages_of(user.id, "inbound")
    assert [m.body for m in inbound] == ["remind me to call mom at 6pm"]
    assert inbound[0].provider_sid == params["MessageSid"]

    await wait_for_in_process_jobs()
    replies = await messages_of(user.id, "outbound")
    assert len(replies) == 1
    reply = replies[0]
    assert reply.kind == "reply" and reply.status == "console"
    assert reply.in_reply_to_id == inbound[0].id
    assert reply.answered_by
    assert reply.to_number == user.phone and reply.from_number == SHARED_NUMBER
    assert reply.body
    directions = sorted(u.direction for u in await usage_rows(user.id))
    assert directions == ["inbound", "outbound"]


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_forged_signature_gets_403_and_stores_nothing(client, make_user, twilio_webhooks):
    user = await make_user()
    failures_before = _metric((await client.get("/metrics")).text, "sms_signature_failures_total")
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="hi")

    forged = await post_signed(client, SMS, params, token="not-the-real-token")
    missing = await client.post(SMS, data=params)
    tampered_sig = sign("https://assistant.test" + SMS, params)
    tampered = await client.post(SMS, data=params | {"Body": "hi!"}, headers={"X-Twilio-Signature": tampered_sig})

    assert [forged.status_code, missing.status_code, tampered.status_code] == [403, 403, 403]
    failures_after = _metric((await client.get("/metrics")).text, "sms_signature_failures_total")
    assert failures_after - failures_before == 3
    await wait_for_in_process_jobs()
    assert await all_messages() == []
    assert await receipts() == 0


async def test_signature_covers_the_public_url_not_the_host_the_app_sees(client, make_user, twilio_webhooks):
    user = await make_user()
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="hi")

    wrong_host = await post_signed(client, SMS, params, base_url="http://internal:8000")
    with_query = await post_signed(client, SMS + "?source=twilio", params)

    assert wrong_host.status_code == 403
    assert with_query.status_code == 200
    assert len(await messages_of(user.id, "inbound")) == 1


async def test_without_an_auth_token_every_request_is_refused(client, make_user, settings_env):
    settings_env(TWILIO_AUTH_TOKEN=None, TWILIO_ACCOUNT_SID=None)
    user = await make_user()
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="hi")

    response = await post_signed(client, SMS, params)
    unsigned = await client.post(SMS, data=params, headers={"X-Twilio-Signature": ""})

    assert response.status_code == 403 and unsigned.status_code == 403
    assert await all_messages() == []


async def test_ten_concurrent_retries_of_one_message_sid_make_one_reply(client, make_user, twilio_webhooks):
    user = await make_user()
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="what's on my list?")

    responses = await asyncio.gather(*(post_signed(client, SMS, params) for _ in range(10)))
    await wait_for_in_process_jobs()

    assert [r.status_code for r in responses] == [200] * 10
    assert len(await messages_of(user.id, "inbound")) == 1
    assert len(await messages_of(user.id, "outbound")) == 1
    assert await receipts() == 1


async def test_a_later_retry_of_an_answered_message_changes_nothing(client, make_user, twilio_webhooks):
    user = await make_user()
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="hello")
    await post_signed(client, SMS, params)
    await wait_for_in_process_jobs()

    again = await post_signed(client, SMS, params)
    await wait_for_in_process_jobs()

    assert again.status_code == 200
    assert len(await messages_of(user.id)) == 2  # one inbound, one reply


async def test_odd_bodies_get_a_reply_and_never_a_5xx(client, make_user, twilio_webhooks):
    user = await make_user()
    bodies = [
        ("", 0),
        ("x" * 1600, 0),
        ("🎉🔥 I did it!! 💊 took my meds ✅", 0),
        ("", 2),  # media only
        ("   ", 0),
        ("\x00 weird \u202e text", 0),
    ]
    for body, media in bodies:
        response = await post_signed(
            client, SMS, inbound_params(from_=user.phone, to=SHARED_NUMBER, body=body, num_media=media)
        )
        assert response.status_code == 200, body[:20]
    await wait_for_in_process_jobs()

    inbound = await messages_of(user.id, "inbound")
    replies = await messages_of(user.id, "outbound")
    assert len(inbound) == len(bodies)
    assert {r.in_reply_to_id for r in replies} == {m.id for m in inbound}
    assert all(r.body.strip() for r in replies)
    media_reply = next(r for r in replies if r.in_reply_to_id == next(m.id for m in inbound if m.num_media == 2))
    assert "pictures" in media_reply.body
    long_inbound = next(m for m in inbound if len(m.body) == 1600)
    assert long_inbound.segments == 11
    assert all(r.segments <= 3 for r in replies)


async def test_a_request_without_message_sid_is_rejected_without_storing(client, make_user, twilio_webhooks):
    user = await make_user()
    params = {"From": user.phone, "To": SHARED_NUMBER, "Body": "hi"}

    response = await post_signed(client, SMS, params)

    assert response.status_code == 400
    assert await all_messages() == []


async def test_texts_over_the_flood_limit_are_answered_when_the_window_reopens(client, make_user, twilio_webhooks):
    """25 texts in a minute from one phone: 20 answered at once, 5 after the window reopens, and
    one "give me a minute" notice in between. Nothing dropped, nothing twice."""
    from personal_assistant.sms.inbound import FLOOD_NOTICE
    from personal_assistant.sms.sweep import sweep

    user = await make_user()
    start = clock.now()
    with time_machine.travel(start, tick=False):
        for i in range(25):
            response = await post_signed(
                client, SMS, inbound_params(from_=user.phone, to=SHARED_NUMBER, body=f"ok {i}")
            )
            assert response.status_code == 200
        await wait_for_in_process_jobs()
    inbound = await messages_of(user.id, "inbound")
    replies = [m for m in await messages_of(user.id, "outbound") if m.in_reply_to_id]
    notices = [m for m in await messages_of(user.id, "outbound") if m.body == FLOOD_NOTICE]
    assert len(inbound) == 25 and len(replies) == 20 and len(notices) == 1
    assert sum(m.status == "received" for m in inbound) == 5  # waiting, not dropped

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        await sweep()
        await wait_for_in_process_jobs()
    replies = [m for m in await messages_of(user.id, "outbound") if m.in_reply_to_id]
    assert sorted(r.in_reply_to_id for r in replies) == sorted(m.id for m in inbound)  # one each
    assert len([m for m in await messages_of(user.id, "outbound") if m.body == FLOOD_NOTICE]) == 1
