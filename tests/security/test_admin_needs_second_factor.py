"""Finding 1: admin access needs a credential obtained with the second factor, not only an
account that has MFA on; turning MFA on (or changing the password) ends the other logins."""

from __future__ import annotations

from personal_assistant.auth.jwt_tokens import create_access_token
from personal_assistant.core import clock
from tests.auth.helpers import bearer, code_for, login
from tests.fixtures.factories import TEST_PASSWORD

ADMIN_URL = "/api/v1/admin/users"


async def _password_login(client, email: str) -> dict:
    response = await login(client, email, TEST_PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["mfa_required"] is False
    return body


async def _mfa_login(client, email: str, secret: str, offset: int = 1) -> dict:
    challenge = (await login(client, email, TEST_PASSWORD)).json()
    assert challenge["mfa_required"] is True
    done = await client.post(
        "/api/v1/auth/mfa/verify", json={"mfa_token": challenge["mfa_token"], "code": code_for(secret, offset)}
    )
    assert done.status_code == 200, done.text
    return done.json()


async def _turn_on_mfa(client, headers) -> str:
    setup = await client.post("/api/v1/auth/mfa/setup", headers=headers)
    secret = setup.json()["secret"]
    enabled = await client.post("/api/v1/auth/mfa/enable", json={"code": code_for(secret)}, headers=headers)
    assert enabled.status_code == 200, enabled.text
    return secret


async def test_tokens_minted_before_mfa_do_not_reach_admin_routes(client, make_user):
    admin = await make_user(role="admin")
    this_device = await _password_login(client, admin.email)
    other_device = await _password_login(client, admin.email)
    pat = await client.post("/api/v1/api-tokens", json={"name": "script"}, headers=bearer(this_device["access_token"]))
    assert pat.status_code == 201

    secret = await _turn_on_mfa(client, bearer(this_device["access_token"]))

    # The access token, its refreshed successor and the API token were all obtained without a code.
    stale = await client.get(ADMIN_URL, headers=bearer(this_device["access_token"]))
    assert stale.status_code == 403 and stale.json()["error"]["code"] == "mfa_login_required"
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": this_device["refresh_token"]})
    assert refreshed.status_code == 200  # this device keeps its login...
    again = await client.get(ADMIN_URL, headers=bearer(refreshed.json()["access_token"]))
    assert again.status_code == 403  # ...but not admin access
    by_pat = await client.get(ADMIN_URL, headers=bearer(pat.json()["token"]))
    assert by_pat.status_code == 403 and by_pat.json()["error"]["code"] == "mfa_login_required"

    # The other device's login ended: its refresh token and access token stop working.
    other_refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": other_device["refresh_token"]})
    assert other_refresh.status_code == 401
    assert (await client.get("/api/v1/me", headers=bearer(other_device["access_token"]))).status_code == 401

    # A login with the code works, and so do its refreshes and API tokens minted with it.
    strong = await _mfa_login(client, admin.email, secret)
    assert (await client.get(ADMIN_URL, headers=bearer(strong["access_token"]))).status_code == 200
    rotated = await client.post("/api/v1/auth/refresh", json={"refresh_token": strong["refresh_token"]})
    assert rotated.status_code == 200
    assert (await client.get(ADMIN_URL, headers=bearer(rotated.json()["access_token"]))).status_code == 200
    strong_pat = await client.post(
        "/api/v1/api-tokens", json={"name": "ops"}, headers=bearer(rotated.json()["access_token"])
    )
    assert (await client.get(ADMIN_URL, headers=bearer(strong_pat.json()["token"]))).status_code == 200


async def test_changing_the_password_ends_other_logins_but_keeps_this_one(client, make_user):
    user = await make_user()
    here = await _password_login(client, user.email)
    elsewhere = await _password_login(client, user.email)
    new_password = "quiet-meadow-copper-19"

    wrong = await client.post(
        "/api/v1/auth/password",
        json={"current_password": "not-my-password-1", "new_password": new_password},
        headers=bearer(here["access_token"]),
    )
    assert wrong.status_code == 422 and "current_password" in wrong.json()["error"]["fields"]
    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": TEST_PASSWORD, "new_password": new_password},
        headers=bearer(here["access_token"]),
    )
    assert changed.status_code == 204, changed.text

    assert (await client.get("/api/v1/me", headers=bearer(here["access_token"]))).status_code == 200
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": here["refresh_token"]})).status_code == 200
    gone = await client.post("/api/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]})
    assert gone.status_code == 401
    assert (await login(client, user.email, TEST_PASSWORD)).status_code == 401
    assert (await login(client, user.email, new_password)).status_code == 200


async def test_a_token_without_a_recent_login_cannot_turn_mfa_on_without_the_password(client, make_user):
    # Turning MFA on decides the account's second factor and ends the other logins: with a stolen
    # token alone (an API token, or an access token from a refresh) an attacker would lock the
    # owner out. The factory's token carries no login time, like a refreshed one.
    user = await make_user()
    pat = (await client.post("/api/v1/api-tokens", json={"name": "script"}, headers=user.headers)).json()["token"]
    for headers in (user.headers, bearer(pat)):
        setup = await client.post("/api/v1/auth/mfa/setup", headers=headers)
        secret = setup.json()["secret"]
        bare = await client.post("/api/v1/auth/mfa/enable", json={"code": code_for(secret)}, headers=headers)
        assert bare.status_code == 422 and bare.json()["error"]["code"] == "recent_login_required"
        wrong = await client.post(
            "/api/v1/auth/mfa/enable", json={"code": code_for(secret), "password": "not it at all"}, headers=headers
        )
        assert wrong.status_code == 422 and "password" in wrong.json()["error"]["fields"]
    assert (await client.get("/api/v1/me", headers=user.headers)).json()["mfa_enabled"] is False
    ok = await client.post(
        "/api/v1/auth/mfa/enable", json={"code": code_for(secret), "password": TEST_PASSWORD}, headers=bearer(pat)
    )
    assert ok.status_code == 200 and len(ok.json()["recovery_codes"]) == 10


async def test_a_passwordless_account_sets_its_first_password_only_right_after_a_login(client, make_user, session):
    from personal_assistant.db.models import User

    user = await make_user()
    row = await session.get(User, user.id)
    row.password_hash = None  # made by magic link only
    await session.commit()
    # The factory's token has no login time: like a stolen, refreshed token.
    refused = await client.post(
        "/api/v1/auth/password", json={"new_password": "quiet-meadow-copper-19"}, headers=user.headers
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "recent_login_required"
    fresh = create_access_token(user.id, "standard", auth_time=clock.now())
    done = await client.post(
        "/api/v1/auth/password", json={"new_password": "quiet-meadow-copper-19"}, headers=bearer(fresh)
    )
    assert done.status_code == 204
    assert (await login(client, user.email, "quiet-meadow-copper-19")).status_code == 200
