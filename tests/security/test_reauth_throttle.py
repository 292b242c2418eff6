"""Finding 4: password and code checks behind a login are throttled per account, like the login
itself: deleting the account, turning two-step login off or on, changing the password."""

from __future__ import annotations

from personal_assistant.core.ratelimit import reset_rate_limits
from tests.auth.helpers import STRONG_PASSWORD, code_for, enable_mfa, signup

ATTEMPTS = 25  # what the attack tried; LOGIN_RATE_LIMIT is 10/minute


async def _statuses(send) -> list[int]:
    return [(await send()).status_code for _ in range(ATTEMPTS)]


async def test_deleting_the_account_with_wrong_passwords_is_throttled(client):
    account = await signup(client)

    async def wrong():
        return await client.request(
            "DELETE", "/api/v1/me", json={"password": "guess-number-one"}, headers=account["headers"]
        )

    statuses = await _statuses(wrong)
    assert statuses[:10] == [422] * 10
    assert set(statuses[10:]) == {429}
    # Throttled means throttled: even the right password waits for the window.
    right = await client.request("DELETE", "/api/v1/me", json={"password": STRONG_PASSWORD}, headers=account["headers"])
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
    assert (await client.get("/api/v1/me", headers=account["headers"])).status_code == 200
    await reset_rate_limits()
    right = await client.request("DELETE", "/api/v1/me", json={"password": STRONG_PASSWORD}, headers=account["headers"])
    assert right.status_code == 204


async def test_turning_mfa_off_with_wrong_codes_or_passwords_is_throttled(client):
    account = await signup(client)
    secret = await enable_mfa(client, account["headers"])
    await reset_rate_limits()  # enable_mfa used one attempt

    async def wrong_code():
        return await client.post("/api/v1/auth/mfa/disable", json={"code": "000000"}, headers=account["headers"])

    statuses = await _statuses(wrong_code)
    assert 429 in statuses and statuses.count(422) <= 10
    by_password = await client.post(
        "/api/v1/auth/mfa/disable", json={"password": "wrong-password-xyz"}, headers=account["headers"]
    )
    assert by_password.status_code == 429
    right = await client.post(
        "/api/v1/auth/mfa/disable", json={"code": code_for(secret, 1)}, headers=account["headers"]
    )
    assert right.status_code == 429
    assert (await client.get("/api/v1/me", headers=account["headers"])).json()["mfa_enabled"] is True


async def test_enabling_mfa_with_wrong_codes_is_throttled(client):
    account = await signup(client)
    await client.post("/api/v1/auth/mfa/setup", headers=account["headers"])

    async def wrong():
        return await client.post("/api/v1/auth/mfa/enable", json={"code": "123456"}, headers=account["headers"])

    statuses = await _statuses(wrong)
    assert 429 in statuses and statuses.count(422) <= 10


async def test_changing_the_password_with_wrong_passwords_is_throttled(client):
    account = await signup(client)

    async def wrong():
        return await client.post(
            "/api/v1/auth/password",
            json={"current_password": "guess-number-two", "new_password": "quiet-meadow-copper-19"},
            headers=account["headers"],
        )

    statuses = await _statuses(wrong)
    assert 429 in statuses and statuses.count(422) <= 10
