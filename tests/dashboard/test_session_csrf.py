"""The browser session cookie and CSRF protection."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from sqlalchemy import select

from personal_assistant.dashboard.session import COOKIE_NAME
from personal_assistant.db.models import RefreshToken, Task, User
from personal_assistant.db.session import session_scope
from tests.fixtures.factories import TEST_PASSWORD

PROD_LIKE = {
    "ENVIRONMENT": "staging",
    "SECRET_KEY": "s" * 40,
    "ENCRYPTION_KEYS": "2:" + "A" * 43 + "=",
    "PUBLIC_BASE_URL": "https://assistant.test",
}


async def _task_titles(user_id) -> list[str]:
    async with session_scope() as s:
        return list((await s.execute(select(Task.title).where(Task.user_id == user_id))).scalars())


def _session_cookie(response) -> SimpleCookie:
    raw = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(COOKIE_NAME)]
    assert raw, "no session cookie was set"
    jar: SimpleCookie = SimpleCookie()
    jar.load(raw[-1])
    return jar


async def test_post_without_csrf_token_is_refused_and_changes_nothing(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    response = await browser.client.post("/tasks", data={"title": "sneaky"})
    assert response.status_code == 403
    assert "nothing was changed" in response.text
    assert await _task_titles(user.id) == []


async def test_post_with_a_wrong_or_foreign_token_is_refused(browser, other_browser, make_user):
    user, other = await make_user(), await make_user()
    await browser.sign_in(user)
    await other_browser.sign_in(other)
    foreign = await other_browser.token("/tasks")
    for token in ("not-the-token", foreign, ""):
        response = await browser.client.post("/tasks", data={"title": "sneaky", "csrf_token": token})
        assert response.status_code == 403
    assert await _task_titles(user.id) == []
    # The page's own token works.
    response = await browser.post("/tasks", {"title": "real one"})
    assert response.status_code == 303
    assert await _task_titles(user.id) == ["real one"]


async def test_csrf_header_is_accepted_for_scripted_posts(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    token = await browser.token("/tasks")
    response = await browser.client.post("/tasks", data={"title": "via header"}, headers={"X-CSRF-Token": token})
    assert response.status_code == 303
    assert await _task_titles(user.id) == ["via header"]


async def test_login_form_needs_the_token_too(browser, make_user):
    user = await make_user()
    response = await browser.client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert COOKIE_NAME not in browser.client.cookies or (await browser.get("/")).status_code == 303


async def test_login_sets_a_new_httponly_lax_cookie(browser, make_user):
    user = await make_user()
    anonymous_token = await browser.token("/login")
    response = await browser.client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": anonymous_token}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = _session_cookie(response)[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["secure"]  # development serves plain http://localhost
    # A fresh CSRF secret after sign-in: the anonymous page's token no longer works.
    refused = await browser.client.post("/tasks", data={"title": "x", "csrf_token": anonymous_token})
    assert refused.status_code == 403
    home = await browser.get("/")
    assert home.status_code == 200 and "Log out" in home.text
    # The browser got a cookie session, not a refresh token it could never use.
    async with session_scope() as s:
        assert (await s.execute(select(RefreshToken).where(RefreshToken.user_id == user.id))).first() is None


async def test_cookie_is_secure_outside_development(browser, make_user, settings_env):
    settings_env(**PROD_LIKE)
    user = await make_user()
    token = await browser.token("/login")
    response = await browser.client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    cookie = _session_cookie(response)[COOKIE_NAME]
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"] == "Lax"


async def test_wrong_password_is_shown_next_to_the_field(browser, make_user):
    user = await make_user()
    response = await browser.post("/login", {"email": user.email, "password": "not my password at all"})
    assert response.status_code == 422
    assert 'id="f-password-error"' in response.text
    assert "do not match" in response.text
    assert (await browser.get("/")).status_code == 303


async def test_tampered_cookie_is_a_signed_out_browser(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    value = browser.client.cookies[COOKIE_NAME]
    payload, _, signature = value.partition(".")
    browser.client.cookies.clear()
    browser.client.cookies.set(COOKIE_NAME, payload + "." + "0" * len(signature), domain="assistant.test")
    response = await browser.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/login"


async def test_logout_ends_the_session(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    response = await browser.post("/logout", page="/")
    assert response.status_code == 303
    assert (await browser.get("/")).status_code == 303


async def test_a_password_change_or_disabled_account_ends_the_session(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    assert (await browser.get("/")).status_code == 200
    async with session_scope() as s:
        row = await s.get(User, user.id)
        row.password_hash = "changed-elsewhere"
    assert (await browser.get("/")).status_code == 303

    other = await make_user()
    await browser.sign_in(other)
    assert (await browser.get("/")).status_code == 200
    async with session_scope() as s:
        (await s.get(User, other.id)).is_active = False
    assert (await browser.get("/")).status_code == 303


async def test_the_cookie_authenticates_api_reads_but_not_api_writes(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    me = await browser.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == user.email
    # Unsafe API calls carry no CSRF token, so the cookie does not count for them.
    write = await browser.client.post("/api/v1/tasks", json={"title": "from a cookie"})
    assert write.status_code == 401
    assert await _task_titles(user.id) == []


@pytest.mark.parametrize("path", ["/simulator", "/simulator/messages?phone=%2B15551234567"])
async def test_simulator_does_not_exist_outside_development(browser, make_user, settings_env, path):
    user = await make_user()
    settings_env(**PROD_LIKE)
    await browser.sign_in(user)
    response = await browser.get(path)
    assert response.status_code == 404
    home = await browser.get("/")
    assert home.status_code == 200 and "/simulator" not in home.text
    token = await browser.token("/tasks")
    posted = await browser.client.post("/simulator", data={"phone": user.phone, "body": "hi", "csrf_token": token})
    assert posted.status_code == 404


async def test_a_malformed_cookie_of_another_app_does_not_sign_you_out(browser, other_browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    value = browser.client.cookies[COOKIE_NAME]
    header = f'other_app={{"json": [1, 2]}}; weird"name=1; {COOKIE_NAME}={value}'
    response = await other_browser.client.get("/", headers={"cookie": header})
    assert response.status_code == 200 and "Log out" in response.text
