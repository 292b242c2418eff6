"""Magic-link login: always 202, single use, 15-minute expiry, console outbox."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import time_machine

from personal_assistant.core import clock
from personal_assistant.core.email import OUTBOX, last_email_to
from tests.auth.helpers import bearer, enable_mfa, new_email, signup


def _token_from(email: str) -> str:
    message = last_email_to(email)
    assert message is not None, "no email in the console outbox"
    link = next(line for line in message.body.splitlines() if line.startswith("https://"))
    parts = urlsplit(link)
    assert parts.path == "/api/v1/auth/magic-link/verify"
    return parse_qs(parts.query)["token"][0]


async def test_unknown_and_known_addresses_get_the_same_answer(client):
    account = await signup(client)
    known = await client.post("/api/v1/auth/magic-link", json={"email": account["email"]})
    unknown = await client.post("/api/v1/auth/magic-link", json={"email": new_email()})
    garbage = await client.post("/api/v1/auth/magic-link", json={"email": "not an email"})
    assert known.status_code == unknown.status_code == garbage.status_code == 202
    assert known.json() == unknown.json() == garbage.json()
    assert len(OUTBOX) == 1 and OUTBOX[-1].to == account["email"]


async def test_link_logs_in_once(client):
    account = await signup(client)
    await client.post("/api/v1/auth/magic-link", json={"email": account["email"]})
    token = _token_from(account["email"])
    first = await client.get("/api/v1/auth/magic-link/verify", params={"token": token})
    assert first.status_code == 200, first.text
    assert (await client.get("/api/v1/me", headers=bearer(first.json()["access_token"]))).status_code == 200
    reused = await client.get("/api/v1/auth/magic-link/verify", params={"token": token})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "invalid_link"


async def test_link_expires_after_15_minutes(client):
    account = await signup(client)
    await client.post("/api/v1/auth/magic-link", json={"email": account["email"]})
    token = _token_from(account["email"])
    with time_machine.travel(clock.now() + timedelta(minutes=15, seconds=5), tick=True):
        late = await client.get("/api/v1/auth/magic-link/verify", params={"token": token})
    assert late.status_code == 401


async def test_link_still_works_just_before_expiry(client):
    account = await signup(client)
    await client.post("/api/v1/auth/magic-link", json={"email": account["email"]})
    token = _token_from(account["email"])
    with time_machine.travel(clock.now() + timedelta(minutes=14), tick=True):
        ok = await client.get("/api/v1/auth/magic-link/verify", params={"token": token})
    assert ok.status_code == 200


async def test_link_for_mfa_account_asks_for_the_code(client):
    account = await signup(client)
    await enable_mfa(client, account["headers"])
    await client.post("/api/v1/auth/magic-link", json={"email": account["email"]})
    answer = await client.get("/api/v1/auth/magic-link/verify", params={"token": _token_from(account["email"])})
    assert answer.status_code == 200
    assert answer.json()["mfa_required"] is True and answer.json().get("access_token") is None


async def test_magic_link_requests_are_rate_limited(client, settings_env):
    settings_env(MAGIC_LINK_RATE_LIMIT="2/hour")
    email = new_email()
    for _ in range(2):
        assert (await client.post("/api/v1/auth/magic-link", json={"email": email})).status_code == 202
    limited = await client.post("/api/v1/auth/magic-link", json={"email": email})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.json()["error"]["code"] == "rate_limited"


async def test_disabled_account_gets_no_link(client, session):
    import uuid as _uuid

    from personal_assistant.db.models import User

    account = await signup(client)
    user = await session.get(User, _uuid.UUID(account["user"]["id"]))
    user.is_active = False
    await session.commit()
    answer = await client.post("/api/v1/auth/magic-link", json={"email": account["email"]})
    assert answer.status_code == 202
    assert last_email_to(account["email"]) is None
