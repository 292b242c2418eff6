"""Adding a phone and verifying it with the texted code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import Message, PhoneNumber
from personal_assistant.users.phones import normalise_phone


async def _texted_code(session, to_number: str) -> str:
    """The code in the last text sent to `to_number` (what the user reads on their phone)."""
    session.expire_all()
    rows = (
        (
            await session.execute(
                select(Message)
                .where(Message.to_number == to_number, Message.kind == "code")
                .order_by(Message.created_at)
            )
        )
        .scalars()
        .all()
    )
    assert rows, "no code was texted"
    match = re.search(r"\b(\d{6})\b", rows[-1].body)
    assert match
    return match.group(1)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+15551234567", "+15551234567"),
        ("(555) 123-4567", "+15551234567"),
        ("1 555 123 4567", "+15551234567"),
        ("555.123.4567", "+15551234567"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_normalisation(typed, e164):
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize(
    "garbage", ["", "hello", "123", "+1 555 CALL NOW", "++15551234567", "0555123456", "+0123456789"]
)
async def test_garbage_phone_is_a_field_error(client, make_user, garbage):
    user = await make_user(phone=None)
    response = await client.post("/api/v1/me/phone", json={"phone": garbage}, headers=user.headers)
    assert response.status_code == 422
    assert "phone" in response.json()["error"]["fields"]


async def test_add_and_verify_a_phone(client, make_user, session):
    user = await make_user(phone=None)
    started = await client.post("/api/v1/me/phone", json={"phone": "(555) 010-4242"}, headers=user.headers)
    assert started.status_code == 202, started.text
    assert started.json()["phone"] == "+15550104242" and started.json()["status"] == "code_sent"
    code = await _texted_code(session, "+15550104242")
    stored = (await session.execute(select(PhoneNumber).where(PhoneNumber.user_id == user.id))).scalar_one()
    assert code not in (stored.code_hash or "")
    verified = await client.post(
        "/api/v1/me/phone/verify", json={"phone": "+15550104242", "code": code}, headers=user.headers
    )
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified"] is True and verified.json()["is_primary"] is True
    me = (await client.get("/api/v1/me", headers=user.headers)).json()
    assert me["phones"][0]["verified"] is True


async def test_wrong_codes_are_limited_then_a_new_code_is_needed(client, make_user, session, settings_env):
    settings_env(PHONE_CODE_MAX_ATTEMPTS="3")
    user = await make_user(phone=None)
    await client.post("/api/v1/me/phone", json={"phone": "+15550104243"}, headers=user.headers)
    code = await _texted_code(session, "+15550104243")
    wrong = "000000" if code != "000000" else "111111"
    for left in (2, 1, 0):
        response = await client.post(
            "/api/v1/me/phone/verify", json={"phone": "+15550104243", "code": wrong}, headers=user.headers
        )
        assert response.status_code == 422
        assert "code" in response.json()["error"]["fields"]
        if left:
            assert f"{left} attempt" in response.json()["error"]["fields"]["code"]
    blocked = await client.post(
        "/api/v1/me/phone/verify", json={"phone": "+15550104243", "code": code}, headers=user.headers
    )
    assert blocked.status_code == 422 and blocked.json()["error"]["code"] == "too_many_attempts"
    # a new code (after the resend cool-down) works
    with time_machine.travel(clock.now() + timedelta(seconds=31), tick=True):
        resend = await client.post("/api/v1/me/phone", json={"phone": "+15550104243"}, headers=user.headers)
        assert resend.status_code == 202
        new_code = await _texted_code(session, "+15550104243")
        ok = await client.post(
            "/api/v1/me/phone/verify", json={"phone": "+15550104243", "code": new_code}, headers=user.headers
        )
    assert ok.status_code == 200


async def test_code_expires(client, make_user, session):
    user = await make_user(phone=None)
    await client.post("/api/v1/me/phone", json={"phone": "+15550104244"}, headers=user.headers)
    code = await _texted_code(session, "+15550104244")
    with time_machine.travel(clock.now() + timedelta(minutes=11), tick=True):
        late = await client.post(
            "/api/v1/me/phone/verify", json={"phone": "+15550104244", "code": code}, headers=user.headers
        )
    assert late.status_code == 422 and late.json()["error"]["code"] == "code_expired"


async def test_resend_is_rate_limited(client, make_user):
    user = await make_user(phone=None)
    first = await client.post("/api/v1/me/phone", json={"phone": "+15550104245"}, headers=user.headers)
    assert first.status_code == 202
    again = await client.post("/api/v1/me/phone", json={"phone": "+15550104245"}, headers=user.headers)
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
    start = clock.now()
    statuses = []
    for n in range(1, 7):  # past the cool-down each time: the hourly cap per number stops it
        with time_machine.travel(start + timedelta(seconds=31 * n), tick=True):
            statuses.append(
                (
                    await client.post("/api/v1/me/phone", json={"phone": "+15550104245"}, headers=user.headers)
                ).status_code
            )
    assert statuses[:4] == [202] * 4 and statuses[4] == 429


async def test_a_number_verified_by_someone_else_is_a_conflict(client, make_user):
    owner = await make_user(phone="+15550109999")
    other = await make_user(phone=None)
    response = await client.post("/api/v1/me/phone", json={"phone": "+1 (555) 010-9999"}, headers=other.headers)
    assert response.status_code == 409
    text = response.text
    assert owner.email not in text and str(owner.id) not in text
    assert "phone" in response.json()["error"]["fields"]


async def test_own_verified_number_needs_no_code(client, make_user):
    user = await make_user(phone="+15550108888")
    response = await client.post("/api/v1/me/phone", json={"phone": "+15550108888"}, headers=user.headers)
    assert response.status_code == 202 and response.json()["status"] == "already_verified"


async def test_verify_without_a_code_sent(client, make_user):
    user = await make_user(phone=None)
    response = await client.post(
        "/api/v1/me/phone/verify", json={"phone": "+15550104246", "code": "123456"}, headers=user.headers
    )
    assert response.status_code == 422 and "phone" in response.json()["error"]["fields"]
