"""Dashboard test helpers: a browser-like client (keeps cookies), CSRF tokens read from pages,
and signing a user in the way the login page does."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from personal_assistant.auth.browser_sessions import start_browser_session
from personal_assistant.core.ratelimit import reset_rate_limits
from personal_assistant.dashboard.session import COOKIE_NAME, BrowserSession
from personal_assistant.db.models import User
from personal_assistant.db.session import session_scope
from tests.fixtures.factories import UserCtx

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class Browser:
    """An httpx client used like a browser: cookies kept, forms posted with the page's token."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, path: str, **kw) -> httpx.Response:
        return await self.client.get(path, **kw)

    async def token(self, page: str = "/login") -> str:
        response = await self.client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        return csrf_from(response.text)

    async def post(self, path: str, data: dict | None = None, *, page: str | None = None, **kw) -> httpx.Response:
        """POST a form the way the page at `page` (default: `path`) would, CSRF token included."""
        form = dict(data or {})
        form.setdefault("csrf_token", await self.token(page or path))
        return await self.client.post(path, data=form, **kw)

    async def sign_in(self, user: UserCtx, *, mfa: bool = False) -> None:
        """Give this browser a signed-in session cookie for `user` (what /login ends with: the
        cookie and its server-side session row)."""
        session = BrowserSession()
        async with session_scope() as s:
            row = await s.get(User, user.id)
            assert row is not None
            session.sign_in(user.id, row.password_hash)
            await start_browser_session(s, user.id, session.sid, mfa=mfa)
        self.client.cookies.set(COOKIE_NAME, session.encode(), domain="assistant.test")


@pytest.fixture(autouse=True)
async def _fresh_rate_limits() -> AsyncIterator[None]:
    await reset_rate_limits()
    yield


@pytest.fixture
async def browser(app) -> AsyncIterator[Browser]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://assistant.test") as client:
        yield Browser(client)


@pytest.fixture
async def other_browser(app) -> AsyncIterator[Browser]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://assistant.test") as client:
        yield Browser(client)
