"""TOTP: setup, enable, login with the second step, replay refusal, disable."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import AuditEvent, MfaSecret
from tests.auth.helpers import STRONG_PASSWORD, bearer, code_for, enable_mfa, login, signup


async def test_setup_gives_an_otpauth_uri_and_stores_the_secret_encrypted(client, session):
    account = await signup(client)
    setup = await client.post("/api/v1/auth/mfa/setup", headers=account["headers"])
    assert setup.status_code == 200
    body = setup.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/")
    assert "issuer=ADHD%20Assistant" in body["otpauth_uri"]
    row = (await session.execute(select(MfaSecret))).scalar_one()
    assert body["secret"] not in row.secret_encrypted
    assert row.enabled_at is None
    # not on yet: login still gives tokens directly
    assert (await login(client, account["email"])).json()["mfa_required"] is False


async def test_enable_needs_a_valid_code(client):
    account = await signup(client)
    await client.post("/api/v1/auth/mfa/setup", headers=account["headers"])
    wrong = await client.post("/api/v1/auth/mfa/enable", json={"code": "000000"}, headers=account["headers"])
    assert wrong.status_code == 422 and "code" in wrong.json()["error"]["fields"]
    me = await client.get("/api/v1/me", headers=account["headers"])
    assert me.json()["mfa_enabled"] is False


async def test_login_with_totp_and_replay_refused(client, session):
    # frozen clock: the whole test lives inside one 30-second TOTP step
    with time_machine.travel(clock.now().replace(second=1), tick=False):
        await _login_with_totp_and_replay_refused(client, session)


async def _login_with_totp_and_replay_refused(client, session):
    account = await signup(client)
    secret = await enable_mfa(client, account["headers"])
    first = await login(client, account["email"])
    assert first.status_code == 200
    challenge = first.json()
    assert challenge["mfa_required"] is True and challenge.get("access_token") is None
    # the code used to enable is spent: the same time step is refused, and the answer says why
    replay = await client.post(
        "/api/v1/auth/mfa/verify", json={"mfa_token": challenge["mfa_token"], "code": code_for(secret)}
    )
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "mfa_code_reused"
    assert "wait for the next one" in replay.json()["error"]["message"]
    wrong = await client.post("/api/v1/auth/mfa/verify", json={"mfa_token": challenge["mfa_token"], "code": "000000"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_mfa_code"
    # the next step's code (within the drift window) works once
    fresh = code_for(secret, offset=1)
    ok = await client.post("/api/v1/auth/mfa/verify", json={"mfa_token": challenge["mfa_token"], "code": fresh})
    assert ok.status_code == 200, ok.text
    assert (await client.get("/api/v1/me", headers=bearer(ok.json()["access_token"]))).json()["mfa_enabled"] is True
    again = await client.post("/api/v1/auth/mfa/verify", json={"mfa_token": challenge["mfa_token"], "code": fresh})
    assert again.status_code == 401
    events = {e.event for e in (await session.execute(select(AuditEvent))).scalars()}
    assert {"auth.mfa_enabled", "auth.login"} <= events


async def test_a_forged_mfa_token_is_refused(client):
    bad = await client.post("/api/v1/auth/mfa/verify", json={"mfa_token": "abc.def.ghi", "code": "123456"})
    assert bad.status_code == 401


async def test_access_token_is_not_an_mfa_token(client):
    account = await signup(client)
    await enable_mfa(client, account["headers"])
    bad = await client.post("/api/v1/auth/mfa/verify", json={"mfa_token": account["access_token"], "code": "123456"})
    assert bad.status_code == 401


async def test_disable_with_password_or_code(client, session):
    account = await signup(client)
    await enable_mfa(client, account["headers"])
    nothing = await client.post("/api/v1/auth/mfa/disable", json={}, headers=account["headers"])
    assert nothing.status_code == 422
    wrong = await client.post(
        "/api/v1/auth/mfa/disable", json={"password": "wrong-password-123"}, headers=account["headers"]
    )
    assert wrong.status_code == 422 and "password" in wrong.json()["error"]["fields"]
    ok = await client.post("/api/v1/auth/mfa/disable", json={"password": STRONG_PASSWORD}, headers=account["headers"])
    assert ok.status_code == 200 and ok.json() == {"mfa_enabled": False}
    assert (await login(client, account["email"])).json()["mfa_required"] is False
    # and back on, then off with a code
    secret = await enable_mfa(client, account["headers"])
    by_code = await client.post(
        "/api/v1/auth/mfa/disable", json={"code": code_for(secret, 1)}, headers=account["headers"]
    )
    assert by_code.status_code == 200
    events = [e.event for e in (await session.execute(select(AuditEvent))).scalars()]
    assert events.count("auth.mfa_disabled") == 2


async def test_setup_twice_when_enabled_is_a_conflict(client):
    account = await signup(client)
    await enable_mfa(client, account["headers"])
    again = await client.post("/api/v1/auth/mfa/setup", headers=account["headers"])
    assert again.status_code == 409
