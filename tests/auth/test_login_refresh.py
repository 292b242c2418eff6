"""Sign-up, login, refresh rotation with reuse detection, logout, disabled accounts."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from personal_assistant.db.models import AuditEvent, RefreshToken, User
from tests.auth.helpers import STRONG_PASSWORD, bearer, login, new_email, signup


async def _events(session, name: str) -> list[AuditEvent]:
    return list((await session.execute(select(AuditEvent).where(AuditEvent.event == name))).scalars())


async def test_signup_normalises_email_validates_timezone_and_logs_in(client, session):
    email = new_email("Mixed.Case").replace("@example.com", "@Example.COM")
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": email, "password": STRONG_PASSWORD, "name": "Sam", "timezone": "america/new_york"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["email"] == email.lower()
    assert body["user"]["timezone"] == "America/New_York"
    me = await client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200 and me.json()["name"] == "Sam"
    stored = (await session.execute(select(User).where(User.email == email.lower()))).scalar_one()
    assert stored.password_hash != STRONG_PASSWORD and stored.password_hash.startswith("$argon2")
    assert len(await _events(session, "auth.signup")) == 1


async def test_signup_duplicate_email_is_a_conflict_on_email(client):
    first = await signup(client)
    again = await client.post(
        "/api/v1/auth/signup", json={"email": first["email"].upper(), "password": STRONG_PASSWORD}
    )
    assert again.status_code == 409
    assert "email" in again.json()["error"]["fields"]


async def test_signup_rejects_unknown_timezone_and_bad_email(client):
    bad_tz = await client.post(
        "/api/v1/auth/signup", json={"email": new_email(), "password": STRONG_PASSWORD, "timezone": "Mars/Olympus"}
    )
    assert bad_tz.status_code == 422 and "timezone" in bad_tz.json()["error"]["fields"]
    bad_email = await client.post("/api/v1/auth/signup", json={"email": "not-an-email", "password": STRONG_PASSWORD})
    assert bad_email.status_code == 422 and "email" in bad_email.json()["error"]["fields"]


async def test_login_success_and_failures_are_audited(client, session):
    account = await signup(client)
    ok = await login(client, account["email"].upper())
    assert ok.status_code == 200
    body = ok.json()
    assert body["mfa_required"] is False and body["access_token"] and body["refresh_token"]
    wrong = await login(client, account["email"], "not-the-password-at-all")
    unknown = await login(client, new_email())
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]  # no hint whether the account exists
    failed = await _events(session, "auth.login_failed")
    assert sorted(e.details["reason"] for e in failed) == ["unknown_account", "wrong_password"]
    assert all(account["email"] not in str(e.details) for e in failed)
    assert len(await _events(session, "auth.login")) == 1


async def test_refresh_rotates_and_the_new_token_works(client):
    account = await signup(client)
    first = account["refresh_token"]
    rotated = await client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    assert (await client.get("/api/v1/me", headers=bearer(rotated.json()["access_token"]))).status_code == 200
    third = await client.post("/api/v1/auth/refresh", json={"refresh_token": second})
    assert third.status_code == 200


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, session):
    account = await signup(client)
    stolen = account["refresh_token"]
    legit = (await client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})).json()["refresh_token"]
    other_device = (await login(client, account["email"])).json()["refresh_token"]

    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})
    assert reuse.status_code == 401
    assert reuse.json()["error"]["code"] == "refresh_token_reused"
    # the legitimate holder of the family is logged out too...
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": legit})).status_code == 401
    # ...but another login (another family) is untouched
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": other_device})).status_code == 200
    events = await _events(session, "auth.refresh_reuse")
    assert len(events) == 1 and events[0].details["revoked_tokens"] >= 1
    revoked = (await session.execute(select(RefreshToken).where(RefreshToken.revoked_at.is_not(None)))).scalars()
    assert len(list(revoked)) == 2  # the stolen (rotated) one and its successor


async def test_garbage_refresh_token_is_401(client):
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_refresh_token"


async def test_logout_revokes_the_family(client, session):
    account = await signup(client)
    rotated = (await client.post("/api/v1/auth/refresh", json={"refresh_token": account["refresh_token"]})).json()
    out = await client.post("/api/v1/auth/logout", json={"refresh_token": rotated["refresh_token"]})
    assert out.status_code == 204
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert again.status_code == 401
    assert (await client.post("/api/v1/auth/logout", json={"refresh_token": "unknown"})).status_code == 204
    assert len(await _events(session, "auth.logout")) == 1


async def test_disabled_user_cannot_log_in_or_refresh_or_use_tokens(client, session):
    account = await signup(client)
    user = await session.get(User, uuid.UUID(account["user"]["id"]))
    user.is_active = False
    await session.commit()
    denied = await login(client, account["email"])
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "account_disabled"
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": account["refresh_token"]})
    ).status_code == 401
    assert (await client.get("/api/v1/me", headers=account["headers"])).status_code == 401
