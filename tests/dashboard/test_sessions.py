"""Finding 2: browser sessions end on the server. A cookie copied before logging out (or before
"log out everywhere", turning two-step login on, or a password change) no longer works on pages
or on the API reads the cookie allows."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from personal_assistant.dashboard.session import COOKIE_NAME
from personal_assistant.db.session import session_scope
from tests.auth.helpers import bearer, code_for, login
from tests.dashboard.conftest import Browser
from tests.fixtures.factories import TEST_PASSWORD


async def _log_in(browser: Browser, email: str) -> str:
    response = await browser.post("/login", {"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/", response.text
    return browser.client.cookies[COOKIE_NAME]


async def _replay(app, cookie: str, path: str) -> httpx.Response:
    """What someone who copied the cookie earlier gets."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://assistant.test") as thief:
        thief.cookies.set(COOKIE_NAME, cookie, domain="assistant.test")
        return await thief.get(path)


async def test_a_cookie_saved_before_logout_stops_working(app, browser, make_user):
    user = await make_user()
    saved = await _log_in(browser, user.email)
    assert (await _replay(app, saved, "/settings")).status_code == 200
    assert (await _replay(app, saved, "/api/v1/me/export")).status_code == 200

    assert (await browser.post("/logout", page="/")).status_code == 303

    page = await _replay(app, saved, "/settings")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert (await _replay(app, saved, "/api/v1/me/export")).status_code == 401


async def test_log_out_everywhere_ends_every_browser_and_api_login(app, browser, other_browser, client, make_user):
    user = await make_user()
    await _log_in(browser, user.email)
    kept_elsewhere = await _log_in(other_browser, user.email)
    api = (await login(client, user.email, TEST_PASSWORD)).json()

    settings = await browser.get("/settings")
    assert "Log out everywhere" in settings.text
    done = await browser.post("/settings/sessions/logout-everywhere", page="/settings")
    assert done.status_code == 303 and done.headers["location"] == "/login"

    assert (await browser.get("/settings")).status_code == 303
    assert (await _replay(app, kept_elsewhere, "/settings")).status_code == 303
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": api["refresh_token"]})).status_code == 401
    assert (await client.get("/api/v1/me", headers=bearer(api["access_token"]))).status_code == 401
    from personal_assistant.db.models import BrowserSession as BrowserSessionRow

    async with session_scope() as s:
        rows = (await s.execute(select(BrowserSessionRow).where(BrowserSessionRow.user_id == user.id))).scalars()
        assert all(r.revoked_at is not None for r in rows)


async def test_log_out_everywhere_by_api(app, browser, client, make_user):
    user = await make_user()
    saved = await _log_in(browser, user.email)
    api = (await login(client, user.email, TEST_PASSWORD)).json()
    response = await client.post("/api/v1/auth/logout-everywhere", headers=bearer(api["access_token"]))
    assert response.status_code == 204
    assert (await _replay(app, saved, "/settings")).status_code == 303
    assert (await client.get("/api/v1/me", headers=bearer(api["access_token"]))).status_code == 401


async def test_turning_on_two_step_login_ends_other_browsers_and_keeps_this_one(app, browser, client, make_user):
    user = await make_user()
    elsewhere = await _log_in(browser, user.email)
    api = (await login(client, user.email, TEST_PASSWORD)).json()
    setup = await client.post("/api/v1/auth/mfa/setup", headers=bearer(api["access_token"]))
    secret = setup.json()["secret"]
    enabled = await client.post(
        "/api/v1/auth/mfa/enable", json={"code": code_for(secret)}, headers=bearer(api["access_token"])
    )
    assert enabled.status_code == 200
    assert (await _replay(app, elsewhere, "/settings")).status_code == 303
    assert (await client.get("/api/v1/me", headers=bearer(api["access_token"]))).status_code == 200


async def test_changing_the_password_in_settings_keeps_this_browser_only(app, browser, other_browser, make_user):
    user = await make_user()
    await _log_in(browser, user.email)
    elsewhere = await _log_in(other_browser, user.email)
    new_password = "quiet-meadow-copper-19"
    wrong = await browser.post(
        "/settings/password",
        {"current_password": "not it at all", "new_password": new_password, "new_password_confirm": new_password},
        page="/settings",
    )
    assert wrong.status_code == 422 and "That password is not right." in wrong.text
    changed = await browser.post(
        "/settings/password",
        {"current_password": TEST_PASSWORD, "new_password": new_password, "new_password_confirm": new_password},
        page="/settings",
    )
    assert changed.status_code == 303
    assert (await browser.get("/settings")).status_code == 200
    assert (await _replay(app, elsewhere, "/settings")).status_code == 303
