"""Finding 5: numbers from outside are bounded. A huge offset, a 30-digit NumMedia in a signed
webhook and an absurd auth_time claim are refused with a 4xx (or tolerated), never a 500."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from personal_assistant.config import get_settings
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed
from tests.sms.helpers import messages_of

LISTS = [
    "/api/v1/tasks",
    "/api/v1/reminders",
    "/api/v1/goals",
    "/api/v1/groceries",
    "/api/v1/expenses",
    "/api/v1/memories",
    "/api/v1/focus-sessions",
    "/api/v1/conversation/messages",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("offset", [2**63, 2**64 + 7, 10**30])
async def test_a_huge_offset_is_a_validation_error(client, make_user, path, offset):
    user = await make_user()
    response = await client.get(path, params={"offset": offset}, headers=user.headers)
    assert response.status_code == 422, response.text
    assert "offset" in response.json()["error"]["fields"]


@pytest.mark.parametrize("path", LISTS)
async def test_a_large_but_bounded_offset_is_an_empty_page(client, make_user, path):
    user = await make_user()
    response = await client.get(path, params={"offset": 1_000_000}, headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


async def test_a_thirty_digit_num_media_in_a_signed_webhook_is_stored_not_a_500(client, make_user, twilio_webhooks):
    user = await make_user()
    params = inbound_params(from_=user.phone, to=SHARED_NUMBER, body="hello")
    params["NumMedia"] = "9" * 30
    response = await post_signed(client, "/webhooks/twilio/sms", params)
    assert response.status_code == 200, response.text
    await wait_for_in_process_jobs()
    inbound = await messages_of(user.id, "inbound")
    assert [m.body for m in inbound] == ["hello"]


def _token(**claims) -> str:
    base = {
        "sub": str(uuid.uuid4()),
        "role": "standard",
        "type": "access",
        "iat": int(time.time()),
        "exp": int(time.time()) + 600,
    }
    base.update(claims)
    return jwt.encode(base, get_settings().secret_key, algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        {"auth_time": 10**30},
        {"auth_time": -(10**30)},
        {"auth_time": 1e300},
        {"sub": 12345},
        {"sub": ["x"]},
        {"fam": "not-a-uuid"},
        {"fam": 42},
        {"amr": "mfa"},
    ],
)
async def test_odd_claims_in_a_signed_token_are_a_401_not_a_500(client, make_user, claims):
    user = await make_user()
    claims.setdefault("sub", str(user.id))
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {_token(**claims)}"})
    assert response.status_code in (200, 401), response.text
    if "auth_time" in claims or "fam" in claims:
        assert response.status_code == 401


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
async def test_a_time_at_the_edge_of_the_calendar_is_a_422(client, make_user, moment):
    # Found by Schemathesis: converting these to UTC leaves datetime's range.
    user = await make_user()
    summary = await client.get("/api/v1/expenses/summary", params={"at": moment}, headers=user.headers)
    assert summary.status_code == 422, summary.text
    memory = await client.post("/api/v1/memories", json={"content": "locker 4312"}, headers=user.headers)
    patched = await client.patch(
        f"/api/v1/memories/{memory.json()['id']}", json={"expires_at": moment}, headers=user.headers
    )
    assert patched.status_code == 422, patched.text
    assert (await client.get(f"/api/v1/memories/{memory.json()['id']}", headers=user.headers)).json()[
        "expires_at"
    ] is None


async def test_a_nul_character_is_refused_by_the_database_as_a_422(client, make_user, database_url):
    # Found by Schemathesis: PostgreSQL refuses NUL in text (SQLite stores it).
    user = await make_user()
    response = await client.post(
        "/api/v1/groceries/bulk", json={"items": [{"name": "mi\u0000lk"}]}, headers=user.headers
    )
    if database_url.startswith("postgresql"):
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_value"
        assert (await client.get("/api/v1/groceries", headers=user.headers)).json()["items"] == []
    else:
        assert response.status_code == 201
