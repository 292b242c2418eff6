"""Delivery-status callbacks move a message's status forward only, and are signature-checked."""

from __future__ import annotations

import asyncio

from personal_assistant.db.session import session_scope
from personal_assistant.sms import outbox
from tests.fixtures.factories import load_user
from tests.fixtures.twilio import TEST_ACCOUNT_SID, post_signed
from tests.sms.helpers import messages_of

STATUS = "/webhooks/twilio/status"


async def _sent_message(user):
    async with session_scope() as s:
        queued = await outbox.queue_text(s, await load_user(s, user), "Time to stretch", "reminder", dispatch="caller")
    await outbox.send_claimed([outbox.claimed_of(queued.message)])
    async with session_scope() as s:
        return await s.get(type(queued.message), queued.message.id)


def _callback(sid: str, status: str, error: str | None = None) -> dict[str, str]:
    params = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
              "AccountSid": TEST_ACCOUNT_SID, "ApiVersion": "2010-04-01"}
    if error:
        params["ErrorCode"] = error
    return params


async def _status_of(user) -> tuple[str, str | None]:
    [message] = await messages_of(user.id, "outbound")
    return message.status, message.error_code


async def test_status_moves_forward_and_ignores_late_or_repeated_callbacks(client, make_user, fake_twilio):
    user = await make_user()
    message = await _sent_message(user)

    for status in ("sent", "delivered", "sent", "queued", "delivered", "failed"):
        response = await post_signed(client, STATUS, _callback(message.provider_sid, status))
        assert response.status_code == 200

    assert await _status_of(user) == ("delivered", None)


async def test_out_of_order_callbacks_end_in_the_furthest_state(client, make_user, fake_twilio):
    user = await make_user()
    message = await _sent_message(user)

    await asyncio.gather(*(post_signed(client, STATUS, _callback(message.provider_sid, s))
                           for s in ("delivered", "sending", "sent", "delivered")))

    assert await _status_of(user) == ("delivered", None)


async def test_undelivered_is_terminal_and_keeps_its_error_code(client, make_user, fake_twilio):
    user = await make_user()
    message = await _sent_message(user)

    await post_signed(client, STATUS, _callback(message.provider_sid, "sent"))
    await post_signed(client, STATUS, _callback(message.provider_sid, "undelivered", "30003"))
    await post_signed(client, STATUS, _callback(message.provider_sid, "delivered"))
    await post_signed(client, STATUS, _callback(message.provider_sid, "failed", "30008"))

    assert await _status_of(user) == ("undelivered", "30003")


async def test_forged_status_callback_changes_nothing(client, make_user, fake_twilio):
    user = await make_user()
    message = await _sent_message(user)

    response = await post_signed(client, STATUS, _callback(message.provider_sid, "failed", "30007"), token="nope")

    assert response.status_code == 403
    assert await _status_of(user) == ("queued", None)


async def test_callback_for_an_unknown_message_is_acknowledged(client, fake_twilio):
    response = await post_signed(client, STATUS, _callback("SMdoesnotexist", "delivered"))
    assert response.status_code == 200
